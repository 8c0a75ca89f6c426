"""The transactional outbox: events are rows written with the change that caused them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ordino.domain.events import Event


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
