"""The return routing engine, pure: a store keeps what it sells and was dropped at,
the place that needs the units wins over a nearer one when the need outweighs the
distance, the vendor takes back what its reasons send it, goods worth less than
sending them back stay with the customer; every line answered once, the same way
every time."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ordino.kernel.domain import Point
from ordino.network.domain import Address, Location, LocationType
from ordino.returns.domain import (
    Candidate,
    RoutingProfile,
    RoutingSnapshot,
    UnitsToRoute,
)
from ordino.returns.engine import route_return

BERLIN, HAMBURG, MUNICH = Point(52.52, 13.40), Point(53.55, 9.99), Point(48.14, 11.58)
PROFILE = RoutingProfile(
    parcel_cost=Decimal("4.90"),
    cost_per_km=Decimal("0.01"),
    need_credit=Decimal("0.5"),
    target_available=2,
    vendor_reasons=("damaged",),
)


def a_location(
    location_id: str,
    point: Point,
    kind: LocationType = LocationType.WAREHOUSE,
    *,
    returns: bool = True,
    ships: bool = True,
) -> Location:
    address = Address("Street 1", "City", "10115", "DE")
    return Location(
        location_id, location_id, kind, address, point, "Europe/Berlin", ships, False, returns
    )


def a_candidate(location: Location, available: int | None = 10, waiting: int = 0) -> Candidate:
    stock = {} if available is None else {"SKU-1": available}
    return Candidate(location, stock, {"SKU-1": waiting} if waiting else {})


DC_BER = a_location("DC-BER", BERLIN)
DC_MUC = a_location("DC-MUC", MUNICH)
ST_HAM = a_location("ST-HAM", HAMBURG, LocationType.STORE, ships=False)
VENDOR = a_location("SUP-ACME", MUNICH, LocationType.SUPPLIER)  # takes returns from customers


def units(quantity: int = 1, value: str = "59.90", reason: str = "wrong_size") -> UnitsToRoute:
    return UnitsToRoute(1, "SKU-1", quantity, Decimal(value), reason, vendor="SUP-ACME")


def snapshot(
    *candidates: Candidate, origin: Point = HAMBURG, at: str | None = None
) -> RoutingSnapshot:
    return RoutingSnapshot(origin, at, candidates)


def test_the_nearest_warehouse_takes_what_no_one_needs() -> None:
    [route] = route_return([units()], snapshot(a_candidate(DC_BER), a_candidate(DC_MUC)), PROFILE)

    assert (route.destination, route.why) == ("DC-BER", "cheapest")  # 255 km, not 612
    [first, second] = route.explanation["candidates"]
    assert (first["location_id"], first["km"], first["transport"]) == ("DC-BER", "255.1", "2.55")
    assert second["location_id"] == "DC-MUC"


def test_the_place_whose_orders_wait_for_it_wins_over_a_nearer_one() -> None:
    waiting = snapshot(a_candidate(DC_BER), a_candidate(DC_MUC, waiting=3))

    [route] = route_return([units()], waiting, PROFILE)

    assert (route.destination, route.why) == ("DC-MUC", "needed")
    muc = route.explanation["candidates"][0]
    assert (muc["needs"], muc["credit"], muc["total"]) == (3, "29.95", "-23.83")


def test_a_store_that_sells_it_keeps_what_was_dropped_there() -> None:
    dropped = snapshot(a_candidate(DC_BER), a_candidate(ST_HAM, available=5), at="ST-HAM")

    [route] = route_return([units()], dropped, PROFILE)

    assert (route.destination, route.why) == ("ST-HAM", "stays")


def test_a_store_that_does_not_sell_it_sends_it_on_and_one_short_of_it_wants_it() -> None:
    not_sold = snapshot(a_candidate(DC_BER), a_candidate(ST_HAM, available=None), at="ST-HAM")
    short = snapshot(a_candidate(DC_BER, waiting=0), a_candidate(ST_HAM, available=0))

    [sent_on] = route_return([units()], not_sold, PROFILE)
    [wanted] = route_return([units()], short, PROFILE)

    assert (sent_on.destination, sent_on.why) == ("DC-BER", "cheapest")
    assert [c["location_id"] for c in sent_on.explanation["candidates"]] == ["DC-BER"]
    assert (wanted.destination, wanted.why) == ("ST-HAM", "needed")


def test_places_that_take_no_returns_and_suppliers_are_not_candidates() -> None:
    closed = replace(DC_BER, returns=False)

    [route] = route_return([units()], snapshot(a_candidate(closed), a_candidate(VENDOR)), PROFILE)

    assert (route.destination, route.why, route.explanation["candidates"]) == (None, "nowhere", [])


def test_places_abroad_or_at_no_known_distance_are_not_weighed() -> None:
    atlanta = replace(a_location("W-ATL", HAMBURG), point=None)
    abroad = replace(DC_MUC, address=replace(DC_MUC.address, country="AT"))
    found = RoutingSnapshot(
        HAMBURG, None, (a_candidate(atlanta), a_candidate(abroad), a_candidate(DC_BER)), "DE"
    )

    [route] = route_return([units()], found, PROFILE)

    assert [c["location_id"] for c in route.explanation["candidates"]] == ["DC-BER"]


def test_damaged_goods_go_back_to_their_vendor_when_it_takes_them() -> None:
    found = snapshot(a_candidate(DC_BER), a_candidate(VENDOR, available=None))
    closed = snapshot(a_candidate(DC_BER), a_candidate(replace(VENDOR, returns=False)))

    [route] = route_return([units(reason="damaged")], found, PROFILE)
    [ours] = route_return([units(reason="damaged")], closed, PROFILE)

    assert (route.destination, route.why) == ("SUP-ACME", "vendor")
    assert (ours.destination, ours.why) == ("DC-BER", "cheapest")  # received, then sent back


def test_goods_worth_less_than_sending_them_back_stay_with_the_customer() -> None:
    far = snapshot(a_candidate(DC_MUC))
    cheap = [units(value="5.00"), replace(units(value="1.00"), line_no=2)]

    routes = route_return(cheap, far, PROFILE)

    assert [(r.line_no, r.destination, r.why) for r in routes] == [
        (1, None, "returnless"),
        (2, None, "returnless"),
    ]
    assert (routes[0].explanation["value"], routes[0].explanation["sending_back"]) == (
        "6.00",
        "17.14",  # the parcel, and 612 km for each unit
    )
    dropped = snapshot(a_candidate(DC_MUC), at="ST-HAM")
    assert route_return(cheap, dropped, PROFILE)[0].why == "cheapest"  # at a store already
    assert route_return(cheap, far, replace(PROFILE, returnless=False))[0].why == "cheapest"


_CANDIDATES = st.lists(
    st.tuples(
        st.sampled_from([DC_BER, DC_MUC, ST_HAM, VENDOR, replace(DC_BER, id="DC-2")]),
        st.one_of(st.none(), st.integers(0, 5)),
        st.integers(0, 4),
    ),
    max_size=5,
    unique_by=lambda c: c[0].id,
)


@settings(max_examples=200, deadline=None)
@given(
    candidates=_CANDIDATES,
    lines=st.lists(
        st.tuples(st.integers(1, 5), st.decimals("0.01", "500", places=2), st.booleans()),
        min_size=1,
        max_size=4,
    ),
    at=st.sampled_from([None, "ST-HAM", "DC-BER"]),
)
def test_every_line_is_answered_once_and_the_same_way_every_time(
    candidates: list[tuple[Location, int | None, int]],
    lines: list[tuple[int, Decimal, bool]],
    at: str | None,
) -> None:
    asked = [
        UnitsToRoute(n, "SKU-1", q, v, "damaged" if broken else "wrong_size", "SUP-ACME")
        for n, (q, v, broken) in enumerate(lines, 1)
    ]
    found = snapshot(*(a_candidate(loc, a, w) for loc, a, w in candidates), at=at)

    routes = route_return(asked, found, PROFILE)

    assert [(r.line_no, r.quantity) for r in routes] == [(u.line_no, u.quantity) for u in asked]
    assert route_return(asked, found, PROFILE) == routes
    offered = {loc.id for loc, _, _ in candidates}
    for r in routes:
        assert r.destination is None or r.destination in offered
        assert (r.destination is None) == (r.why in ("returnless", "nowhere"))
