"""The transactional outbox: events are rows written with the change that caused them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, insert

from ordino.domain.events import Event
from ordino.store.tables import outbox

_INSERT = insert(outbox)


def append(connection: Connection, events: Sequence[Event]) -> None:
    if events:
        connection.execute(
            _INSERT,
            [
                {
                    "id": e.id,
                    "type": e.type,
                    "occurred_at": e.occurred_at,
                    "subject": e.subject,
                    "data": e.data,
                }
                for e in events
            ],
        )
