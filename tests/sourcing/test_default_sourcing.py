"""The built-in profile (for orders no profile applies to), through the rules engine:
the whole order from the nearest location that can; otherwise the fewest
locations; lines split only when some line cannot be had whole; shortfalls as data."""

from __future__ import annotations

import copy
import random
from collections import Counter
from typing import NamedTuple

from hypothesis import given
from hypothesis import strategies as st

from ordino.inventory.domain.positions import StockAtLocation
from ordino.kernel.domain.geo import Point
from ordino.network.domain.carriers import Lane
from ordino.network.domain.costs import distance_card
from ordino.sourcing.domain.plans import LineDemand, PlannedAllocation, Shortfall, SourcingPlan
from ordino.sourcing.domain.profiles import DEFAULT_PROFILE
from ordino.sourcing.engine.choice import RulesEngine, SourcingRequest, plan_of
from ordino.sourcing.engine.optimiser import Candidate, SourcingLine
from ordino.sourcing.engine.rules import SourcingSite
from tests.support.builders import BERLIN, HAMBURG, MUNICH, VIENNA, a_location, a_stock_at


class Destination(NamedTuple):
    country: str
    point: Point | None


TO_HAMBURG = Destination("DE", HAMBURG)


def plan(
    demands: list[LineDemand],
    stock: list[StockAtLocation],
    destination: Destination = TO_HAMBURG,
) -> SourcingPlan:
    sites = tuple(
        SourcingSite(
            a_location(at.location_id, point=at.point),
            Candidate(
                at.location_id,
                Lane.between(at.country, at.point, destination.country, destination.point),
                at.available,
            ),
        )
        for at in stock
    )
    lines = tuple(SourcingLine(d.line_no, d.sku, d.quantity) for d in demands)
    request = SourcingRequest(DEFAULT_PROFILE, lines, sites, distance_card("EUR"))
    return plan_of(request, RulesEngine().decide(request))


def test_the_nearest_location_that_can_ship_the_whole_order_wins() -> None:
    stock = [
        a_stock_at("DC-MUC", {"A": 5, "B": 5}, point=MUNICH),
        a_stock_at("ST-HAM", {"A": 5}, point=HAMBURG),  # nearest, but has no B
        a_stock_at("DC-BER", {"A": 2, "B": 1}, point=BERLIN),
    ]

    result = plan([LineDemand(1, "A", 2), LineDemand(2, "B", 1)], stock)

    assert result == SourcingPlan(
        (PlannedAllocation(1, "A", "DC-BER", 2), PlannedAllocation(2, "B", "DC-BER", 1)), ()
    )


def test_when_no_location_can_ship_everything_the_fewest_locations_are_used() -> None:
    stock = [
        a_stock_at("ST-HAM", {"A": 2}, point=HAMBURG),
        a_stock_at("DC-BER", {"B": 2}, point=BERLIN),
        a_stock_at("DC-VIE", {"B": 2, "C": 2}, point=VIENNA),
    ]

    result = plan([LineDemand(1, "A", 2), LineDemand(2, "B", 2), LineDemand(3, "C", 2)], stock)

    # Nearest-first alone would take three locations; Vienna covers B and C together.
    assert result == SourcingPlan(
        (
            PlannedAllocation(1, "A", "ST-HAM", 2),
            PlannedAllocation(2, "B", "DC-VIE", 2),
            PlannedAllocation(3, "C", "DC-VIE", 2),
        ),
        (),
    )


def test_among_locations_covering_as_much_the_nearest_is_taken_first() -> None:
    stock = [
        a_stock_at("DC-VIE", {"A": 1}, point=VIENNA),
        a_stock_at("DC-MUC", {"B": 1}, point=MUNICH),
        a_stock_at("DC-BER", {"B": 1}, point=BERLIN),
        a_stock_at("ST-HAM", {"A": 1}, point=HAMBURG),
    ]

    result = plan([LineDemand(1, "A", 1), LineDemand(2, "B", 1)], stock)

    assert result.allocations == (
        PlannedAllocation(1, "A", "ST-HAM", 1),
        PlannedAllocation(2, "B", "DC-BER", 1),
    )


def test_a_line_is_split_only_when_no_single_location_can_fill_it() -> None:
    stock = [
        a_stock_at("ST-HAM", {"A": 6}, point=HAMBURG),
        a_stock_at("DC-BER", {"A": 6}, point=BERLIN),
    ]

    result = plan([LineDemand(1, "A", 10)], stock)

    assert result == SourcingPlan(
        (PlannedAllocation(1, "A", "DC-BER", 4), PlannedAllocation(1, "A", "ST-HAM", 6)), ()
    )


