"""Service levels missed: a location that did not accept in time, a parcel not
shipped by its promised date, a pickup not collected, a backorder not filled by its
deadline. Each is recorded with what Ordino did about it; it stays open (on the
exceptions list) until what breached moves on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ordino.kernel.domain import Timer


class Action(StrEnum):
    FLAGGED = "flagged"  # someone must act
    REROUTED = "rerouted"  # taken from the location, sourced elsewhere
    NOT_COLLECTED = "not_collected"  # cancelled, back on the shelf
    CANCELLED = "cancelled"  # the units waiting were cancelled


@dataclass(frozen=True)
class Breach:
    id: str
    order_id: str
    fulfillment_id: str | None
    timer: Timer
    location_id: str | None
    due_at: datetime
    breached_at: datetime
    action: Action
    resolved_at: datetime | None = None

    @property
    def open(self) -> bool:
        return self.resolved_at is None and self.action is Action.FLAGGED


def breach_document(breach: Breach) -> dict[str, object]:
    return {
        "id": breach.id,
        "order_id": breach.order_id,
        "fulfillment_id": breach.fulfillment_id,
        "sla": str(breach.timer),
        "location_id": breach.location_id,
        "due_at": breach.due_at.isoformat(),
        "breached_at": breach.breached_at.isoformat(),
        "action": str(breach.action),
        "resolved_at": breach.resolved_at.isoformat() if breach.resolved_at else None,
    }
