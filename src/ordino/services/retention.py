"""Retention: what Ordino sent on is not kept for ever. Events published longer ago
than their retention go from the outbox, except those of an order still open (its
timeline is still being written); webhook deliveries accepted longer ago than theirs
go from the delivery log. Nothing not yet sent goes: an unpublished event, a delivery
still waiting. (The broker's stream ages its copies out by itself:
`ordino.broker.nats`.)

Pruned a batch per unit of work, so no transaction holds many rows for long; run by
each server process and `ordino worker` every `ORDINO_PRUNE_SECONDS`, and by
`ordino db prune`. Several running at once delete the same rows at most once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ordino.services.unit_of_work import UnitOfWork

BATCH = 5_000


@dataclass(frozen=True)
class Retention:
    """How long what was sent is kept; None: for ever."""

    events: timedelta | None
    webhook_log: timedelta | None

    @classmethod
    def of_days(cls, events: float, webhook_log: float) -> Retention:
        """From settings in days (0: for ever)."""
        return cls(_days(events), _days(webhook_log))


def prune(
    uow: UnitOfWork, retention: Retention, now: datetime, batch: int = BATCH
) -> dict[str, int]:
    """Delete what is past its retention; how many of each went."""
    events, log = retention.events, retention.webhook_log
    return {
        "events": 0
        if events is None
        else _in_batches(uow, lambda u: u.outbox.prune(now - events, batch), batch),
        "webhook_deliveries": 0
        if log is None
        else _in_batches(uow, lambda u: u.webhooks.prune(now - log, batch), batch),
    }


def _in_batches(uow: UnitOfWork, delete: Callable[[UnitOfWork], int], batch: int) -> int:
    total = 0
    while True:
        with uow:
            gone = delete(uow)
            uow.commit()
        total += gone
        if gone < batch:
            return total


def _days(days: float) -> timedelta | None:
    return timedelta(days=days) if days > 0 else None