def test_a_line_one_location_can_fill_is_not_split_to_cover_more_elsewhere() -> None:
    stock = [
        a_stock_at("ST-HAM", {"A": 10}, point=HAMBURG),
        a_stock_at("DC-BER", {"A": 6, "B": 10}, point=BERLIN),  # covers the most units
    ]

    result = plan([LineDemand(1, "A", 10), LineDemand(2, "B", 10)], stock)

    assert result == SourcingPlan(
        (PlannedAllocation(1, "A", "ST-HAM", 10), PlannedAllocation(2, "B", "DC-BER", 10)), ()
    )


def test_what_the_network_lacks_is_reported_with_requested_and_available() -> None:
    stock = [
        a_stock_at("ST-HAM", {"A": 3}, point=HAMBURG),
        a_stock_at("DC-BER", {"A": 4}, point=BERLIN),
    ]

    result = plan([LineDemand(1, "A", 10), LineDemand(2, "B", 5)], stock)

    assert not result.complete
    assert result.shortfalls == (Shortfall(1, "A", 10, 7, 3), Shortfall(2, "B", 5, 0, 5))
    assert result.allocations == (
        PlannedAllocation(1, "A", "DC-BER", 4),
        PlannedAllocation(1, "A", "ST-HAM", 3),
    )


def test_an_empty_network_is_short_of_everything() -> None:
    result = plan([LineDemand(1, "A", 1)], [])

    assert result == SourcingPlan((), (Shortfall(1, "A", 1, 0, 1),))


def test_two_lines_of_the_same_sku_are_counted_together() -> None:
    stock = [
        a_stock_at("ST-HAM", {"A": 4}, point=HAMBURG),  # fills either line, not both
        a_stock_at("DC-BER", {"A": 6}, point=BERLIN),
    ]

    result = plan([LineDemand(1, "A", 3), LineDemand(2, "A", 3)], stock)

    assert result == SourcingPlan(
        (PlannedAllocation(1, "A", "DC-BER", 3), PlannedAllocation(2, "A", "DC-BER", 3)), ()
    )


def test_locations_without_coordinates_rank_after_those_with() -> None:
    stock = [
        a_stock_at("A-NOWHERE", {"A": 1}, point=None),
        a_stock_at("DC-VIE", {"A": 1}, country="AT", point=VIENNA),
    ]

    assert plan([LineDemand(1, "A", 1)], stock).allocations == (
        PlannedAllocation(1, "A", "DC-VIE", 1),
    )


def test_a_destination_without_coordinates_ranks_by_location_id() -> None:
    # Every lane's distance is unknown: the distance scale prices them alike.
    stock = [
        a_stock_at("DC-B", {"A": 1}, country="AT", point=BERLIN),
        a_stock_at("DC-C", {"A": 1}, country="DE", point=VIENNA),
        a_stock_at("DC-A", {"A": 1}, country="AT", point=HAMBURG),
    ]

    result = plan([LineDemand(1, "A", 1)], stock, Destination("AT", None))

    assert result.allocations == (PlannedAllocation(1, "A", "DC-A", 1),)


def test_ties_are_broken_by_location_id() -> None:
    stock = [
        a_stock_at("DC-B", {"A": 1}, point=BERLIN),
        a_stock_at("DC-A", {"A": 1}, point=BERLIN),
        a_stock_at("DC-C", {"A": 1}, point=BERLIN),
    ]

    assert plan([LineDemand(1, "A", 1)], stock).allocations == (
        PlannedAllocation(1, "A", "DC-A", 1),
    )


def test_of_two_locations_that_cost_the_same_the_nearer_ships() -> None:
    # Munich and Frankfurt are both 320-640 km from Hamburg: one band, one price.
    stock = [
        a_stock_at("DC-A", {"A": 1}, point=MUNICH),
        a_stock_at("DC-B", {"A": 1}, point=Point(50.11, 8.68)),
    ]

    assert plan([LineDemand(1, "A", 1)], stock).allocations == (
        PlannedAllocation(1, "A", "DC-B", 1),
    )


def test_the_input_is_not_mutated() -> None:
    stock = [
        a_stock_at("ST-HAM", {"A": 6, "B": 1}, point=HAMBURG),
        a_stock_at("DC-BER", {"A": 6}, point=BERLIN),
    ]
    demands = [LineDemand(1, "A", 10), LineDemand(2, "B", 2)]
    before = copy.deepcopy((demands, stock))

    plan(demands, stock)

    assert (demands, stock) == before


# Properties over random networks -------------------------------------------------------

