"""The promise engine's options: which services, from where, which dates, which
stores for pickup, and why an option is not offered."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from ordino.kernel.domain.calendar import DeliveryCalendar, OpeningHours, WorkingCalendar
from ordino.kernel.domain.geo import Point
from ordino.kernel.domain.money import Money
from ordino.network.domain.carriers import (
    CarrierService,
    Lane,
    LaneMatch,
    ServiceLevel,
    TransitRule,
)
from ordino.network.domain.locations import Address, LocationType, PromiseDestination
from ordino.network.domain.operations import Capacity, LocationOperations
from ordino.promising.domain.promises import CartLine, Method, Promise, Site
from ordino.promising.engine.options import PromiseNetwork, PromiseRules, promise
from ordino.promising.engine.reach import Reach
from tests.support.builders import BERLIN, HAMBURG, MUNICH, a_location

# Monday 2 November 2026, 10:00 in Berlin.
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
MONDAY, TUESDAY, WEDNESDAY = date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)
CUSTOMER_IN_BERLIN = PromiseDestination("DE", BERLIN, "10115")
WEEK = ((OpeningHours(time(8), time(20)),),) * 6 + ((),)


def a_site(id: str, available: dict[str, int], **overrides: Any) -> Site:
    location = overrides.pop("location", None) or a_location(
        id, point=overrides.pop("point", BERLIN)
    )
    operations = overrides.pop("operations", None) or LocationOperations(
        id,
        WorkingCalendar("Europe/Berlin", WEEK),
        cut_offs={"standard": time(15), "express": time(12)},
        ship_processing_hours=2.0,
        pickup_processing_hours=1.0,
    )
    return Site(location, operations, available, overrides.pop("used", {}))


def a_store(id: str, available: dict[str, int], point: Any = BERLIN, **overrides: Any) -> Site:
    location = a_location(
        id,
        type=LocationType.STORE,
        point=point,
        ships=overrides.pop("ships", False),
        pickup=True,
        address=Address("Str. 1", "Berlin", "10115", "DE"),
    )
    return a_site(id, available, location=location, **overrides)


def a_service(code: str = "standard", **overrides: Any) -> CarrierService:
    fields: dict[str, Any] = {
        "code": code,
        "carrier": "DHL",
        "name": code.title(),
        "level": ServiceLevel.STANDARD,
        "price": Money(Decimal("4.90"), "EUR"),
        "rules": (TransitRule(1, 2, LaneMatch(max_km=300)), TransitRule(2, 4)),
        "calendar": DeliveryCalendar(),
    }
    return CarrierService(**(fields | overrides))


def quote(
    lines: list[CartLine],
    destination: PromiseDestination,
    sites: list[Site],
    services: list[CarrierService],
    now: datetime,
    rules: PromiseRules | None = None,
    transit: Any = None,
) -> Promise:
    network = PromiseNetwork(sites, services, transit)
    return promise(lines, destination, network, now, rules or PromiseRules())


EXPRESS = a_service(
    "express",
    level=ServiceLevel.EXPRESS,
    price=Money(Decimal("9.90"), "EUR"),
    rules=(TransitRule(1, 1),),
)


def test_each_service_is_an_option_from_the_location_that_delivers_soonest() -> None:
    near, far = a_site("DC-BER", {"SKU-1": 5}), a_site("DC-MUC", {"SKU-1": 5}, point=MUNICH)
    answer = quote(
        [CartLine("SKU-1", 2)], CUSTOMER_IN_BERLIN, [far, near], [a_service(), EXPRESS], NOW
    )
    standard, express = answer.option("ship:standard"), answer.option("ship:express")
    assert standard is not None and express is not None
    assert [s.location_id for s in standard.sources] == ["DC-BER"]
    assert (standard.ship_date, standard.delivery_earliest, standard.delivery_latest) == (
        MONDAY,
        TUESDAY,
        WEDNESDAY,
    )
    assert (express.delivery_earliest, express.delivery_latest) == (TUESDAY, TUESDAY)
    assert express.cost == Money(Decimal("9.90"), "EUR")
    assert [option.id for option in answer.options] == ["ship:express", "ship:standard"]


def test_the_cut_off_of_the_service_decides_the_ship_day() -> None:
    site = a_site("DC-BER", {"SKU-1": 5})
    after_noon = datetime(2026, 11, 2, 11, 30, tzinfo=UTC)  # 12:30 in Berlin
    answer = quote(
        [CartLine("SKU-1", 1)], CUSTOMER_IN_BERLIN, [site], [a_service(), EXPRESS], after_noon
    )
    assert answer.option("ship:express").ship_date == TUESDAY  # type: ignore[union-attr]
    assert answer.option("ship:standard").ship_date == MONDAY  # type: ignore[union-attr]


def test_a_location_without_capacity_today_ships_tomorrow_and_loses_to_one_with_it() -> None:
    full = a_site(
        "DC-BER",
        {"SKU-1": 5},
        used={MONDAY: 10},
        operations=LocationOperations(
            "DC-BER", WorkingCalendar("Europe/Berlin", WEEK), capacity=Capacity(10)
        ),
    )
    answer = quote([CartLine("SKU-1", 1)], CUSTOMER_IN_BERLIN, [full], [a_service()], NOW)
    assert answer.option("ship:standard").ship_date == TUESDAY  # type: ignore[union-attr]
    other = a_site("DC-HAM", {"SKU-1": 5}, point=HAMBURG)
    answer = quote([CartLine("SKU-1", 1)], CUSTOMER_IN_BERLIN, [full, other], [a_service()], NOW)
    assert answer.option("ship:standard").sources[0].location_id == "DC-HAM"  # type: ignore[union-attr]


def test_a_cart_no_location_has_whole_is_split_into_packages() -> None:
    a, b = a_site("DC-A", {"SKU-1": 5}), a_site("DC-B", {"SKU-2": 5}, point=HAMBURG)
    lines = [CartLine("SKU-1", 1), CartLine("SKU-2", 3)]
    option = quote(lines, CUSTOMER_IN_BERLIN, [a, b], [a_service()], NOW).option("ship:standard")
    assert option is not None
    assert {(s.location_id, s.sku, s.quantity) for s in option.sources} == {
        ("DC-A", "SKU-1", 1),
        ("DC-B", "SKU-2", 3),
    }
    assert option.packages == 2
    assert option.cost == Money(Decimal("9.80"), "EUR")


def test_a_line_is_split_across_locations_when_none_has_enough() -> None:
    a, b = a_site("DC-A", {"SKU-1": 2}), a_site("DC-B", {"SKU-1": 2}, point=HAMBURG)
    option = quote([CartLine("SKU-1", 3)], CUSTOMER_IN_BERLIN, [a, b], [a_service()], NOW).option(
        "ship:standard"
    )
    assert option is not None
    assert [(s.location_id, s.quantity) for s in option.sources] == [("DC-A", 2), ("DC-B", 1)]


def test_not_enough_stock_anywhere_is_said_with_the_sku() -> None:
    answer = quote(
        [CartLine("SKU-1", 9)],
        CUSTOMER_IN_BERLIN,
        [a_site("DC-A", {"SKU-1": 2})],
        [a_service()],
        NOW,
    )
    assert answer.options == ()
    [reason] = [r for r in answer.not_offered if r.option.startswith("ship:")]
    assert (reason.option, reason.reason) == ("ship:standard", "no-stock")
    assert "SKU-1: 9 wanted, 2 to ship" in reason.detail


def test_a_service_that_does_not_serve_the_lane_is_not_offered() -> None:
    domestic = a_service(
        "domestic", rules=(TransitRule(1, 2, LaneMatch(destination_countries=frozenset({"DE"}))),)
    )
    vienna = PromiseDestination("AT", None, "1010")
    answer = quote([CartLine("SKU-1", 1)], vienna, [a_site("DC-A", {"SKU-1": 2})], [domestic], NOW)
    [reason] = [r for r in answer.not_offered if r.option == "ship:domestic"]
    assert reason.reason == "no-lane"


def test_pickup_at_a_store_with_the_goods_is_ready_after_its_preparation() -> None:
    store = a_store("ST-BER", {"SKU-1": 1})
    answer = quote([CartLine("SKU-1", 1)], CUSTOMER_IN_BERLIN, [store], [a_service()], NOW)
    option = answer.option("pickup:ST-BER")
    assert option is not None and option.method is Method.PICKUP
    assert option.ready_by == datetime(2026, 11, 2, 10, 0, tzinfo=UTC)  # 11:00 in Berlin
    assert option.cost == Money(Decimal("0.00"), "EUR")


def test_a_store_without_the_goods_offers_ship_to_store_later() -> None:
    store, warehouse = a_store("ST-BER", {}), a_site("DC-HAM", {"SKU-1": 4}, point=HAMBURG)
    answer = quote(
        [CartLine("SKU-1", 1)], CUSTOMER_IN_BERLIN, [store, warehouse], [a_service()], NOW
    )
    option = answer.option("ship_to_store:ST-BER")
    assert option is not None and option.method is Method.SHIP_TO_STORE
    assert option.sources[0].location_id == "DC-HAM"
    # Ships Monday, arrives Tuesday to Wednesday, ready an hour after opening.
    assert option.delivery_earliest == TUESDAY
    assert option.ready_by == datetime(2026, 11, 4, 8, 0, tzinfo=UTC)


AUSTRIA_ONLY = a_service(
    "post-at",
    price=Money(Decimal("3.90"), "EUR"),
    rules=(TransitRule(1, 2, LaneMatch(frozenset({"AT"}), frozenset({"AT"}))),),
)


def test_ship_to_store_goes_by_the_cheapest_standard_service_that_reaches_the_store() -> None:
    # The cheapest standard service delivers inside Austria only: a German store is
    # reached by the next cheapest (the demo's DHL Paket), not left without an option.
    store, warehouse = a_store("ST-BER", {}), a_site("DC-HAM", {"SKU-1": 4}, point=HAMBURG)
    answer = quote(
        [CartLine("SKU-1", 1)],
        CUSTOMER_IN_BERLIN,
        [store, warehouse],
        [AUSTRIA_ONLY, a_service()],
        NOW,
    )
    option = answer.option("ship_to_store:ST-BER")
    assert option is not None
    assert (option.service, option.cost, option.sources[0].location_id) == (
        "standard",
        Money(Decimal("4.90"), "EUR"),
        "DC-HAM",
    )
    assert [r.option for r in answer.not_offered] == ["ship:post-at"]


def test_ship_to_store_no_service_carries_says_so_not_no_stock() -> None:
    store, warehouse = a_store("ST-BER", {}), a_site("DC-HAM", {"SKU-1": 4}, point=HAMBURG)
    answer = quote(
        [CartLine("SKU-1", 1)], CUSTOMER_IN_BERLIN, [store, warehouse], [AUSTRIA_ONLY], NOW
    )
    [refusal] = [r for r in answer.not_offered if r.option == "ship_to_store:ST-BER"]
    assert (refusal.reason, refusal.location_id, refusal.detail) == (
        "no-lane",
        "ST-BER",
        "no carrier service carries the cart from a location that has it to this store",
    )


def test_ship_to_store_with_the_cart_nowhere_else_is_no_stock() -> None:
    store, warehouse = a_store("ST-BER", {}), a_site("DC-HAM", {"SKU-1": 1}, point=HAMBURG)
    answer = quote(
        [CartLine("SKU-1", 2)], CUSTOMER_IN_BERLIN, [store, warehouse], [a_service()], NOW
    )
    [refusal] = [r for r in answer.not_offered if r.option == "ship_to_store:ST-BER"]
    assert (refusal.reason, refusal.detail) == (
        "no-stock",
        "no other location has the whole cart to send to this store",
    )


def test_only_the_nearest_stores_within_the_radius_are_offered() -> None:
    stores = [a_store(f"ST-{n}", {"SKU-1": 1}, point=BERLIN) for n in range(4)]
    munich = a_store("ST-MUC", {"SKU-1": 1}, point=MUNICH)
    rules = PromiseRules(pickup_stores=3)
    answer = quote([CartLine("SKU-1", 1)], CUSTOMER_IN_BERLIN, [munich, *stores], [], NOW, rules)
    assert [o.id for o in answer.options] == ["pickup:ST-0", "pickup:ST-1", "pickup:ST-2"]


def test_no_store_near_is_a_reason() -> None:
    munich = a_store("ST-MUC", {"SKU-1": 1}, point=MUNICH)
    answer = quote([CartLine("SKU-1", 1)], CUSTOMER_IN_BERLIN, [munich], [], NOW)
    assert [(r.option, r.reason) for r in answer.not_offered] == [("pickup", "no-store-near")]


class TwoDaysMore:
    def latest_days(self, lane: Lane, service: CarrierService, shipped_on: date) -> int | None:
        return 5 if lane.destination_country == "DE" else None


def test_a_learned_transit_time_sets_the_latest_date_where_it_knows_the_lane() -> None:
    site = a_site("DC-BER", {"SKU-1": 5})
    answer = quote(
        [CartLine("SKU-1", 1)],
        CUSTOMER_IN_BERLIN,
        [site],
        [a_service()],
        NOW,
        transit=TwoDaysMore(),
    )
    option = answer.option("ship:standard")
    assert option is not None
    assert (option.delivery_earliest, option.delivery_latest) == (TUESDAY, date(2026, 11, 7))


@given(
    stock=st.lists(st.integers(0, 4), min_size=3, max_size=3),
    wanted=st.integers(1, 6),
)
def test_an_option_covers_every_unit_of_the_cart_from_stock_that_is_there(
    stock: list[int], wanted: int
) -> None:
    points = [BERLIN, HAMBURG, MUNICH]
    sites = [a_site(f"DC-{n}", {"SKU-1": stock[n]}, point=points[n]) for n in range(3)]
    answer = quote([CartLine("SKU-1", wanted)], CUSTOMER_IN_BERLIN, sites, [a_service()], NOW)
    again = quote(
        [CartLine("SKU-1", wanted)], CUSTOMER_IN_BERLIN, list(reversed(sites)), [a_service()], NOW
    )
    assert answer == again
    option = answer.option("ship:standard")
    if sum(stock) < wanted:
        assert option is None
        return
    assert option is not None
    assert sum(s.quantity for s in option.sources) == wanted
    for source in option.sources:
        assert source.quantity <= stock[int(source.location_id[-1])]
    assert option.delivery_earliest <= option.delivery_latest


class SoonerNearby:
    """Learned: within 250 km, delivered the day it ships (sooner than the rules)."""

    def latest_days(self, lane: Lane, service: CarrierService, shipped_on: date) -> int | None:
        return 0 if lane.distance_km is not None and lane.distance_km < 250 else None


@given(
    places=st.lists(
        st.tuples(st.floats(47.0, 55.0), st.floats(6.0, 15.0), st.integers(0, 3)),
        min_size=1,
        max_size=12,
    ),
    customer=st.tuples(st.floats(47.0, 55.0), st.floats(6.0, 15.0)),
    learned=st.booleans(),
)
def test_the_search_yields_exactly_the_order_of_working_out_every_location(
    places: list[tuple[float, float, int]], customer: tuple[float, float], learned: bool
) -> None:
    """Nearest first with a bound is only a shortcut: the order is that of the full sort."""
    sites = [
        a_site(
            f"DC-{n:02d}",
            {"SKU-1": 1},
            point=Point(lat, lon),
            used={MONDAY: full},
            operations=LocationOperations(
                f"DC-{n:02d}", WorkingCalendar("Europe/Berlin", WEEK), capacity=Capacity(2)
            ),
        )
        for n, (lat, lon, full) in enumerate(places)
    ]
    service = a_service(
        rules=(
            TransitRule(1, 1, LaneMatch(max_km=100)),
            TransitRule(1, 3, LaneMatch(max_km=400)),
            TransitRule(3, 5),
        )
    )
    to = PromiseDestination("DE", Point(*customer), "10115")
    reach = Reach(sorted(sites, key=lambda s: s.id), NOW, SoonerNearby() if learned else None)
    km, _ = reach.distances.from_point(to.point)
    every = [
        reach.delivery(site, service, to, 1, float(km[n])) for n, site in enumerate(reach.sites)
    ]
    expected = sorted(d.rank for d in every if d is not None)

    assert [d.rank for d in reach.ranked(service, to, 1, lambda site: True)] == expected
