"""A day of orders through a profile: the report adds up, stock never goes below
zero, capacity and promises are kept or counted, and a changed profile changes the
result the way it should."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ordino.sourcing.domain.scenario import Scenario, profile_from_file, scenario_from_document
from ordino.sourcing.engine.rules import Outcome
from ordino.sourcing.engine.simulation import simulate
from ordino.sourcing.engine.simulation_report import SimulationReport
from tests.support.scenarios import a_profile_document, a_scenario_document, an_order_document


def a_scenario(**overrides: Any) -> Scenario:
    return scenario_from_document(a_scenario_document(**overrides))


def held(scenario: Scenario) -> int:
    return sum(sum(s.values()) for s in scenario.stock.values())


def left(report: SimulationReport) -> int:
    return sum(sum(s.values()) for s in report.stock_left.values())


def test_the_cheapest_location_ships_until_its_stock_runs_out() -> None:
    scenario = a_scenario()

    report = simulate(scenario)

    assert report.orders == 3
    assert report.count(Outcome.SOURCED) == 3
    assert report.stock_left == {"DC-HAM": {"A": 0, "B": 5}, "ST-BER": {"A": 2, "B": 0}}
    assert dict(report.packages_by_type) == {"store": 1, "warehouse": 2}
    # 3 packages at 5.00, 3 orders handled at 1.00, one unit of store labour at 0.50
    assert report.cost.total == Decimal("18.50")
    assert (report.cost.shipping, report.cost.handling, report.cost.labour) == (
        Decimal("15.00"),
        Decimal("3.00"),
        Decimal("0.50"),
    )
    assert report.promises_kept == 3
    assert report.cost_per_order == Decimal("6.17")


def test_every_order_is_counted_once_and_no_unit_is_taken_twice() -> None:
    orders = [an_order_document(n, {"A": 2, "B": 1}) for n in range(1, 8)]
    scenario = a_scenario(orders=orders)

    report = simulate(scenario)

    outcomes = sum(report.count(o) for o in Outcome)
    assert outcomes == report.orders == 7
    assert report.count(Outcome.BACKORDERED) > 0
    assert all(units >= 0 for s in report.stock_left.values() for units in s.values())
    assert held(scenario) - left(report) == report.units_filled
    assert report.units == 21
    assert report.units_filled == 5 + 5  # all of A (2 + 3), all of B (5)


def test_a_profile_without_stores_ships_nothing_from_a_store() -> None:
    scenario = a_scenario()
    no_stores = profile_from_file(
        a_profile_document(name="no-stores", filters={"ship_from_store": False})
    )

    report = simulate(scenario, no_stores)

    assert report.profile == "no-stores"
    assert "store" not in report.packages_by_type
    assert report.count(Outcome.SOURCED) == 2
    assert report.count(Outcome.BACKORDERED) == 1
    assert report.stock_left["ST-BER"] == {"A": 3, "B": 0}


def test_a_full_day_pushes_the_shipment_to_the_next_and_another_location_keeps_the_promise() -> (
    None
):
    document = a_scenario_document()
    document["operations"][0]["capacity"] = {"limit": 1}
    orders = [an_order_document(n, {"A": 1}, deliver_by="2026-11-28") for n in range(1, 4)]
    scenario = scenario_from_document(document | {"orders": orders})

    report = simulate(scenario)

    by_id = {use.location_id: use for use in report.locations}
    assert (by_id["DC-HAM"].packages, by_id["DC-HAM"].busiest, by_id["DC-HAM"].limit) == (1, 1, 1)
    assert by_id["ST-BER"].packages == 2
    assert report.promises_kept == 3


def test_capacity_counted_in_units_is_never_exceeded() -> None:
    document = a_scenario_document()
    document["operations"][0]["capacity"] = {"limit": 3, "unit": "units"}
    orders = [an_order_document(n, {"B": 2}) for n in range(1, 4)]
    stock = {"DC-HAM": {"B": 9}}
    scenario = scenario_from_document(document | {"orders": orders, "stock": stock})

    report = simulate(scenario)

    dc = next(use for use in report.locations if use.location_id == "DC-HAM")
    assert (dc.unit, dc.limit, dc.busiest) == ("units", 3, 2)
    # Two orders of two units a day would be four: each ships whole, a day after the other.
    assert (dc.packages, dc.units) == (3, 6)
    assert report.count(Outcome.SOURCED) == 3


def test_a_late_delivery_is_counted_and_priced_by_the_profile() -> None:
    orders = [an_order_document(n, {"A": 1}, deliver_by="2026-11-27") for n in range(1, 4)]

    report = simulate(a_scenario(orders=orders))

    assert report.count(Outcome.SOURCED) == 3
    assert report.promises_kept == 0
    assert report.late_orders == 3
    assert report.objective.lateness == Decimal("15.00")  # a day late each, at 5.00
    assert report.cost.lateness == 0  # money: lateness is the profile's penalty only


def test_where_lateness_is_not_allowed_an_order_no_one_can_deliver_in_time_waits() -> None:
    orders = [an_order_document(1, {"A": 1}, deliver_by="2026-11-27")]
    strict = a_profile_document(weights={"per_day_late": None})

    report = simulate(a_scenario(orders=orders, profile=strict))

    assert report.count(Outcome.BACKORDERED) == 1
    assert report.units_filled == 0
    assert report.strategies == {"backorder": 1}
    assert left(report) == held(a_scenario())


def test_an_order_from_two_locations_is_a_split() -> None:
    orders = [an_order_document(1, {"A": 1, "B": 1})]
    stock = {"DC-HAM": {"B": 5}, "ST-BER": {"A": 3}}

    report = simulate(a_scenario(orders=orders, stock=stock))

    assert (report.packages, report.split_orders, report.split_rate) == (2, 1, 1.0)
    assert report.strategies == {"two packages": 1}
    assert report.objective.packages == Decimal("2.00")


def test_the_same_day_gives_the_same_report() -> None:
    orders = [an_order_document(n, {"A": 1, "B": n % 3}) for n in range(1, 10)]
    orders = [o | {"lines": [line for line in o["lines"] if line["quantity"]]} for o in orders]

    first = simulate(a_scenario(orders=orders))
    second = simulate(a_scenario(orders=orders))

    assert first == second


def test_progress_is_told_as_orders_are_done() -> None:
    heard: list[tuple[int, int]] = []

    simulate(a_scenario(), progress=lambda done, total: heard.append((done, total)), every=2)

    assert heard == [(2, 3), (3, 3)]
