"""Availability views over real storage: kept and changed as data, read per channel,
and honoured by order capture down to the reservation statement."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Count
from ordino.inventory.domain.supply import CreateSupply, SupplyKind
from ordino.inventory.domain.views import (
    AvailabilityView,
    Holdback,
    InboundRule,
    LocationFilter,
    SafetyRule,
)
from ordino.inventory.services.availability import (
    AvailabilityQuery,
    Near,
    delete_view,
    get_view,
    list_views,
    put_postal_codes,
    put_view,
    read_availability,
)
from ordino.inventory.services.stock import count_stock, take_snapshot
from ordino.inventory.services.stock_cache import StockPicture
from ordino.inventory.services.supply import create_supply
from ordino.kernel.domain.errors import (
    Conflict,
    FieldError,
    InsufficientStock,
    InvalidInput,
    NotFound,
)
from ordino.kernel.domain.geo import Point, PostalCode
from ordino.network.domain.locations import Address, LocationType
from ordino.network.services.catalogue import put_location
from ordino.orders.services.capture import place_order
from ordino.sourcing.engine.choice import RulesEngine, SourcingRequest
from ordino.sourcing.engine.optimiser import Assignment, Solution
from ordino.sourcing.engine.rules import Decision, Outcome
from tests.conftest import Clock
from tests.support.builders import HAMBURG, a_location, a_place_order, a_source
from tests.support.storage import stock_levels, with_stock

MARKETPLACE = AvailabilityView(
    "marketplace",
    frozenset({"amazon"}),
    locations=LocationFilter(types=frozenset({LocationType.WAREHOUSE})),
    safety_stock=(SafetyRule(Holdback(percent=Decimal(20))),),
)
WEB = AvailabilityView(
    "web",
    frozenset({"web", "app"}),
    store_protection=Holdback(units=2),
    inbound=InboundRule(counts=True, horizon_days=14),
)


@pytest.fixture
def picture() -> StockPicture:
    return StockPicture()


@pytest.fixture
def uow(engine: Engine, picture: StockPicture) -> SqlUnitOfWork:
    """A unit of work whose commits the picture hears, as the API wires them."""
    return SqlUnitOfWork(engine, on_commit=picture.forget)


@pytest.fixture(autouse=True)
def network(uow: SqlUnitOfWork, clock: Clock) -> None:
    """DC-BER (Berlin) holds 10 of SKU-1, the store ST-HAM (Hamburg, pickup) 3."""
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 10, ("ST-HAM", "SKU-1"): 3})
    put_view(MARKETPLACE, uow, clock())
    put_view(WEB, uow, clock())


Read = Callable[..., dict[str, Any]]


@pytest.fixture
def read(uow: SqlUnitOfWork, picture: StockPicture, clock: Clock) -> Read:
    """Availability of SKU-1, through the picture the unit of work keeps fresh."""

    def answer(**query: Any) -> dict[str, Any]:
        return read_availability(AvailabilityQuery(("SKU-1",), **query), uow, picture, clock())

    return answer


@pytest.fixture
def item(read: Read) -> Read:
    """The one item of `read`."""

    def only(**query: Any) -> dict[str, Any]:
        [found] = read(**query)["items"]
        return found  # type: ignore[no-any-return]

    return only


# Views as data


def test_each_channel_reads_through_its_own_view(
    uow: SqlUnitOfWork, clock: Clock, item: Read, read: Read
) -> None:
    assert item(channel="amazon")["available"] == 8  # DC only, 20% held back
    assert item(channel="web")["available"] == 11  # 10 + 3 less 2 protected
    assert item(channel="store")["available"] == 13  # no view: the default
    assert item(view="marketplace")["available"] == 8
    assert read(channel="app")["view"] == "web"


def test_a_view_is_changed_with_its_version_and_refused_on_a_stale_one(
    uow: SqlUnitOfWork, clock: Clock, item: Read
) -> None:
    stricter = AvailabilityView(
        "marketplace", frozenset({"amazon"}), safety_stock=(SafetyRule(Holdback(units=9)),)
    )

    created, changed = put_view(stricter, uow, clock(), version=1)

    assert (created, changed["version"]) == (False, 2)
    assert item(channel="amazon")["available"] == 1  # 10 - 9 at DC-BER, 0 at ST-HAM
    with pytest.raises(Conflict) as refused:
        put_view(stricter, uow, clock(), version=1)
    assert refused.value.extra == {"view": "marketplace", "version": 2}


def test_a_channel_belongs_to_one_view(uow: SqlUnitOfWork, clock: Clock) -> None:
    with pytest.raises(Conflict) as refused:
        put_view(AvailabilityView("shop", frozenset({"web"})), uow, clock())

    assert refused.value.extra == {"field": "channels", "view": "web"}
    with pytest.raises(NotFound):
        get_view("shop", uow)


def test_a_view_naming_unknown_locations_or_skus_is_refused(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    view = AvailabilityView(
        "odd",
        locations=LocationFilter(exclude=frozenset({"DC-NOPE"})),
        safety_stock=(SafetyRule(Holdback(units=1), sku="SKU-NOPE"),),
    )

    with pytest.raises(InvalidInput) as refused:
        put_view(view, uow, clock())

    assert refused.value.errors == [
        FieldError("locations.exclude", "unknown location 'DC-NOPE'"),
        FieldError("safety_stock[0].sku", "unknown SKU 'SKU-NOPE'"),
    ]


def test_views_are_listed_with_the_default_and_removed(
    uow: SqlUnitOfWork, clock: Clock, read: Read
) -> None:
    assert [v["name"] for v in list_views(uow)] == ["default", "marketplace", "web"]

    delete_view("web", uow, clock())

    assert [v["name"] for v in list_views(uow)] == ["default", "marketplace"]
    assert read(channel="web")["view"] == "default"
    with pytest.raises(NotFound):
        delete_view("web", uow, clock())


def test_an_unknown_view_or_sku_is_refused(uow: SqlUnitOfWork, clock: Clock, read: Read) -> None:
    with pytest.raises(InvalidInput) as no_view:
        read(view="nope")
    with pytest.raises(InvalidInput) as no_sku:
        read_availability(AvailabilityQuery(("SKU-1", "SKU-9")), uow, StockPicture(), clock())

    assert no_view.value.errors == [FieldError("view", "no availability view 'nope'")]
    assert no_sku.value.errors == [FieldError("skus", "unknown SKUs: SKU-9")]


# Reads


def test_inbound_supply_shows_as_future_availability_in_a_view_that_counts_it(
    uow: SqlUnitOfWork, clock: Clock, item: Read
) -> None:
    create_supply(
        CreateSupply(
            "PO-1",
            SupplyKind.PURCHASE_ORDER,
            "DC-BER",
            clock() + timedelta(days=3),
            (("SKU-1", 20),),
        ),
        a_source(clock),
        uow,
    )

    assert item(channel="web")["future"] == [{"date": "2026-11-05", "available": 31}]
    assert item(channel="amazon")["future"] == []


def test_the_nearest_stores_with_stock_by_point_or_postal_code(
    uow: SqlUnitOfWork, clock: Clock, item: Read
) -> None:
    put_postal_codes([PostalCode("DE", "20095", Point(53.55, 10.00), "Hamburg")], uow)
    hamburg = Near(point=Point(53.55, 10.0), radius_km=20)

    by_point = item(channel="web", near=hamburg)["nearest"]
    by_code = item(channel="web", near=Near(None, "DE", "20095", 20))["nearest"]

    assert by_point == by_code == [{"location_id": "ST-HAM", "distance_km": 0.7, "available": 1}]
    with pytest.raises(InvalidInput) as unknown:
        item(near=Near(None, "DE", "99999"))
    assert unknown.value.errors == [
        FieldError("postal_code", "postal code 99999 in DE is not known")
    ]


# Capture reads the same picture


def test_an_order_is_sourced_only_where_its_channels_view_looks(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    near_the_store = a_place_order(("SKU-1", 1), channel="amazon")  # ships to Hamburg

    placed = place_order(near_the_store, uow, RulesEngine(), clock())

    assert placed.body["lines"][0]["allocations"] == [
        {"location_id": "DC-BER", "quantity": 1, "ship_date": None}
    ]


def test_an_order_cannot_take_what_its_view_holds_back(uow: SqlUnitOfWork, clock: Clock) -> None:
    with pytest.raises(InsufficientStock) as refused:
        place_order(a_place_order(("SKU-1", 9), channel="amazon"), uow, RulesEngine(), clock())

    assert refused.value.extra["shortfalls"][0]["available"] == 8
    placed = place_order(a_place_order(("SKU-1", 11), channel="web"), uow, RulesEngine(), clock())
    assert sum(a["quantity"] for a in placed.body["lines"][0]["allocations"]) == 11
    assert stock_levels(uow.engine)[("ST-HAM", "SKU-1")] == (3, 1, 0)  # 2 kept for walk-ins


class IgnoresTheView:
    """A sourcing engine that takes from one location (the store) whatever the view says."""

    def __init__(self, location_id: str = "ST-HAM") -> None:
        self.location_id = location_id

    def decide(self, request: SourcingRequest) -> Decision:
        line = request.lines[0]
        taken = Solution(
            (Assignment(line.line_no, self.location_id, line.quantity),), {}, None, "test"
        )
        return Decision("test", 1, Outcome.SOURCED, "whatever", taken, (), ())


def test_the_reservation_itself_keeps_the_views_floor(uow: SqlUnitOfWork, clock: Clock) -> None:
    with pytest.raises(Conflict):
        place_order(a_place_order(("SKU-1", 2), channel="web"), uow, IgnoresTheView(), clock())

    assert stock_levels(uow.engine)[("ST-HAM", "SKU-1")] == (3, 0, 0)
    placed = place_order(a_place_order(("SKU-1", 1), channel="web"), uow, IgnoresTheView(), clock())
    assert placed.status == 201


def test_the_reservation_keeps_the_higher_of_safety_stock_and_the_views_floor(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    """ST-HAM: 4 on hand, a safety stock of 1 (the web view holds none back), 2 kept
    for walk-ins: one unit to sell, not two."""
    count_stock([Count("ST-HAM", "SKU-1", 4, 1)], None, a_source(clock), uow)

    with pytest.raises(Conflict) as refused:
        place_order(a_place_order(("SKU-1", 2), channel="web"), uow, IgnoresTheView(), clock())

    assert refused.value.extra == {"reason": "less is available than the plan took"}

    placed = place_order(a_place_order(("SKU-1", 1), channel="web"), uow, IgnoresTheView(), clock())
    assert placed.status == 201
    assert stock_levels(uow.engine)[("ST-HAM", "SKU-1")] == (4, 1, 1)


def test_the_reservation_keeps_the_views_safety_stock_above_the_positions(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    """The marketplace holds back 20 % of DC-BER's 10 (no safety stock of its own)."""
    from_berlin = IgnoresTheView("DC-BER")

    with pytest.raises(Conflict):
        place_order(a_place_order(("SKU-1", 9), channel="amazon"), uow, from_berlin, clock())

    placed = place_order(a_place_order(("SKU-1", 8), channel="amazon"), uow, from_berlin, clock())
    assert placed.status == 201
    assert stock_levels(uow.engine)[("DC-BER", "SKU-1")] == (10, 8, 0)


