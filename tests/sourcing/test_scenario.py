"""Reading a scenario file: the API's documents with the API's defaults, and every
bad field refused by name."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ordino.kernel.domain.errors import InvalidInput
from ordino.network.domain.locations import LocationType
from ordino.sourcing.cli.scenario_generator import generate
from ordino.sourcing.domain.profiles import StrategyKind
from ordino.sourcing.domain.scenario import (
    profile_from_file,
    scenario_document,
    scenario_from_document,
)
from tests.support.scenarios import a_scenario_document

Change = Callable[[dict[str, Any]], None]


def test_a_short_document_reads_with_the_apis_defaults() -> None:
    scenario = scenario_from_document(a_scenario_document())

    assert scenario.profile.channels == frozenset({"web"})
    assert scenario.profile.strategies[2].kind is StrategyKind.BACKORDER
    assert scenario.profile.weights.per_day_late == Decimal("5.00")
    assert scenario.services["parcel"].calendar.weekdays == frozenset(range(6))
    assert scenario.cards["parcel"].minimum_charge == 0
    assert scenario.costs["DC-HAM"].per_unit == 0
    assert scenario.locations[1].type is LocationType.STORE
    assert scenario.orders[0].deliver_by == date(2026, 11, 30)
    assert scenario.operations["DC-HAM"].capacity is not None


def test_what_the_api_answers_reads_back_the_same() -> None:
    document = scenario_document(generate(orders=20, locations=10, skus=50, seed=3))

    again = scenario_document(scenario_from_document(copy.deepcopy(document)))

    assert again == document


def test_a_generated_scenario_is_the_same_for_the_same_seed() -> None:
    assert generate(30, 10, 40, seed=7) == generate(30, 10, 40, seed=7)
    assert generate(30, 10, 40, seed=7) != generate(30, 10, 40, seed=8)


def _set(path: str, value: Any) -> Change:
    def change(d: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        for key in parents:
            d = d[int(key)] if key.isdigit() else d[key]  # type: ignore[index]
        d[int(last) if last.isdigit() else last] = value  # type: ignore[index]

    return change


def _drop(path: str) -> Change:
    def change(d: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        for key in parents:
            d = d[int(key)] if key.isdigit() else d[key]  # type: ignore[index]
        del d[last]

    return change


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (_drop("orders"), "orders", "missing"),
        (_set("colour", "red"), "colour", "unknown field"),
        (_set("locations", {}), "locations", "must be a list"),
        (
            _set("profile/strategies/1/max_packges", 2),
            "profile.strategies[1].max_packges",
            "unknown field",
        ),
        (
            _set("profile/strategies/1/kind", "ship"),
            "profile.strategies[1].kind",
            "not a valid value",
        ),
        (
            _set("profile/strategies/0/max_packages", 0),
            "profile.strategies[0].max_packages",
            "must be at least 1",
        ),
        (
            _set("profile/filters", {"countries": "DE"}),
            "profile.filters.countries",
            "must be a list",
        ),
        (
            _set("profile/weights/per_day_late", "soon"),
            "profile.weights.per_day_late",
            "not a valid value",
        ),
        (_drop("locations/1/type"), "locations[1].type", "missing"),
        (_set("locations/1/id", "DC-HAM"), "locations[1].id", "'DC-HAM' appears twice"),
        (
            _set("locations/0/time_zone", "Europe/Hamburg"),
            "locations[0].time_zone",
            "not a valid value",
        ),
        (_set("locations/0/latitude", 95), "locations[0].latitude", "not a valid value"),
        (
            _set("rate_cards/0/zones/0/breaks/0/price", "cheap"),
            "rate_cards[0].zones[0].breaks[0].price",
            "not a valid value",
        ),
        (_set("rate_cards/0/zones/0/breaks", []), "rate_cards[0].zones[0]", "weight breaks"),
        (
            _set("carrier_services/0/transit/0/min_days", 3),
            "carrier_services[0].transit[0]",
            "min_days <= max_days",
        ),
        (
            _set("operations/0/location_id", "DC-XX"),
            "operations[0].location_id",
            "no location 'DC-XX'",
        ),
        (
            _set("operations/0/capacity", {"limit": 5, "unit": "pallets"}),
            "operations[0].capacity.unit",
            "not a valid value",
        ),
        (_set("location_costs/1/per_unit", 0.3), "location_costs[1].per_unit", "must be a string"),
        (_set("stock/ST-XX", {"A": 1}), "stock.ST-XX", "no location 'ST-XX'"),
        (_set("stock/DC-HAM/A", -1), "stock.DC-HAM.A", "0 or more"),
        (_set("stock/DC-HAM/Z", 1), "stock.DC-HAM.Z", "no product 'Z'"),
        (_set("orders/2/service", "express"), "orders[2].service", "no carrier service 'express'"),
        (_set("orders/1/placed_at", "2026-11-27T09:00:00"), "orders[1].placed_at", "UTC offset"),
        (_set("orders/1/deliver_by", "2026-11-31"), "orders[1].deliver_by", "not a valid value"),
        (_set("orders/0/lines/0/quantity", 0), "orders[0].lines[0].quantity", "above 0"),
        (_set("orders/0/lines", []), "orders[0].lines", "at least one line"),
        (_set("orders/0/ship_to/country", "Germany"), "orders[0].ship_to.country", "two-letter"),
        (_set("orders/1/id", "O-1"), "orders[1].id", "'O-1' appears twice"),
    ],
)
def test_a_bad_field_is_refused_by_name(change: Change, field: str, message: str) -> None:
    document = a_scenario_document()
    change(document)

    with pytest.raises(InvalidInput) as refused:
        scenario_from_document(document)

    assert [e.field for e in refused.value.errors] == [field]
    assert message in refused.value.errors[0].message
    assert str(refused.value).startswith(f"{field}: ")


def test_rate_cards_in_two_currencies_are_refused() -> None:
    document = a_scenario_document()
    card = copy.deepcopy(document["rate_cards"][0]) | {"service": "express", "currency": "CHF"}
    document["rate_cards"].append(card)

    with pytest.raises(InvalidInput, match=r"rate_cards\[1\]\.currency: .* one currency, EUR"):
        scenario_from_document(document)


def test_a_profile_file_is_a_profile_document_as_the_api_answers_it() -> None:
    profile = profile_from_file(
        {
            "name": "no-stores",
            "version": 4,
            "strategies": [{"name": "any"}],
            "filters": {"ship_from_store": False},
        }
    )

    assert (profile.name, profile.version, profile.filters.ship_from_store) == (
        "no-stores",
        4,
        False,
    )

    with pytest.raises(InvalidInput, match=r"^strategies: missing"):
        profile_from_file({"name": "empty"})
