"""Retention: what Ordino sent on is not kept for ever. Events published longer ago
than their retention go from the outbox, except those of an order not finished yet
(`Order.finished`: a shipped order is, delivered or not); webhook deliveries
accepted longer ago than theirs go from the delivery log. Nothing not yet sent
goes: an unpublished event, a delivery still waiting. (The broker's stream ages
its copies out by itself: `ordino.events.adapters.nats`.)

Pruned a batch per unit of work, so no transaction holds many rows for long, found
by index (a pass over nothing to prune reads nothing). Each server process and
`ordino worker` prune a bounded round every `ORDINO_PRUNE_SECONDS` (the worker
another round soon after, between its jobs, while rounds stop at their bound);
`ordino db prune` prunes until nothing is left. One process prunes at a time (on
PostgreSQL a lock each batch takes; one that finds it taken leaves the work to the
holder); SQLite's writers queue anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import count

from ordino.privacy.services.ports import PrivacyWork

BATCH = 5_000
ROUND = 20  # batches of each kind a background round prunes at most: 100,000 rows


@dataclass(frozen=True)
class Retention:
    """How long what was sent is kept; None: for ever."""

    events: timedelta | None
    webhook_log: timedelta | None

    @classmethod
    def of_days(cls, events: float, webhook_log: float) -> Retention:
        """From settings in days (0: for ever)."""
        return cls(_days(events), _days(webhook_log))


@dataclass(frozen=True)
class Pruned:
    """How many of each went; `done`: False when the round stopped at its bound with
    more past retention left."""

    events: int
    webhook_deliveries: int
    done: bool = True


def prune(
    uow: PrivacyWork,
    retention: Retention,
    now: datetime,
    batch: int = BATCH,
    batches: int | None = None,
) -> Pruned:
    """Delete what is past its retention, at most `batches` batches of each kind
    (None: until none is left)."""
    events, log = retention.events, retention.webhook_log
    gone_events, events_done = (
        (0, True)
        if events is None
        else _in_batches(uow, lambda u: u.outbox.prune(now - events, batch), batch, batches)
    )
    gone_log, log_done = (
        (0, True)
        if log is None
        else _in_batches(uow, lambda u: u.webhooks.prune(now - log, batch), batch, batches)
    )
    return Pruned(gone_events, gone_log, events_done and log_done)


def _in_batches(
    uow: PrivacyWork, delete: Callable[[PrivacyWork], int], batch: int, batches: int | None
) -> tuple[int, bool]:
    """How many went, and whether all did (False: stopped at `batches`)."""
    total = 0
    for _ in count() if batches is None else range(batches):
        with uow:
            if not uow.outbox.prune_alone():  # another process is at it
                return total, True
            gone = delete(uow)
            uow.commit()
        total += gone
        if gone < batch:
            return total, True
    return total, False


def _days(days: float) -> timedelta | None:
    return timedelta(days=days) if days > 0 else None
