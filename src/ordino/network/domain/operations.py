"""How a location works: its calendar, cut-offs, processing times, capacity and the
days carriers collect; and from those, when an order placed now ships or is ready.

The rules (one place, pinned by tests/network/test_operations.py):
  * An order is taken into work on the day it arrives if that is a working day and it
    arrives before the cut-off of its service (set per carrier service code or per
    service level, the code's first; no cut-off: before closing); otherwise
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

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property
from itertools import count
from typing import Any

from ordino.kernel.domain import (
    WorkingCalendar,
    always_open,
    hours_document,
    hours_from_document,
    weekdays_document,
    weekdays_from_document,
)

# Each distinct schedule, numbered once. The numbers come from a counter, not from
# the dict's size: two threads numbering two new schedules at once get two numbers.
_SCHEDULES: dict[Hashable, int] = {}
_NUMBERS = count()

PICKUP = ("pickup",)  # the cut-off key of pickup orders


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
class CapacityTaken:
    """Capacity an order takes at a location on a local day, within `limit`."""

    location_id: str
    day: date
    amount: int
    limit: int


@dataclass(frozen=True)
class LocationOperations:
    location_id: str
    calendar: WorkingCalendar
    cut_offs: Mapping[str, time] = field(default_factory=dict)  # per service code
    ship_processing_hours: float = 0.0
    pickup_processing_hours: float = 0.0
    capacity: Capacity | None = None
    carrier_pickup_days: frozenset[int] = frozenset(range(7))  # weekdays carriers call

    @cached_property
    def schedule(self) -> int:
        """A number for all that decides when an order ships or is ready, but the
        capacity used and the location's id: locations with equal schedules have equal
        dates while nothing of their capacity is used. (A number: hashing the whole
        calendar again for every look-up cost more than working out the date.)"""
        key = (
            self.calendar,
            tuple(sorted(self.cut_offs.items())),
            self.ship_processing_hours,
            self.pickup_processing_hours,
            self.capacity,
            self.carrier_pickup_days,
        )
        return _SCHEDULES.setdefault(key, next(_NUMBERS))

    def cut_off(self, service: Sequence[str]) -> time | None:
        """The cut-off of the first of `service`'s names that has one (its code, then
        its level: a location may set one for all express services)."""
        return next((self.cut_offs[name] for name in service if name in self.cut_offs), None)

    def taken_at(self, now: datetime, service: Sequence[str]) -> datetime | None:
        """When work on an order placed `now` for `service` starts."""
        calendar = self.calendar
        today = calendar.local_date(now)
        cut_off = self.cut_off(service)
        before_cut_off = cut_off is None or now < calendar.at(today, cut_off)
        if before_cut_off and calendar.is_working_day(today):
            start = calendar.next_open(now)
            if start is not None and calendar.local_date(start) == today:
                return start
        return calendar.next_open(_midnight_after(calendar, today))

    def ship_date(
        self, now: datetime, service: Sequence[str], units: int, used: Mapping[date, int]
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
        collect: preparation in working hours, on a day with capacity; told to the
        customer as a whole minute, the next one."""
        ready = self.calendar.add_working_hours(_minute_up(start), self.pickup_processing_hours)
        while ready is not None and not self.has_room(self.calendar.local_date(ready), units, used):
            next_day = _midnight_after(self.calendar, self.calendar.local_date(ready))
            opening = self.calendar.next_open(next_day)
            if opening is None:
                return None
            ready = self.calendar.add_working_hours(opening, self.pickup_processing_hours)
        return ready

    def capacity_taken(self, day: date, units: int) -> CapacityTaken | None:
        if self.capacity is None:
            return None
        return CapacityTaken(self.location_id, day, self.capacity.need(units), self.capacity.limit)

    def has_room(self, day: date, units: int, used: Mapping[date, int]) -> bool:
        if self.capacity is None:
            return True
        return used.get(day, 0) + self.capacity.need(units) <= self.capacity.limit


def operations_document(operations: LocationOperations) -> dict[str, Any]:
    """How a location works, as JSON: stored so, and read and written by the API. The
    time zone is the location's own and is not repeated here."""
    calendar, capacity = operations.calendar, operations.capacity
    return {
        "opening_hours": hours_document(calendar.week),
        "holidays": [day.isoformat() for day in sorted(calendar.holidays)],
        "cut_offs": {
            service: at.strftime("%H:%M") for service, at in sorted(operations.cut_offs.items())
        },
        "ship_processing_hours": operations.ship_processing_hours,
        "pickup_processing_hours": operations.pickup_processing_hours,
        "capacity": None
        if capacity is None
        else {"limit": capacity.limit, "unit": str(capacity.unit)},
        "carrier_pickup_days": weekdays_document(operations.carrier_pickup_days),
    }


def operations_from_document(
    location_id: str, time_zone: str, d: dict[str, Any]
) -> LocationOperations:
    capacity = d.get("capacity")
    return LocationOperations(
        location_id,
        WorkingCalendar(
            time_zone,
            hours_from_document(d["opening_hours"]),
            frozenset(date.fromisoformat(day) for day in d["holidays"]),
        ),
        {service: time.fromisoformat(at) for service, at in d["cut_offs"].items()},
        d["ship_processing_hours"],
        d["pickup_processing_hours"],
        None if capacity is None else Capacity(capacity["limit"], CapacityUnit(capacity["unit"])),
        weekdays_from_document(d["carrier_pickup_days"]),
    )


def default_operations(location_id: str, time_zone: str) -> LocationOperations:
    """A location nobody described: always open, no cut-off, no processing time, no
    capacity limit; promises from it are as early as its stock allows."""
    return LocationOperations(location_id, always_open(time_zone))


def _minute_up(at: datetime) -> datetime:
    whole = at.replace(second=0, microsecond=0)
    return whole if whole == at else whole + timedelta(minutes=1)


def _midnight_after(calendar: WorkingCalendar, day: date) -> datetime:
    return calendar.at(day + timedelta(days=1), time(0))