SKUS = ["A", "B", "C"]

points = st.one_of(
    st.none(),
    st.builds(Point, st.floats(-60, 60, allow_nan=False), st.floats(-180, 180, allow_nan=False)),
)


@st.composite
def networks(draw: st.DrawFn) -> list[StockAtLocation]:
    ids = draw(st.lists(st.sampled_from("PQRSTU"), min_size=1, max_size=5, unique=True))
    return [
        StockAtLocation(
            f"L-{location_id}",
            draw(st.sampled_from(["DE", "AT"])),
            draw(points),
            draw(st.dictionaries(st.sampled_from(SKUS), st.integers(0, 10), max_size=3)),
        )
        for location_id in ids
    ]


@st.composite
def orders(draw: st.DrawFn, unique_skus: bool = False) -> list[LineDemand]:
    skus = draw(st.lists(st.sampled_from(SKUS), min_size=1, max_size=4, unique=unique_skus))
    return [LineDemand(no, sku, draw(st.integers(1, 12))) for no, sku in enumerate(skus, start=1)]


destinations = st.builds(Destination, st.sampled_from(["DE", "AT"]), points)


def allocated(result: SourcingPlan, line_no: int) -> int:
    return sum(a.quantity for a in result.allocations if a.line_no == line_no)


def network_total(stock: list[StockAtLocation]) -> Counter[str]:
    total = Counter[str]()
    for location in stock:
        total.update(location.available)
    return total


@given(networks(), orders(), destinations)
def test_allocated_plus_short_is_requested(
    stock: list[StockAtLocation], demands: list[LineDemand], destination: Destination
) -> None:
    result = plan(demands, stock, destination)

    short = {s.line_no: s for s in result.shortfalls}
    for demand in demands:
        given_ = allocated(result, demand.line_no)
        if demand.line_no in short:
            assert given_ < demand.quantity
            assert short[demand.line_no].requested == demand.quantity
            assert short[demand.line_no].available == network_total(stock)[demand.sku]
        else:
            assert given_ == demand.quantity
    requested = Counter[str]()
    for demand in demands:
        requested[demand.sku] += demand.quantity
    for sku, quantity in requested.items():  # short only of what the network lacks
        taken = sum(a.quantity for a in result.allocations if a.sku == sku)
        assert taken == min(quantity, network_total(stock)[sku])


@given(networks(), orders(), destinations)
def test_no_location_gives_more_than_it_has_and_every_allocation_is_positive(
    stock: list[StockAtLocation], demands: list[LineDemand], destination: Destination
) -> None:
    result = plan(demands, stock, destination)

    given_ = Counter[tuple[str, str]]()
    for a in result.allocations:
        assert a.quantity > 0
        given_[(a.location_id, a.sku)] += a.quantity
    has = {loc.location_id: loc.available for loc in stock}
    for (location_id, sku), quantity in given_.items():
        assert quantity <= has[location_id].get(sku, 0)


@given(networks(), orders(), destinations, st.randoms(use_true_random=False))
def test_the_same_input_gives_the_same_plan_in_any_location_order(
    stock: list[StockAtLocation],
    demands: list[LineDemand],
    destination: Destination,
    rng: random.Random,
) -> None:
    shuffled = list(stock)
    rng.shuffle(shuffled)

    first = plan(demands, stock, destination)

    assert plan(demands, stock, destination) == first
    assert plan(demands, shuffled, destination) == first


@given(networks(), orders(), destinations)
def test_when_one_location_can_cover_everything_the_plan_uses_only_it(
    stock: list[StockAtLocation], demands: list[LineDemand], destination: Destination
) -> None:
    needed = Counter[str]()
    for demand in demands:
        needed[demand.sku] += demand.quantity
    covering = [
        loc for loc in stock if all(loc.available.get(s, 0) >= q for s, q in needed.items())
    ]

    result = plan(demands, stock, destination)

    if covering:
        assert result.complete
        assert len({a.location_id for a in result.allocations}) == 1


@given(networks(), orders(unique_skus=True), destinations)
def test_when_every_line_can_be_filled_whole_none_is_split(
    stock: list[StockAtLocation], demands: list[LineDemand], destination: Destination
) -> None:
    result = plan(demands, stock, destination)

    whole = all(
        any(loc.available.get(demand.sku, 0) >= demand.quantity for loc in stock)
        for demand in demands
    )
    if whole:  # the first strategy keeps lines whole, and fills the order
        for demand in demands:
            sources = {a.location_id for a in result.allocations if a.line_no == demand.line_no}
            assert len(sources) == 1
