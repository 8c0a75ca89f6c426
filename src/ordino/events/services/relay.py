"""The outbox relay: events leave for the broker in the order they were written,
at least once.

One relay at a time takes the oldest unpublished events, hands them to the
publisher, and marks them published in the same transaction. A relay that dies
after publishing and before its commit leaves them unpublished: the next one
publishes them again, and the broker drops the copies by event id (JetStream's
duplicate window) — so every event reaches the broker, in order per subject.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from ordino.events.services.ports import EventsWork
from ordino.events.services.webhooks import fan_out
from ordino.kernel.domain import Event


class Publisher(Protocol):
    def publish(self, events: Sequence[Event]) -> None:
        """Deliver every one of `events`, in order, or raise."""
        ...


def relay(uow: EventsWork, publisher: Publisher | None, now: datetime, limit: int = 500) -> int:
    """Publish up to `limit` of the oldest unpublished events to the broker (if
    there is one) and hand them to the webhook subscriptions that want them; how
    many."""
    with uow:
        events = uow.outbox.unpublished(limit)
        if not events:
            return 0
        if publisher is not None:
            publisher.publish(events)  # raises: nothing marked, the next relay tries again
        fan_out(uow, events, now)
        uow.outbox.published([event.id for event in events], now)
        uow.commit()
    return len(events)


def relay_all(uow: EventsWork, publisher: Publisher | None, now: datetime, limit: int = 500) -> int:
    """Relay until nothing is left; how many events."""
    total = 0
    while sent := relay(uow, publisher, now, limit):
        total += sent
    return total
