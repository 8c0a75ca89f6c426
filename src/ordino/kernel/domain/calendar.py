"""Working calendars: when a location works, and on which days a carrier delivers.

A calendar lives in its own time zone (IANA name, through `zoneinfo`): opening hours
are wall-clock times of that zone and holidays are its local dates, so a location
abroad and the days the clocks change come out right. Times given to and returned by
a calendar are aware datetimes; arithmetic runs on UTC instants between local
boundaries, so a working day of 08:00-18:00 is ten real hours on a day the clocks
change too. A wall-clock time that does not exist that day (in the hour skipped in
spring) is read as the same time before the change (`fold=0`), as `zoneinfo` does.

Invariants: intervals of a day are sorted, each opens before it closes, none
overlap; weekdays are 0 (Monday) to 6 (Sunday).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from itertools import pairwise
from zoneinfo import ZoneInfo

from ordino.kernel.domain.errors import InvalidInput

# How far ahead a calendar looks for the next working day before it gives up: a
# location shut for longer than this promises nothing.
HORIZON_DAYS = 366

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class OpeningHours:
    """One interval of a day, local wall-clock times; no interval spans midnight
    (a night shift is two intervals, one each side)."""

    opens: time
    closes: time

    def __post_init__(self) -> None:
        if self.closes <= self.opens:
            raise InvalidInput(f"opening hours {self.opens}-{self.closes} close before they open")


ALL_DAY = (OpeningHours(time(0), time.max),)


@dataclass(frozen=True)
class WorkingCalendar:
    """The hours a location works: per weekday (Monday first) its intervals, and the
    local dates it does not work at all."""

    time_zone: str
    week: tuple[tuple[OpeningHours, ...], ...]
    holidays: frozenset[date] = frozenset()
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)
    # Each day's intervals, worked out once: calendars live as long as the picture of
    # the network, and promises ask the same days again and again.
    _days: dict[date, list[Interval]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise InvalidInput("a working week has 7 days, Monday first")
        for day in self.week:
            for earlier, later in pairwise(day):
                if later.opens < earlier.closes:
                    raise InvalidInput("opening hours of a day overlap or are not in order")
        object.__setattr__(self, "_zone", ZoneInfo(self.time_zone))

    @cached_property
    def works_at_all(self) -> bool:
        return any(self.week)

    def local_date(self, at: datetime) -> date:
        return at.astimezone(self._zone).date()

    def is_working_day(self, day: date) -> bool:
        return bool(self.week[day.weekday()]) and day not in self.holidays

    def intervals(self, day: date) -> list[Interval]:
        """The day's working intervals as UTC instants (empty on a day off)."""
        found = self._days.get(day)
        if found is None:
            found = self._days[day] = (
                [
                    (self.at(day, hours.opens), self.at(day, hours.closes))
                    for hours in self.week[day.weekday()]
                ]
                if self.is_working_day(day)
                else []
            )
        return found

    def working_days(self, start: date) -> Iterator[date]:
        """Working days from `start` on, up to the horizon."""
        for offset in range(HORIZON_DAYS):
            day = start + timedelta(days=offset)
            if self.is_working_day(day):
                yield day

    def next_open(self, at: datetime) -> datetime | None:
        """The first working instant at or after `at`; None if shut past the horizon."""
        for interval in self._intervals_from(at):
            return interval[0]
        return None

    def add_working_hours(self, start: datetime, hours: float) -> datetime | None:
        """The instant after `hours` of working time from `start`: work stops at
        closing and resumes at the next opening. With 0 hours, the next working
        instant. None when the calendar runs out before."""
        left = timedelta(hours=hours)
        for opens, closes in self._intervals_from(start):
            if closes - opens >= left:
                return opens + left
            left -= closes - opens
        return None

    def _intervals_from(self, at: datetime) -> Iterator[Interval]:
        """Working intervals that end after `at`, the first one cut to start at `at`."""
        instant = at.astimezone(UTC)
        for day in self.working_days(self.local_date(at)):
            for opens, closes in self.intervals(day):
                if closes > instant:
                    yield (max(opens, instant), closes)

    def at(self, day: date, wall: time) -> datetime:
        """The instant (UTC) of a local date and wall-clock time; `time.max` is the
        end of the day, the next midnight."""
        if wall == time.max:
            local = datetime.combine(day + timedelta(days=1), time(0), tzinfo=self._zone)
        else:
            local = datetime.combine(day, wall, tzinfo=self._zone)
        return local.astimezone(UTC)


def always_open(time_zone: str = "UTC") -> WorkingCalendar:
    return WorkingCalendar(time_zone, (ALL_DAY,) * 7)


@dataclass(frozen=True)
class DeliveryCalendar:
    """The days a carrier service delivers (weekdays, less its holidays)."""

    weekdays: frozenset[int] = frozenset(range(6))  # Monday to Saturday
    holidays: frozenset[date] = frozenset()

    def delivers_on(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def add_delivery_days(self, shipped: date, days: int) -> date | None:
        """The `days`-th delivery day after the day it shipped (0: the ship day itself
        if it is a delivery day, else the next one). None beyond the horizon."""
        counted, day = 0, shipped
        if days == 0 and self.delivers_on(day):
            return day
        for _ in range(HORIZON_DAYS):
            day += timedelta(days=1)
            if self.delivers_on(day):
                counted += 1
                if counted >= max(days, 1):
                    return day
        return None

    def on_or_after(self, day: date) -> date | None:
        """The first delivery day on or after `day`."""
        return self.add_delivery_days(day, 0)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def hours_document(week: tuple[tuple[OpeningHours, ...], ...]) -> dict[str, list[dict[str, str]]]:
    return {
        name: [{"opens": _wall(h.opens), "closes": _wall(h.closes)} for h in day]
        for name, day in zip(WEEKDAYS, week, strict=True)
    }


def hours_from_document(d: dict[str, list[dict[str, str]]]) -> tuple[tuple[OpeningHours, ...], ...]:
    return tuple(
        tuple(
            OpeningHours(_parse_wall(h["opens"]), _parse_wall(h["closes"])) for h in d.get(name, [])
        )
        for name in WEEKDAYS
    )


def weekdays_document(days: frozenset[int]) -> list[str]:
    return [WEEKDAYS[n] for n in sorted(days)]


def weekdays_from_document(names: list[str]) -> frozenset[int]:
    return frozenset(WEEKDAYS.index(name) for name in names)


def _wall(value: time) -> str:
    """ "24:00" is the end of the day (`time.max`)."""
    return "24:00" if value == time.max else value.strftime("%H:%M")


def _parse_wall(text: str) -> time:
    return time.max if text == "24:00" else time.fromisoformat(text)
