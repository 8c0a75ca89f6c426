"""How a location works: its calendar, cut-offs, processing times, capacity and the
days carriers collect; and from those, when an order placed now ships or is ready.

The rules (one place, pinned by tests/unit/test_operations.py):
  * An order is taken into work on the day it arrives if that is a working day and it
    arrives before the cut-off of its service (no cut-off: before closing); otherwise
    at the next working day's opening. Work starts at the first working instant from
    then on.
  * Processing takes working hours: work stops at closing and resumes at the next
    opening. When it ends is when the order is ready.
  * It ships on the first day, from the day it is ready, that is a working day, a
    carrier collection day, and has capacity left for it; a full day pushes it to the
    next. Capacity counts orders or units per local day, consumed by placed orders
    (quotes consume nothing).
  * A pickup order is ready when its preparation is done, on a day with capacity.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from ordino.domain.calendar import WorkingCalendar, always_open

PICKUP_SERVICE = "pickup"  # the cut-off key of pickup orders


class CapacityUnit(StrEnum):
    ORDERS = "orders"
    UNITS = "units"


@dataclass(frozen=True)
class Capacity:
    """At most `limit` orders (or units) a day."""

    limit: int
    unit: CapacityUnit = CapacityUnit.ORDERS

    def need(self, units: int) -> int:
        return units if self.unit is CapacityUnit.UNITS else 1


@dataclass(frozen=True)
class LocationOperations:
    location_id: str
    calendar: WorkingCalendar
    cut_offs: Mapping[str, time] = field(default_factory=dict)  # per service code
    ship_processing_hours: float = 0.0
    pickup_processing_hours: float = 0.0
    capacity: Capacity | None = None
    carrier_pickup_days: frozenset[int] = frozenset(range(7))  # weekdays carriers call

    def taken_at(self, now: datetime, service: str) -> datetime | None:
        """When work on an order placed `now` for `service` starts."""
        calendar = self.calendar
        today = calendar.local_date(now)
        cut_off = self.cut_offs.get(service)
        before_cut_off = cut_off is None or now < calendar.at(today, cut_off)
        if before_cut_off and calendar.is_working_day(today):
            start = calendar.next_open(now)
            if start is not None and calendar.local_date(start) == today:
                return start
        tomorrow = calendar.next_open(_midnight_after(calendar, today))
        return tomorrow

    def ship_date(
        self, now: datetime, service: str, units: int, used: Mapping[date, int]
    ) -> date | None:
        """The local date an order placed `now` leaves with the carrier; None when none
        within the calendar's horizon."""
        start = self.taken_at(now, service)
        if start is None:
            return None
        ready = self.calendar.add_working_hours(start, self.ship_processing_hours)
        if ready is None:
            return None
        for day in self.calendar.working_days(self.calendar.local_date(ready)):
            if day.weekday() in self.carrier_pickup_days and self.has_room(day, units, used):
                return day
        return None

    def ready_for_pickup(
        self, start: datetime, units: int, used: Mapping[date, int]
    ) -> datetime | None:
        """When an order whose goods are at the store from `start` on is ready to
        collect: preparation in working hours, on a day with capacity."""
        ready = self.calendar.add_working_hours(start, self.pickup_processing_hours)
        while ready is not None and not self.has_room(self.calendar.local_date(ready), units, used):
            next_day = _midnight_after(self.calendar, self.calendar.local_date(ready))
            opening = self.calendar.next_open(next_day)
            if opening is None:
                return None
            ready = self.calendar.add_working_hours(opening, self.pickup_processing_hours)
        return ready

    def has_room(self, day: date, units: int, used: Mapping[date, int]) -> bool:
        if self.capacity is None:
            return True
        return used.get(day, 0) + self.capacity.need(units) <= self.capacity.limit


def default_operations(location_id: str, time_zone: str) -> LocationOperations:
    """A location nobody described: always open, no cut-off, no processing time, no
    capacity limit; promises from it are as early as its stock allows."""
    return LocationOperations(location_id, always_open(time_zone))


def _midnight_after(calendar: WorkingCalendar, day: date) -> datetime:
    return calendar.at(day + timedelta(days=1), time(0))
