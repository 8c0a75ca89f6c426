"""Shipment history: what was ordered, from where to where, and when it arrived.

The history is what the transit-time model learns from (docs/promising.md shows
the CSV format). Invariants of every `Shipment`:
  * times are timezone-aware and keep the offset they were recorded with, because
    days are counted in local calendars: a lead time is the destination-local
    delivery date minus the order-local date;
  * `delivered_at` is not before `ordered_at`, and `shipped_at`, when known, lies
    between the two;
  * a place's `point` is a valid latitude/longitude or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ordino.kernel.domain import Point


@dataclass(frozen=True)
class Place:
    """One end of a shipment; any part may be unknown."""

    postal_code: str | None = None
    region: str | None = None
    country: str | None = None
    point: Point | None = None

    @property
    def region_key(self) -> str | None:
        """The region within its country ("BR/SP"): region codes repeat across countries."""
        if self.region is None:
            return None
        return f"{self.country or ''}/{self.region}"


NOWHERE = Place()


@dataclass(frozen=True)
class Shipment:
    shipment_id: str
    ordered_at: datetime
    origin: Place
    destination: Place
    shipped_at: datetime | None
    delivered_at: datetime
    promised_by: date | None = None
    units: int | None = None
    weight_kg: float | None = None
    carrier: str | None = None
    service: str | None = None

    @property
    def delivered_on(self) -> date:
        """The delivery's date in the destination's calendar (the offset recorded)."""
        return self.delivered_at.date()

    @property
    def lead_days(self) -> int:
        """Order to delivery, in calendar days."""
        return (self.delivered_on - self.ordered_at.date()).days

    @property
    def transit_days(self) -> int | None:
        """Hand-over to the carrier to delivery, in calendar days; None when not shipped."""
        if self.shipped_at is None:
            return None
        return (self.delivered_on - self.shipped_at.date()).days

    @property
    def on_time(self) -> bool | None:
        """Whether the history's own promise was kept; None without one."""
        if self.promised_by is None:
            return None
        return self.delivered_on <= self.promised_by


def slack_days(promised_by: date, shipment: Shipment) -> int:
    """Days to spare between a promise and the delivery; negative when late."""
    return (promised_by - shipment.delivered_on).days
