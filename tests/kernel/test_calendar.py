"""Calendar arithmetic: working hours across closings, holidays, time zones and the
days the clocks change; carriers' delivery days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from ordino.kernel.domain.calendar import (
    DeliveryCalendar,
    OpeningHours,
    WorkingCalendar,
    always_open,
)
from ordino.kernel.domain.errors import InvalidInput

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAY = (OpeningHours(time(9), time(18)),)
SATURDAY = (OpeningHours(time(10), time(14)),)


def a_shop(**overrides: object) -> WorkingCalendar:
    values: dict[str, object] = {
        "time_zone": "Europe/Berlin",
        "week": (WEEKDAY,) * 5 + (SATURDAY, ()),
        "holidays": frozenset(),
    }
    values.update(overrides)
    return WorkingCalendar(**values)  # type: ignore[arg-type]


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def test_working_hours_stop_at_closing_and_resume_at_the_next_opening() -> None:
    shop = a_shop()
    assert shop.add_working_hours(berlin(2026, 11, 2, 17), 2) == berlin(2026, 11, 3, 10)


def test_working_hours_that_end_exactly_at_closing_end_that_day() -> None:
    assert a_shop().add_working_hours(berlin(2026, 11, 2, 16), 2) == berlin(2026, 11, 2, 18)


def test_work_started_outside_hours_begins_at_the_next_opening() -> None:
    shop = a_shop()
    assert shop.add_working_hours(berlin(2026, 11, 2, 6, 30), 1) == berlin(2026, 11, 2, 10)
    assert shop.next_open(berlin(2026, 11, 7, 15)) == berlin(2026, 11, 9, 9)  # Sat after 14:00


def test_a_day_of_split_hours_skips_the_lunch_break() -> None:
    split = (OpeningHours(time(9), time(12)), OpeningHours(time(13), time(18)))
    shop = a_shop(week=(split,) * 5 + ((), ()))
    assert shop.add_working_hours(berlin(2026, 11, 2, 11), 2) == berlin(2026, 11, 2, 14)


def test_holidays_are_skipped() -> None:
    shop = a_shop(holidays=frozenset({date(2026, 12, 24), date(2026, 12, 25)}))
    # Wednesday 17:00, 3 hours: 1 on Wednesday, Thursday and Friday off, 2 on Saturday.
    assert shop.add_working_hours(berlin(2026, 12, 23, 17), 3) == berlin(2026, 12, 26, 12)
    assert not shop.is_working_day(date(2026, 12, 25))


def test_a_working_day_is_its_real_length_when_the_clocks_go_forward() -> None:
    shop = always_open("Europe/Berlin")
    # 29 March 2026 has 23 hours in Berlin: 24 working hours from Saturday noon end at
    # 13:00 on Sunday by the wall clock.
    assert shop.add_working_hours(berlin(2026, 3, 28, 12), 24) == berlin(2026, 3, 29, 13)
    shop = a_shop(week=((OpeningHours(time(8), time(18)),),) * 7)
    assert shop.add_working_hours(berlin(2026, 3, 29, 8), 10) == berlin(2026, 3, 29, 18)


def test_a_working_day_is_its_real_length_when_the_clocks_go_back() -> None:
    shop = always_open("Europe/Berlin")
    # 25 October 2026 has 25 hours in Berlin.
    assert shop.add_working_hours(berlin(2026, 10, 24, 12), 24) == berlin(2026, 10, 25, 11)


def test_local_dates_are_the_calendars_own() -> None:
    new_york = a_shop(time_zone="America/New_York")
    late_evening = datetime(2026, 11, 3, 3, 0, tzinfo=UTC)  # 22:00 on the 2nd in New York
    assert new_york.local_date(late_evening) == date(2026, 11, 2)
    assert new_york.next_open(late_evening) == datetime(2026, 11, 3, 14, tzinfo=UTC)


def test_a_calendar_that_never_opens_gives_no_time() -> None:
    closed = a_shop(week=((),) * 7)
    assert closed.next_open(berlin(2026, 11, 2, 9)) is None
    assert closed.add_working_hours(berlin(2026, 11, 2, 9), 1) is None


@pytest.mark.parametrize(
    "week",
    [
        (WEEKDAY,) * 6,
        ((OpeningHours(time(9), time(13)), OpeningHours(time(12), time(18))),) * 7,
    ],
)
def test_a_malformed_week_is_refused(week: tuple[tuple[OpeningHours, ...], ...]) -> None:
    with pytest.raises(InvalidInput):
        a_shop(week=week)


def test_hours_that_close_before_they_open_are_refused() -> None:
    with pytest.raises(InvalidInput):
        OpeningHours(time(18), time(9))


def test_carriers_deliver_only_on_their_days() -> None:
    monday_to_saturday = DeliveryCalendar()
    monday_to_friday = DeliveryCalendar(weekdays=frozenset(range(5)))
    friday = date(2026, 11, 6)
    assert monday_to_saturday.add_delivery_days(friday, 1) == date(2026, 11, 7)
    assert monday_to_friday.add_delivery_days(friday, 1) == date(2026, 11, 9)
    assert monday_to_friday.add_delivery_days(friday, 2) == date(2026, 11, 10)


def test_carrier_holidays_are_no_delivery_days() -> None:
    carrier = DeliveryCalendar(holidays=frozenset({date(2026, 12, 25), date(2026, 12, 26)}))
    assert carrier.add_delivery_days(date(2026, 12, 24), 1) == date(2026, 12, 28)


def test_zero_transit_days_deliver_on_the_ship_day_or_the_next_delivery_day() -> None:
    carrier = DeliveryCalendar()
    assert carrier.add_delivery_days(date(2026, 11, 2), 0) == date(2026, 11, 2)
    assert carrier.on_or_after(date(2026, 11, 8)) == date(2026, 11, 9)  # Sunday → Monday
