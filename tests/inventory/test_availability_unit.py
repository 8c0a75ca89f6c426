"""Availability views and the availability engine, without a database: each rule of a
view, future supply by day, the nearest pickup locations, what capture may take, and
the stock signals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.inventory.domain.positions import Floor, Position
from ordino.inventory.domain.signals import SignalState, decide, lowered, needs_count
from ordino.inventory.domain.supply import InboundLine, SupplyKind
from ordino.inventory.domain.views import (
    AvailabilityView,
    Holdback,
    InboundRule,
    LocationFilter,
    SafetyRule,
    StockStatus,
    view_document,
    view_from_document,
)
from ordino.inventory.engine.availability import (
    Arrival,
    location_grid,
    nearest,
    sku_availability,
    sourcing_stock,
    valid_until,
)
from ordino.kernel.domain.geo import Point
from ordino.network.domain.locations import Address, LocationType
from tests.support.builders import BERLIN, HAMBURG, MUNICH, a_location

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
WAREHOUSE = a_location("DC-BER")
STORE = a_location("ST-HAM", type=LocationType.STORE, point=HAMBURG, pickup=True)
PICKUP_ONLY = a_location("ST-KOE", type=LocationType.STORE, ships=False, pickup=True, point=BERLIN)
AUSTRIA = a_location("DC-VIE", address=Address("Lände 3", "Wien", "1030", "AT"))
SUPPLIER = a_location("SUP-1", type=LocationType.SUPPLIER)
LOCATIONS = {loc.id: loc for loc in (WAREHOUSE, STORE, PICKUP_ONLY, AUSTRIA, SUPPLIER)}


def at(location_id: str, on_hand: int, reserved: int = 0, safety: int = 0, **more: Any) -> Position:
    return Position(location_id, "SKU-1", on_hand, reserved, safety, **more)


def available(view: AvailabilityView, *positions: Position, **more: Any) -> dict[str, int]:
    result = sku_availability(view, "SKU-1", positions, LOCATIONS, more.get("inbound", ()), NOW)
    return {r.location_id: r.available for r in result.locations}


# Which locations count


@pytest.mark.parametrize(
    ("where", "counted"),
    [
        (LocationFilter(), {"DC-BER", "ST-HAM", "DC-VIE"}),
        (LocationFilter(types=frozenset({LocationType.WAREHOUSE})), {"DC-BER", "DC-VIE"}),
        (LocationFilter(countries=frozenset({"AT"})), {"DC-VIE"}),
        (LocationFilter(include=frozenset({"ST-HAM", "DC-VIE"})), {"ST-HAM", "DC-VIE"}),
        (LocationFilter(exclude=frozenset({"ST-HAM"})), {"DC-BER", "DC-VIE"}),
    ],
)
def test_a_view_counts_the_locations_it_admits(where: LocationFilter, counted: set[str]) -> None:
    view = AvailabilityView("v", locations=where)

    result = sku_availability(
        view, "SKU-1", [at("DC-BER", 5), at("ST-HAM", 3), at("DC-VIE", 2)], LOCATIONS, (), NOW
    )

    assert {r.location_id for r in result.locations} == counted
    assert result.available == sum(r.available for r in result.locations)


def test_the_network_total_counts_only_locations_that_ship() -> None:
    result = sku_availability(
        AvailabilityView("v"), "SKU-1", [at("DC-BER", 5), at("ST-KOE", 50)], LOCATIONS, (), NOW
    )

    assert (result.available, available(AvailabilityView("v"), at("ST-KOE", 50))) == (
        5,
        {"ST-KOE": 50},
    )


# What is held back


def test_the_most_specific_safety_rule_wins_and_never_undercuts_the_position() -> None:
    view = AvailabilityView(
        "v",
        safety_stock=(
            SafetyRule(Holdback(units=4), location_type=LocationType.STORE),
            SafetyRule(Holdback(units=1), location_id="ST-HAM"),
            SafetyRule(Holdback(units=2), sku="SKU-1"),
            SafetyRule(Holdback(units=9), sku="SKU-1", location_id="DC-VIE"),
        ),
    )

    assert available(
        view, at("ST-HAM", 10), at("DC-BER", 10), at("DC-VIE", 10), at("ST-KOE", 10, safety=5)
    ) == {"DC-BER": 8, "DC-VIE": 1, "ST-HAM": 8, "ST-KOE": 5}


def test_a_safety_rule_can_hold_back_a_share_rounded_up() -> None:
    view = AvailabilityView("v", safety_stock=(SafetyRule(Holdback(percent=Decimal("10"))),))

    assert available(view, at("DC-BER", 25), at("DC-VIE", 0)) == {"DC-BER": 22, "DC-VIE": 0}


def test_store_protection_keeps_units_at_stores_only_on_top_of_safety_stock() -> None:
    view = AvailabilityView("v", store_protection=Holdback(units=2))

    assert available(view, at("ST-HAM", 5, safety=1), at("DC-BER", 5, safety=1)) == {
        "DC-BER": 4,
        "ST-HAM": 2,
    }


def test_a_supplier_feed_older_than_the_view_accepts_counts_nothing() -> None:
    view = AvailabilityView("v", supplier_max_age_hours=24)
    fresh = at("SUP-1", 40, counted_at=NOW - timedelta(hours=2))

    assert available(view, fresh) == {"SUP-1": 40}
    stale = sku_availability(
        view, "SKU-1", [at("SUP-1", 40, counted_at=NOW - timedelta(hours=25))], LOCATIONS, (), NOW
    )
    assert [(r.available, r.stale) for r in stale.locations] == [(0, True)]


@pytest.mark.parametrize(
    ("total", "status"),
    [
        (0, StockStatus.OUT_OF_STOCK),
        (2, StockStatus.OUT_OF_STOCK),
        (3, StockStatus.LOW_STOCK),
        (9, StockStatus.LOW_STOCK),
        (10, StockStatus.IN_STOCK),
    ],
)
def test_a_sku_shows_in_stock_from_a_minimum_and_low_below_a_threshold(
    total: int, status: StockStatus
) -> None:
    view = AvailabilityView("v", in_stock_minimum=3, low_stock_below=10)

    assert view.status(total) is status


# Inbound supply


def _inbound(location_id: str, quantity: int, days: float, kind: SupplyKind) -> InboundLine:
    return InboundLine("S", kind, location_id, "SKU-1", quantity, NOW + timedelta(days=days))


def test_inbound_supply_within_the_horizon_is_future_availability_by_day() -> None:
    view = AvailabilityView(
        "v", inbound=InboundRule(True, 14, frozenset({SupplyKind.PURCHASE_ORDER}))
    )
    inbound = (
        _inbound("DC-BER", 20, 3, SupplyKind.PURCHASE_ORDER),
        _inbound("DC-BER", 5, -1, SupplyKind.PURCHASE_ORDER),  # overdue: counts from today
        _inbound("ST-HAM", 7, 3.2, SupplyKind.PURCHASE_ORDER),
        _inbound("DC-BER", 9, 20, SupplyKind.PURCHASE_ORDER),  # beyond the horizon
        _inbound("DC-BER", 4, 1, SupplyKind.TRANSFER),  # a kind the view does not count
        _inbound("ST-KOE", 3, 1, SupplyKind.PURCHASE_ORDER),  # does not ship
    )

    result = sku_availability(view, "SKU-1", [at("DC-BER", 10)], LOCATIONS, inbound, NOW)

    assert result.available == 10
    assert result.future == (Arrival(date(2026, 11, 2), 15), Arrival(date(2026, 11, 5), 42))
    assert {r.location_id: r.arrivals for r in result.locations}["ST-KOE"] == (
        Arrival(date(2026, 11, 3), 3),
    )


def test_a_view_that_does_not_count_inbound_shows_no_future() -> None:
    inbound = (_inbound("DC-BER", 20, 3, SupplyKind.PURCHASE_ORDER),)

    result = sku_availability(AvailabilityView("v"), "SKU-1", [], LOCATIONS, inbound, NOW)

    assert (result.future, result.locations) == ((), ())


# Near me


def test_the_nearest_pickup_locations_with_stock_within_the_radius() -> None:
    near = {
        "ST-A": a_location("ST-A", type=LocationType.STORE, pickup=True, point=Point(52.52, 13.40)),
        "ST-B": a_location("ST-B", type=LocationType.STORE, pickup=True, point=Point(52.40, 13.05)),
        "ST-C": a_location("ST-C", type=LocationType.STORE, pickup=True, point=MUNICH),
        "ST-D": a_location("ST-D", type=LocationType.STORE, pickup=True, point=Point(52.5, 13.4)),
        "DC-X": a_location("DC-X", point=Point(52.52, 13.41)),  # no pickup
    }
    positions = [
        Position(i, "SKU-1", n, 0, 0)
        for i, n in (("ST-A", 2), ("ST-B", 1), ("ST-C", 9), ("ST-D", 0), ("DC-X", 5))
    ]
    result = sku_availability(AvailabilityView("v"), "SKU-1", positions, near, (), NOW)

    grid = location_grid(near)
    found = nearest(result.summary(), grid, Point(52.52, 13.40), radius_km=50, limit=10)

    assert [(n.location_id, n.distance_km, n.available) for n in found] == [
        ("ST-A", 0.0, 2),
        ("ST-B", 27.2, 1),  # 0.12° north, 0.35° east at 52.5°N
    ]
    assert [n.location_id for n in nearest(result.summary(), grid, Point(52.52, 13.40), 50, 1)] == [
        "ST-A"
    ]


# What order capture may take


def test_capture_sees_the_views_shipping_locations_and_the_floors_to_keep() -> None:
    view = AvailabilityView(
        "marketplace",
        safety_stock=(SafetyRule(Holdback(units=3), location_type=LocationType.WAREHOUSE),),
        store_protection=Holdback(units=2),
        locations=LocationFilter(countries=frozenset({"DE"})),
    )
    positions = [
        at("DC-BER", 10, 1),
        at("ST-HAM", 4),
        at("ST-KOE", 9),
        at("DC-VIE", 9),
        at("ST-X", 9),
    ]

    stock, floors = sourcing_stock(view, positions, LOCATIONS)

    assert [(s.location_id, s.available) for s in stock] == [
        ("DC-BER", {"SKU-1": 6}),
        ("ST-HAM", {"SKU-1": 2}),
    ]
    assert floors == {("DC-BER", "SKU-1"): Floor(3, 0), ("ST-HAM", "SKU-1"): Floor(0, 2)}


# Properties


HOLDBACKS = st.one_of(
    st.builds(Holdback, units=st.integers(0, 50)),
    st.builds(Holdback, percent=st.decimals(0, 100, places=2)),
)


@given(
    on_hand=st.integers(0, 1000),
    reserved=st.integers(0, 1000),
    safety=st.integers(0, 100),
    rule=HOLDBACKS,
    protection=st.none() | HOLDBACKS,
)
def test_a_view_never_shows_more_than_the_position_can_give_nor_less_than_zero(
    on_hand: int, reserved: int, safety: int, rule: Holdback, protection: Holdback | None
) -> None:
    view = AvailabilityView("v", safety_stock=(SafetyRule(rule),), store_protection=protection)
    position = at("ST-HAM", on_hand, reserved, safety)

    [result] = sku_availability(view, "SKU-1", [position], LOCATIONS, (), NOW).locations

    assert 0 <= result.available <= max(0, on_hand - reserved - safety)
    stock, _ = sourcing_stock(view, [position], LOCATIONS)
    assert sum(s.available["SKU-1"] for s in stock) == result.available


@given(
    rules=st.lists(
        st.builds(
            SafetyRule,
            HOLDBACKS,
            st.none() | st.sampled_from(list(LocationType)),
            st.none() | st.sampled_from(["DC-BER", "ST-HAM"]),
            st.none() | st.sampled_from(["SKU-1", "SKU-2"]),
        ),
        max_size=5,
    ),
    protection=st.none() | HOLDBACKS,
    minimum=st.integers(0, 10),
)
def test_a_view_reads_back_from_its_document_unchanged(
    rules: list[SafetyRule], protection: Holdback | None, minimum: int
) -> None:
    view = AvailabilityView(
        "web",
        frozenset({"web", "app"}),
        "web shop",
        LocationFilter(frozenset({LocationType.STORE}), frozenset({"DE"})),
        tuple(rules),
        protection,
        InboundRule(True, 14, frozenset({SupplyKind.TRANSFER})),
        24,
        minimum,
        minimum + 5,
        version=3,
    )

    assert view_from_document("web", view_document(view), 3) == view


# Signals


WATCHED = AvailabilityView("web", in_stock_minimum=2, low_stock_below=5, version=3)


@pytest.mark.parametrize(
    ("before", "available", "event"),
    [
        (None, 0, None),  # a first look tells nothing
        (StockStatus.IN_STOCK, 9, None),
        (StockStatus.IN_STOCK, 4, "stock.ran_low"),
        (StockStatus.IN_STOCK, 1, "stock.sold_out"),
        (StockStatus.LOW_STOCK, 0, "stock.sold_out"),
        (StockStatus.OUT_OF_STOCK, 3, "stock.restocked"),
        (StockStatus.LOW_STOCK, 5, "stock.restocked"),
    ],
)
def test_a_signal_tells_each_change_of_status(
    before: StockStatus | None, available: int, event: str | None
) -> None:
    state = None if before is None else SignalState("web", "SKU-1", before, 0, 3)

    new, told = decide(WATCHED, "SKU-1", state, available)

    assert (told, new.bound, new.version) == (event, available, 3)


@pytest.mark.parametrize(
    ("state", "down", "up", "count"),
    [
        (None, 0, True, True),
        (SignalState("web", "S", StockStatus.IN_STOCK, 20, 3), 15, False, False),
        (SignalState("web", "S", StockStatus.IN_STOCK, 20, 3), 16, False, True),  # 4 < 5
        (SignalState("web", "S", StockStatus.IN_STOCK, 20, 3), 0, True, False),
        (SignalState("web", "S", StockStatus.IN_STOCK, 20, 2), 0, True, True),  # old rules
        (SignalState("web", "S", StockStatus.OUT_OF_STOCK, 0, 3), 0, True, True),
        (SignalState("web", "S", StockStatus.LOW_STOCK, 3, 3), 1, False, True),
    ],
)
def test_only_a_sku_near_its_threshold_is_counted(
    state: SignalState | None, down: int, up: bool, count: bool
) -> None:
    assert needs_count(WATCHED, state, down, up) is count


@given(
    start=st.integers(0, 200),
    moves=st.lists(st.integers(-30, 30), max_size=15),
)
def test_a_bound_never_misses_a_change_of_status(start: int, moves: list[int]) -> None:
    """Whatever stock does, the signals told equal those an exact count at every step
    would tell."""
    available, state = start, decide(WATCHED, "S", None, start)[0]
    exact: SignalState = state
    told, truth = [], []
    for move in moves:
        available = max(0, available + move)
        down, up = max(0, -move), move > 0
        if needs_count(WATCHED, state, down, up):
            state, event = decide(WATCHED, "S", state, available)
            told.append(event)
        elif down:
            state = lowered(state, down)
        exact, real = decide(WATCHED, "S", exact, available)
        truth.append(real)
        assert state.status is exact.status
        assert state.bound <= available
    assert [e for e in told if e] == [e for e in truth if e]


# How long an answer holds


def test_an_answer_holds_until_supply_enters_the_horizon_or_comes_due() -> None:
    view = AvailabilityView("v", inbound=InboundRule(True, 14), supplier_max_age_hours=24)
    inbound = (
        _inbound("DC-BER", 5, 20, SupplyKind.PURCHASE_ORDER),  # enters the horizon in 6 days
        _inbound("DC-BER", 5, 2, SupplyKind.TRANSFER),  # due in 2 days
    )
    supplier = at("SUP-1", 9, counted_at=NOW - timedelta(hours=20))  # too old in 4 hours

    assert valid_until(view, [], LOCATIONS, inbound, NOW) == NOW + timedelta(days=2)
    assert valid_until(view, [supplier], LOCATIONS, inbound, NOW) == NOW + timedelta(hours=4)
    assert valid_until(view, [], LOCATIONS, inbound[:1], NOW) == NOW + timedelta(days=6)


def test_overdue_supply_counts_from_today_until_the_locations_midnight() -> None:
    view = AvailabilityView("v", inbound=InboundRule(True, 14))
    overdue = (_inbound("DC-BER", 5, -1, SupplyKind.PURCHASE_ORDER),)

    until = valid_until(view, [], LOCATIONS, overdue, NOW)

    assert until == datetime(2026, 11, 2, 23, 0, tzinfo=UTC)  # midnight in Berlin


def test_an_answer_without_supply_or_suppliers_holds_until_stock_changes() -> None:
    assert valid_until(AvailabilityView("v"), [at("DC-BER", 5)], LOCATIONS, (), NOW) is None
