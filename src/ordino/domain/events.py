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