def test_a_store_that_does_not_ship_is_never_sourced_but_is_near(
    uow: SqlUnitOfWork, clock: Clock, item: Read
) -> None:
    pickup_only = a_location(
        "ST-ALT",
        type=LocationType.STORE,
        ships=False,
        pickup=True,
        point=HAMBURG,
        address=Address("Altona 1", "Hamburg", "22765", "DE"),
    )
    put_location(pickup_only, uow, clock())
    count_stock([Count("ST-ALT", "SKU-1", 30)], None, a_source(clock), uow)

    found = item(near=Near(point=HAMBURG, radius_km=5))
    placed = place_order(a_place_order(("SKU-1", 1)), uow, RulesEngine(), clock())

    assert [n["location_id"] for n in found["nearest"]] == ["ST-ALT", "ST-HAM"]  # type: ignore[index]
    assert placed.body["lines"][0]["allocations"][0]["location_id"] == "ST-HAM"


def test_a_drop_ship_suppliers_stock_counts_while_its_feed_is_fresh(
    uow: SqlUnitOfWork, clock: Clock, item: Read
) -> None:
    supplier = a_location("SUP-NORD", type=LocationType.SUPPLIER, point=HAMBURG)
    put_location(supplier, uow, clock())
    take_snapshot("SUP-NORD", [Count("SUP-NORD", "SKU-1", 40)], clock(), a_source(clock), uow)
    put_view(
        AvailabilityView("dropship", frozenset({"shop"}), supplier_max_age_hours=24), uow, clock()
    )

    fresh = item(channel="shop")["available"]
    clock.advance(hours=23)
    still = item(channel="shop")["available"]
    clock.advance(hours=2)  # the supplier has not reported for 25 hours
    stale = item(channel="shop", locations=True)

    assert (fresh, still, stale["available"]) == (53, 53, 13)
    assert [(at["location_id"], at["stale"]) for at in stale["locations"]] == [
        ("DC-BER", False),
        ("ST-HAM", False),
        ("SUP-NORD", True),
    ]
