"""When an order placed now ships, or is ready for pickup: cut-offs at the boundary,
processing in working hours, carrier collection days, capacity running out."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from ordino.kernel.domain.calendar import OpeningHours, WorkingCalendar
from ordino.network.domain.operations import Capacity, CapacityUnit, LocationOperations

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2026, 11, 2)


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def a_warehouse(**overrides: object) -> LocationOperations:
    week = ((OpeningHours(time(8), time(20)),),) * 5 + ((OpeningHours(time(8), time(12)),), ())
    values: dict[str, object] = {
        "location_id": "DC-1",
        "calendar": WorkingCalendar("Europe/Berlin", week),
        "cut_offs": {"standard": time(15), "express": time(12)},
        "ship_processing_hours": 2.0,
        "pickup_processing_hours": 1.0,
    }
    values.update(overrides)
    return LocationOperations(**values)  # type: ignore[arg-type]


def test_an_order_just_before_the_cut_off_ships_the_same_day() -> None:
    assert a_warehouse().ship_date(berlin(2026, 11, 2, 14, 59), ("standard",), 1, {}) == MONDAY


def test_an_order_at_the_cut_off_ships_the_next_working_day() -> None:
    assert a_warehouse().ship_date(berlin(2026, 11, 2, 15), ("standard",), 1, {}) == date(
        2026, 11, 3
    )


def test_each_service_has_its_own_cut_off() -> None:
    warehouse = a_warehouse()
    assert warehouse.ship_date(berlin(2026, 11, 2, 13), ("express",), 1, {}) == date(2026, 11, 3)
    assert warehouse.ship_date(berlin(2026, 11, 2, 13), ("standard",), 1, {}) == MONDAY


def test_a_service_without_a_cut_off_is_taken_until_closing() -> None:
    warehouse = a_warehouse(ship_processing_hours=0.0)
    assert warehouse.ship_date(berlin(2026, 11, 2, 19, 59), ("next_day",), 1, {}) == MONDAY
    assert warehouse.ship_date(berlin(2026, 11, 2, 20), ("next_day",), 1, {}) == date(2026, 11, 3)


def test_the_cut_off_is_in_the_locations_time_zone() -> None:
    warehouse = a_warehouse()
    # 13:30 UTC is 14:30 in Berlin in November (before the cut-off)...
    assert warehouse.ship_date(datetime(2026, 11, 2, 13, 30, tzinfo=UTC), ("standard",), 1, {}) == (
        MONDAY
    )
    # ...and 15:30 in Berlin in summer (after it).
    assert warehouse.ship_date(datetime(2026, 7, 1, 13, 30, tzinfo=UTC), ("standard",), 1, {}) == (
        date(2026, 7, 2)
    )


def test_processing_that_runs_past_closing_ships_the_next_day() -> None:
    warehouse = a_warehouse(ship_processing_hours=6.0)
    # Taken at 14:00, 6 hours with the day closing at 20:00: ready at 20:00, ships Monday.
    assert warehouse.ship_date(berlin(2026, 11, 2, 14), ("standard",), 1, {}) == MONDAY
    # Taken at 14:30: ready Tuesday 08:30.
    assert warehouse.ship_date(berlin(2026, 11, 2, 14, 30), ("standard",), 1, {}) == date(
        2026, 11, 3
    )


def test_a_weekend_order_ships_on_the_next_working_day() -> None:
    warehouse = a_warehouse()
    assert warehouse.ship_date(berlin(2026, 11, 7, 11), ("standard",), 1, {}) == date(2026, 11, 9)
    assert warehouse.ship_date(berlin(2026, 11, 8, 10), ("standard",), 1, {}) == date(2026, 11, 9)


def test_a_holiday_is_no_ship_day() -> None:
    week = ((OpeningHours(time(8), time(20)),),) * 5 + ((), ())
    calendar = WorkingCalendar("Europe/Berlin", week, frozenset({date(2026, 12, 25)}))
    warehouse = a_warehouse(calendar=calendar)
    assert warehouse.ship_date(berlin(2026, 12, 24, 16), ("standard",), 1, {}) == date(2026, 12, 28)


def test_it_ships_only_on_days_the_carrier_collects() -> None:
    warehouse = a_warehouse(carrier_pickup_days=frozenset({0, 2, 4}))  # Mon, Wed, Fri
    assert warehouse.ship_date(berlin(2026, 11, 3, 10), ("standard",), 1, {}) == date(2026, 11, 4)


def test_a_day_without_capacity_left_pushes_the_order_to_the_next() -> None:
    warehouse = a_warehouse(capacity=Capacity(2))
    assert warehouse.ship_date(berlin(2026, 11, 2, 9), ("standard",), 1, {MONDAY: 1}) == MONDAY
    assert warehouse.ship_date(berlin(2026, 11, 2, 9), ("standard",), 1, {MONDAY: 2}) == date(
        2026, 11, 3
    )


def test_capacity_in_units_counts_the_orders_units() -> None:
    warehouse = a_warehouse(capacity=Capacity(10, CapacityUnit.UNITS))
    assert warehouse.ship_date(berlin(2026, 11, 2, 9), ("standard",), 2, {MONDAY: 8}) == MONDAY
    assert warehouse.ship_date(berlin(2026, 11, 2, 9), ("standard",), 3, {MONDAY: 8}) == date(
        2026, 11, 3
    )


def test_a_location_that_never_works_ships_nothing() -> None:
    warehouse = a_warehouse(calendar=WorkingCalendar("Europe/Berlin", ((),) * 7))
    assert warehouse.ship_date(berlin(2026, 11, 2, 9), ("standard",), 1, {}) is None


def test_pickup_is_ready_after_its_preparation_in_working_hours() -> None:
    store = a_warehouse()
    assert store.ready_for_pickup(berlin(2026, 11, 2, 10), 1, {}) == berlin(2026, 11, 2, 11)
    assert store.ready_for_pickup(berlin(2026, 11, 2, 19, 30), 1, {}) == berlin(2026, 11, 3, 8, 30)


def test_pickup_on_a_full_day_is_prepared_the_next_working_day() -> None:
    store = a_warehouse(capacity=Capacity(1))
    ready = store.ready_for_pickup(berlin(2026, 11, 2, 10), 1, {MONDAY: 1})
    assert ready == berlin(2026, 11, 3, 9)


def test_a_cut_off_of_the_service_code_comes_before_one_of_its_level() -> None:
    warehouse = a_warehouse(cut_offs={"express": time(12), "dhl-express": time(10)})
    at_eleven = berlin(2026, 11, 2, 11)
    assert warehouse.ship_date(at_eleven, ("dhl-express", "express"), 1, {}) == date(2026, 11, 3)
    assert warehouse.ship_date(at_eleven, ("ups-express", "express"), 1, {}) == MONDAY


def test_a_pickup_is_ready_at_a_whole_minute() -> None:
    store = a_warehouse()
    assert store.ready_for_pickup(berlin(2026, 11, 2, 10, 0, 1), 1, {}) == berlin(
        2026, 11, 2, 11, 1
    )
