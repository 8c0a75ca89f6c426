"""Sourcing by a profile: each filter excludes with its rule named, strategies fall
back in order, backorder and cancel end the order as they say."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.kernel.domain.geo import Point
from ordino.network.domain.carriers import Lane, LaneMatch
from ordino.network.domain.costs import LocationCosts, RateCard, RateZone, WeightBreak
from ordino.network.domain.locations import Address, LocationType
from ordino.sourcing.domain.profiles import (
    Filters,
    SourcingProfile,
    Strategy,
    StrategyKind,
    applying,
)
from ordino.sourcing.engine.optimiser import Candidate, SourcingLine
from ordino.sourcing.engine.rules import Outcome, SourcingRequest, SourcingSite, decide
from tests.support.builders import BERLIN, HAMBURG, MUNICH, VIENNA, a_location

D = Decimal
CUSTOMER = Point(52.52, 13.40)
CARD = RateCard(
    "parcel",
    "EUR",
    (RateZone(LaneMatch(), (WeightBreak(D(30), D("5.00")),)),),
)


def a_site(
    id: str, stock: dict[str, int], point: Point = BERLIN, country: str = "DE", **overrides: Any
) -> SourcingSite:
    location = a_location(
        id,
        point=point,
        type=overrides.pop("type", LocationType.WAREHOUSE),
        address=Address("Str. 1", "Ort", "10115", country),
    )
    lane = Lane.between(country, point, "DE", CUSTOMER, "10115")
    return SourcingSite(location, Candidate(id, lane, stock, **overrides))


def profile(*strategies: Strategy, **filters: Any) -> SourcingProfile:
    return SourcingProfile("web", frozenset({"web"}), strategies, Filters(**filters))


WHOLE = Strategy("ship complete", max_packages=1, split_lines=False)
SPLIT = Strategy("split")
LINES = (SourcingLine(1, "A", 2), SourcingLine(2, "B", 1))
SITES = (
    a_site("DC-BER", {"A": 5, "B": 5}),
    a_site("DC-MUC", {"A": 5, "B": 5}, point=MUNICH),
    a_site("ST-HAM", {"A": 5, "B": 5}, point=HAMBURG, type=LocationType.STORE),
    a_site("DC-VIE", {"A": 5, "B": 5}, point=VIENNA, country="AT"),
)


@pytest.mark.parametrize(
    ("filters", "excluded"),
    [
        ({"location_types": frozenset({LocationType.STORE})}, ("DC-BER", "location-type")),
        ({"countries": frozenset({"AT"})}, ("DC-BER", "country")),
        ({"include": frozenset({"DC-VIE"})}, ("DC-BER", "not-included")),
        ({"exclude": frozenset({"DC-BER"})}, ("DC-BER", "excluded")),
        ({"radius_km": 100.0}, ("DC-MUC", "radius")),
        ({"ship_from_store": False}, ("ST-HAM", "no-ship-from-store")),
    ],
)
def test_each_filter_excludes_with_its_rule_named(
    filters: dict[str, Any], excluded: tuple[str, str]
) -> None:
    decision = decide(SourcingRequest(profile(WHOLE, **filters), LINES, SITES, CARD))
    assert excluded in {(e.location_id, e.rule) for e in decision.excluded}
    assert excluded[0] not in {a.location_id for a in decision.solution.assignments}


def test_stock_a_location_must_keep_is_not_sourced() -> None:
    sites = (a_site("DC-BER", {"A": 2, "B": 5}), a_site("DC-MUC", {"A": 5, "B": 5}, point=MUNICH))
    decision = decide(SourcingRequest(profile(WHOLE, min_stock_left=1), LINES, sites, CARD))
    assert {a.location_id for a in decision.solution.assignments} == {"DC-MUC"}


def test_a_strategy_that_cannot_fill_falls_back_to_the_next() -> None:
    sites = (a_site("DC-BER", {"A": 2}), a_site("DC-MUC", {"B": 1}, point=MUNICH))
    decision = decide(SourcingRequest(profile(WHOLE, SPLIT), LINES, sites, CARD))
    assert (decision.outcome, decision.strategy) == (Outcome.SOURCED, "split")
    assert [(t.strategy, t.filled) for t in decision.tried] == [("ship complete", 2), ("split", 3)]
    assert {a.location_id for a in decision.solution.assignments} == {"DC-BER", "DC-MUC"}


def test_a_strategy_uses_only_the_locations_it_admits() -> None:
    stores_near = Strategy(
        "stores near", location_types=frozenset({LocationType.STORE}), radius_km=300
    )
    decision = decide(SourcingRequest(profile(stores_near), LINES, SITES, CARD))
    assert {a.location_id for a in decision.solution.assignments} == {"ST-HAM"}
    assert decision.tried[0].candidates == 1


def test_backorder_takes_the_best_partial_plan_and_leaves_the_rest_waiting() -> None:
    sites = (a_site("DC-BER", {"A": 1, "B": 1}),)
    backorder = Strategy("backorder", kind=StrategyKind.BACKORDER, cancel_after_days=14)
    decision = decide(SourcingRequest(profile(WHOLE, SPLIT, backorder), LINES, sites, CARD))
    assert (decision.outcome, decision.strategy) == (Outcome.BACKORDERED, "backorder")
    assert decision.waiting == {1: 1}
    assert decision.cancel_after_days == 14


def test_cancel_or_no_strategy_left_refuses_what_cannot_be_filled() -> None:
    sites = (a_site("DC-BER", {"A": 1}),)
    cancel = Strategy("cancel", kind=StrategyKind.CANCEL)
    assert (
        decide(SourcingRequest(profile(WHOLE, cancel), LINES, sites, CARD)).outcome
        is Outcome.REFUSED
    )
    refused = decide(SourcingRequest(profile(WHOLE), LINES, sites, CARD))
    # Whole lines only: the one unit of A there is not half of line 1.
    assert (refused.outcome, refused.waiting) == (Outcome.REFUSED, {1: 2, 2: 1})


def test_the_decision_names_the_profile_and_its_version() -> None:
    versioned = SourcingProfile("web", frozenset({"web"}), (WHOLE,), version=7)
    decision = decide(SourcingRequest(versioned, LINES, SITES, CARD))
    assert (decision.profile, decision.version, decision.strategy) == ("web", 7, "ship complete")
    assert decision.solution.method in {"exact", "heuristic"}


def test_a_profile_applies_to_its_channels_order_types_and_services() -> None:
    narrow = SourcingProfile(
        "b2b", frozenset({"b2b"}), (WHOLE,), order_types=frozenset({"ship"}), services=frozenset()
    )
    assert narrow.applies("b2b", "ship", "dhl-paket")
    assert not narrow.applies("web", "ship", None)
    assert not narrow.applies("b2b", "pickup", None)
    assert profile(WHOLE).applies("web", None, None)


@given(st.sets(st.sampled_from([site.location.id for site in SITES])))
def test_a_location_that_rejected_the_order_is_never_in_its_plan(rejected: set[str]) -> None:
    request = SourcingRequest(profile(WHOLE, SPLIT), LINES, SITES, CARD, {}, frozenset(rejected))

    decision = decide(request)

    assert not rejected & {a.location_id for a in decision.solution.assignments}
    assert {e.location_id for e in decision.excluded if e.rule == "rejected"} == rejected
    if len(rejected) < len(SITES):
        assert decision.outcome is Outcome.SOURCED


def test_the_decision_prices_the_best_single_location_alternatives() -> None:
    costs = {"DC-BER": LocationCosts(per_order=D(1)), "DC-MUC": LocationCosts(per_order=D(2))}

    decision = decide(SourcingRequest(profile(WHOLE), LINES, SITES, CARD, costs))

    (chosen,) = {a.location_id for a in decision.solution.assignments}
    assert (chosen, decision.solution.total) in {("DC-VIE", D(5)), ("ST-HAM", D(5))}
    assert [(a.location_ids, a.total) for a in decision.alternatives] == [
        ((({"DC-VIE", "ST-HAM"} - {chosen}).pop(),), D("5.00")),
        (("DC-BER",), D("6.00")),
        (("DC-MUC",), D("7.00")),
    ]


def test_a_profile_naming_the_order_type_wins_over_one_for_every_type() -> None:
    # "web" applies to every type of the web channel and sorts first by name; the
    # profile made for ship-from-store orders must still be the one they get.
    every = SourcingProfile("web", frozenset({"web"}), (Strategy("dcs"),))
    from_stores = SourcingProfile(
        "web-ship-from-store",
        frozenset({"web"}),
        (Strategy("stores", location_types=frozenset({LocationType.STORE})),),
        order_types=frozenset({"ship_from_store"}),
    )
    express = SourcingProfile(
        "a-express", frozenset({"web"}), (Strategy("near"),), services=frozenset({"express"})
    )
    profiles = [every, from_stores, express]

    assert applying(profiles, "web", "ship_from_store", "express").name == "web-ship-from-store"
    assert applying(profiles, "web", "ship_from_store").name == "web-ship-from-store"
    assert applying(profiles, "web", "ship_to_home", "express").name == "a-express"
    assert applying(profiles, "web", "ship_to_home").name == "web"
    assert applying(profiles, "app", "ship_from_store").name == "built-in"


def test_a_location_holding_just_what_it_must_keep_offers_nothing() -> None:
    lone = (a_site("DC-BER", {"A": 3, "B": 1}),)
    keep_one = profile(SPLIT, min_stock_left=1)

    two = decide(SourcingRequest(keep_one, (SourcingLine(1, "A", 2),), lone, CARD))
    three = decide(SourcingRequest(keep_one, (SourcingLine(1, "A", 3),), lone, CARD))
    b = decide(SourcingRequest(keep_one, (SourcingLine(1, "B", 1),), lone, CARD))

    assert (two.outcome, two.waiting) == (Outcome.SOURCED, {})
    assert (three.outcome, three.waiting) == (Outcome.REFUSED, {1: 1})  # two of three
    assert (b.outcome, b.waiting) == (Outcome.REFUSED, {1: 1})


def test_the_trace_tells_each_strategy_tried_with_what_it_found() -> None:
    sites = (a_site("DC-BER", {"A": 2}), a_site("DC-MUC", {"B": 1}, point=MUNICH))

    decision = decide(SourcingRequest(profile(WHOLE, SPLIT), LINES, sites, CARD))

    assert [(t.strategy, t.candidates, t.filled, t.total) for t in decision.tried] == [
        ("ship complete", 2, 2, D("5.00")),  # line 1 from DC-BER alone
        ("split", 2, 3, D("10.00")),  # two parcels
    ]
    assert decision.tried[-1].method == decision.solution.method


def test_cancel_refuses_with_the_best_partial_plan_an_earlier_strategy_found() -> None:
    """What could be had is part of the answer: the shortfall is the rest."""
    sites = (a_site("DC-BER", {"A": 1, "B": 1}),)
    cancel = Strategy("cancel", kind=StrategyKind.CANCEL)

    decision = decide(SourcingRequest(profile(WHOLE, SPLIT, cancel), LINES, sites, CARD))

    assert (decision.outcome, decision.strategy, decision.waiting) == (
        Outcome.REFUSED,
        "cancel",
        {1: 1},
    )
    assert {(a.line_no, a.location_id, a.quantity) for a in decision.solution.assignments} == {
        (1, "DC-BER", 1),
        (2, "DC-BER", 1),
    }


def test_a_location_with_no_capacity_left_is_no_alternative() -> None:
    full_in_munich = (
        a_site("DC-BER", {"A": 5, "B": 5}),
        a_site("DC-MUC", {"A": 5, "B": 5}, point=MUNICH, orders_left=0),
        a_site("DC-VIE", {"A": 5, "B": 5}, point=VIENNA, country="AT"),
    )
    costs = {"DC-BER": LocationCosts(per_order=D(1))}

    decision = decide(SourcingRequest(profile(WHOLE), LINES, full_in_munich, CARD, costs))

    assert {a.location_id for a in decision.solution.assignments} == {"DC-VIE"}
    assert [(a.location_ids, a.total) for a in decision.alternatives] == [(("DC-BER",), D("6.00"))]


@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),  # A
            st.integers(0, 2),  # B
            st.sampled_from([None, 0, 1]),  # orders left
            st.sampled_from([None, 0, 2, 3]),  # units left
        ),
        min_size=4,
        max_size=4,
    )
)
def test_every_alternative_is_a_plan_the_location_could_ship_alone(
    capacities: list[tuple[int, int, int | None, int | None]],
) -> None:
    sites = tuple(
        a_site(
            site.location.id,
            {"A": a, "B": b},
            site.location.point,
            site.location.address.country,
            orders_left=orders,
            units_left=units,
        )
        for site, (a, b, orders, units) in zip(SITES, capacities, strict=True)
    )
    problem_of = {s.location.id: s.candidate for s in sites}

    decision = decide(SourcingRequest(profile(WHOLE), LINES, sites, CARD))

    for alternative in decision.alternatives:
        (at,) = alternative.location_ids
        c = problem_of[at]
        assert c.available["A"] >= 2 and c.available["B"] >= 1
        assert c.orders_left != 0 and (c.units_left is None or c.units_left >= 3)


def test_a_radius_keeps_the_sites_inside_it() -> None:
    decision = decide(SourcingRequest(profile(WHOLE, radius_km=100.0), LINES, SITES, CARD))

    assert {(e.location_id, e.rule) for e in decision.excluded} == {
        ("DC-MUC", "radius"),
        ("DC-VIE", "radius"),
        ("ST-HAM", "radius"),
    }
    assert {a.location_id for a in decision.solution.assignments} == {"DC-BER"}


def test_a_strategy_that_admits_no_site_is_traced_as_finding_nothing() -> None:
    stores = Strategy("stores", location_types=frozenset({LocationType.STORE}))
    sites = (a_site("DC-BER", {"A": 5, "B": 5}),)

    decision = decide(SourcingRequest(profile(stores, WHOLE), LINES, sites, CARD))

    assert [(t.strategy, t.candidates, t.filled, t.total) for t in decision.tried] == [
        ("stores", 0, 0, None),
        ("ship complete", 1, 3, D("5.00")),
    ]


def test_a_profile_that_cancels_before_trying_refuses_every_unit() -> None:
    cancel = Strategy("cancel", kind=StrategyKind.CANCEL)

    decision = decide(SourcingRequest(profile(cancel), LINES, SITES, CARD))

    assert (decision.outcome, decision.waiting, decision.tried) == (
        Outcome.REFUSED,
        {1: 2, 2: 1},
        (),
    )
    assert (decision.solution.assignments, decision.solution.method) == ((), "none")
