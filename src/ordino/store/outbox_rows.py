"""The outbox's rows: events written in the transaction of the change that caused
them (the relay's side is `ordino.events.store.outbox`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ordino.kernel.domain.events import Event
from ordino.store.commit_writer import PendingWrites
from ordino.store.tables import outbox


def rows(events: Sequence[Event]) -> list[dict[str, Any]]:
    return [
        {
            "id": e.id,
            "type": e.type,
            "occurred_at": e.occurred_at,
            "subject": e.subject,
            "data": e.data,
            "published_at": None,
        }
        for e in events
    ]


class SqlEvents:
    """Events not tied to an aggregate's save: written at commit with everything else."""

    def __init__(self, pending: PendingWrites) -> None:
        self.pending = pending

    def add(self, events: Sequence[Event]) -> None:
        if events:
            self.pending.insert(outbox, rows(events))
