"""Domain events, written to the outbox in the transaction that caused them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Event:
    id: str
    type: str  # past tense: order.created, order.cancelled
    occurred_at: datetime
    subject: str  # the aggregate the event is about, e.g. "order/01J…"
    data: dict[str, Any]
    seq: int | None = None  # its place in the outbox, once written there


def event_document(event: Event) -> dict[str, Any]:
    """An event as it leaves Ordino (broker messages, webhook bodies)."""
    return {
        "id": event.id,
        "type": event.type,
        "occurred_at": event.occurred_at.isoformat(),
        "subject": event.subject,
        "data": event.data,
    }
