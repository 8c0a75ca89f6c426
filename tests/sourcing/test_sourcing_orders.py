"""Orders sourced by their profile: the profile version and strategy recorded with an
explanation, backorders accepted and filled as supply arrives, and rerouting after a
location turns an allocation down (never back to it)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ordino.app.job_handlers import Outside, handlers
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.events.adapters.http_delivery import post_json
from ordino.inventory.domain.feeds import Count, Source
from ordino.inventory.services.signals import evaluate_all
from ordino.inventory.services.stock import count_stock
from ordino.inventory.services.stock_cache import StockPicture
from ordino.inventory.store.tables import reservations
from ordino.kernel.domain.errors import InsufficientStock, NotFound
from ordino.kernel.services.server_keys import ServerKeys
from ordino.network.adapters.sandbox_carrier import SandboxCarrier
from ordino.network.domain.carriers import LaneMatch
from ordino.network.domain.costs import LocationCosts, RateCard, RateZone, WeightBreak
from ordino.network.domain.locations import LocationType
from ordino.network.services.catalogue import put_product
from ordino.network.services.operations import RATE_CARDS, put_location_costs, put_named
from ordino.orchestration.services.rerouting import Rejection, fill_backorders, reject_allocation
from ordino.orchestration.services.worker import Worker
from ordino.orders.services.capture import Capture, place_order
from ordino.orders.services.decisions import get_sourcing
from ordino.orders.services.orders import get_order
from ordino.payments.adapters.sandbox import SandboxGateway
from ordino.sourcing.domain.plans import LineToSource, ToSource
from ordino.sourcing.domain.profiles import Filters, SourcingProfile, Strategy, StrategyKind
from ordino.sourcing.services.profiles import put_profile
from ordino.sourcing.services.requests import sourcing_request
from ordino.store.tables import jobs
from tests.conftest import Clock
from tests.support.builders import a_place_order, a_product
from tests.support.storage import rows, stock_levels, with_stock

KEYS = ServerKeys(())  # no webhook is delivered here

NEAREST = Strategy("nearest")


def a_profile(*strategies: Strategy, **fields: Any) -> SourcingProfile:
    return SourcingProfile("web-rules", frozenset({"web"}), strategies or (NEAREST,), **fields)


def place(uow: SqlUnitOfWork, clock: Clock, *lines: tuple[str, int], **fields: Any) -> str:
    answer = place_order(a_place_order(*lines, **fields), uow, Capture(), clock())
    return str(answer.body["id"])


def decisions(uow: SqlUnitOfWork, order_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = get_sourcing(order_id, uow)["decisions"]
    return found


def allocations(uow: SqlUnitOfWork, order_id: str) -> list[list[tuple[str, int]]]:
    order = get_order(order_id, uow)
    return [
        [(a["location_id"], a["quantity"]) for a in line["allocations"]] for line in order["lines"]
    ]


def recount(uow: SqlUnitOfWork, clock: Clock, location_id: str, sku: str, on_hand: int) -> None:
    count_stock([Count(location_id, sku, on_hand, 0)], None, Source("test", clock()), uow)


# -- what an order records ---------------------------------------------------------------


def test_an_order_records_the_profile_version_and_strategy_that_sourced_it(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    with_stock(uow, clock(), {("ST-HAM", "SKU-1"): 3, ("DC-BER", "SKU-1"): 4})
    put_profile(a_profile(filters=Filters(ship_from_store=False)), uow, clock())

    order_id = place(uow, clock, ("SKU-1", 2))

    [decision] = decisions(uow, order_id)
    assert (decision["seq"], decision["reason"]) == (1, "capture")
    assert decision["profile"] == {"name": "web-rules", "version": 1}
    assert (decision["strategy"], decision["outcome"]) == ("nearest", "sourced")
    assert decision["excluded"] == [{"location_id": "ST-HAM", "rule": "no-ship-from-store"}]
    assert decision["chosen"]["allocations"] == [
        {"line_no": 1, "location_id": "DC-BER", "quantity": 2}
    ]
    assert decision["rate_card"] == "distance"  # no service named: the distance scale
    assert decision["candidates"]["count"] == 1
    assert decision["candidates"]["nearest"][0]["location_id"] == "DC-BER"
    assert allocations(uow, order_id) == [[("DC-BER", 2)]]


def test_a_changed_profile_sources_the_next_order_and_the_first_keeps_its_version(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    with_stock(uow, clock(), {("ST-HAM", "SKU-1"): 3, ("DC-BER", "SKU-1"): 4})
    put_profile(a_profile(), uow, clock())
    first = place(uow, clock, ("SKU-1", 1))
    put_profile(a_profile(filters=Filters(exclude=frozenset({"ST-HAM"}))), uow, clock())

    second = place(uow, clock, ("SKU-1", 1), external_id="W-2")

    assert allocations(uow, first) == [[("ST-HAM", 1)]]  # the nearest
    assert allocations(uow, second) == [[("DC-BER", 1)]]
    assert decisions(uow, first)[0]["profile"] == {"name": "web-rules", "version": 1}
    assert decisions(uow, second)[0]["profile"] == {"name": "web-rules", "version": 2}
    assert decisions(uow, second)[0]["excluded"] == [{"location_id": "ST-HAM", "rule": "excluded"}]


def test_an_order_of_another_channel_is_sourced_by_the_built_in_profile(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    with_stock(uow, clock(), {("ST-HAM", "SKU-1"): 3, ("DC-BER", "SKU-1"): 4})
    put_profile(a_profile(filters=Filters(ship_from_store=False)), uow, clock())

    order_id = place(uow, clock, ("SKU-1", 1), channel="store")

    assert decisions(uow, order_id)[0]["profile"] == {"name": "built-in", "version": 0}
    assert allocations(uow, order_id) == [[("ST-HAM", 1)]]


def test_the_rate_card_of_the_orders_service_and_the_locations_costs_price_the_plan(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    with_stock(uow, clock(), {("ST-HAM", "SKU-1"): 3, ("DC-BER", "SKU-1"): 4})
    put_profile(a_profile(), uow, clock())
    flat = RateZone(LaneMatch(), (WeightBreak(Decimal(30), Decimal("4.00")),))
    put_named(RATE_CARDS, RateCard("dhl", "EUR", (flat,)), uow, clock())
    # The store is nearer, but its labour makes it dearer than the DC.
    put_location_costs("ST-HAM", LocationCosts(store_labour_per_unit=Decimal(3)), uow, clock())

    order_id = place(uow, clock, ("SKU-1", 1), service="dhl")

    [decision] = decisions(uow, order_id)
    assert decision["rate_card"] == "dhl"
    assert decision["chosen"]["allocations"][0]["location_id"] == "DC-BER"
    assert decision["chosen"]["cost"]["total"] == "4.00"
    assert decision["alternatives"] == [{"location_ids": ["ST-HAM"], "total": "7.00"}]


def test_a_reroute_weighs_the_products_as_the_database_has_them_now(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    put_product(a_product("SKU-1"), uow, clock())  # 0.5 kg
    flat = RateZone(LaneMatch(), (WeightBreak(Decimal(30), Decimal("4.00")),))
    put_named(RATE_CARDS, RateCard("dhl", "EUR", (flat,)), uow, clock())
    picture = StockPicture()  # a worker's: it hears nothing of this test's commits
    order = ToSource("web", "EUR", "dhl", [LineToSource(1, "SKU-1", 1, Decimal(10))])

    def weight() -> Decimal:
        with uow:
            return sourcing_request(uow, picture, order, []).lines[0].unit_weight_kg

    first = weight()
    put_product(a_product("SKU-1", weight_kg=Decimal(5)), uow, clock.advance(minutes=1))

    assert (first, weight()) == (Decimal("0.5"), Decimal(5))


def test_a_profile_that_cannot_fill_and_cancels_refuses_the_order_naming_the_strategy(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    with_stock(uow, clock(), {("ST-HAM", "SKU-1"): 3, ("DC-BER", "SKU-1"): 4})
    dcs = Strategy("DCs", location_types=frozenset({LocationType.WAREHOUSE}))
    put_profile(a_profile(dcs, Strategy("give up", StrategyKind.CANCEL)), uow, clock())

    with pytest.raises(InsufficientStock) as refused:
        place(uow, clock, ("SKU-1", 5))

    assert refused.value.extra["sourcing"] == {
        "profile": "web-rules",
        "version": 1,
        "strategy": "give up",
    }
    assert rows(uow.engine, reservations) == []


# -- backorders --------------------------------------------------------------------------


def test_a_backorder_strategy_places_the_order_with_the_rest_waiting_for_supply(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 3, ("DC-BER", "SKU-2"): 5})
    wait = Strategy("wait", StrategyKind.BACKORDER, cancel_after_days=14)
    put_profile(a_profile(NEAREST, wait), uow, clock())

    order_id = place(uow, clock, ("SKU-1", 5), ("SKU-2", 1))

    order = get_order(order_id, uow)
    assert [(line["status"], line["backordered"]) for line in order["lines"]] == [
        ("backordered", 2),
        ("allocated", 0),
    ]
    assert stock_levels(uow.engine)[("DC-BER", "SKU-1")] == (3, 3, 0)
    [decision] = decisions(uow, order_id)
    assert (decision["outcome"], decision["strategy"]) == ("backordered", "wait")
    assert decision["waiting"] == [{"line_no": 1, "quantity": 2}]
    assert decision["cancel_after_days"] == 14


def test_supply_arriving_allocates_backorders_oldest_first(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 1, ("DC-MUC", "SKU-1"): 0})
    wait = Strategy("wait", StrategyKind.BACKORDER)
    put_profile(a_profile(NEAREST, wait), uow, clock())
    older = place(uow, clock, ("SKU-1", 3))
    clock.advance(seconds=1)
    newer = place(uow, clock, ("SKU-1", 2), external_id="W-2")
    assert fill_backorders(uow, Capture(), clock()) == []  # nothing arrived yet

    recount(uow, clock, "DC-MUC", "SKU-1", 3)
    filled = fill_backorders(uow, Capture(), clock.advance(minutes=1))

    assert filled == [older, newer]
    assert allocations(uow, older) == [[("DC-BER", 1), ("DC-MUC", 2)]]
    assert allocations(uow, newer) == [[("DC-MUC", 1)]]  # one unit left for it
    assert get_order(newer, uow)["lines"][0]["backordered"] == 1
    assert [d["reason"] for d in decisions(uow, older)] == ["capture", "supply"]
    assert stock_levels(uow.engine)[("DC-MUC", "SKU-1")] == (3, 3, 0)


def test_every_backordered_order_is_looked_at_not_only_the_oldest_page(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 0, ("DC-BER", "SKU-2"): 0})
    put_profile(a_profile(NEAREST, Strategy("wait", StrategyKind.BACKORDER)), uow, clock())
    stuck = [place(uow, clock, ("SKU-2", 1), external_id=f"W-{n}") for n in range(3)]
    clock.advance(seconds=1)
    newest = place(uow, clock, ("SKU-1", 1), external_id="W-9")

    recount(uow, clock, "DC-BER", "SKU-1", 1)
    filled = fill_backorders(uow, Capture(), clock(), page=2)

    assert filled == [newest]
    assert all(get_order(o, uow)["lines"][0]["backordered"] == 1 for o in stuck)


# -- rerouting ---------------------------------------------------------------------------


def test_a_rejected_allocation_is_released_and_sourced_elsewhere(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    with_stock(
        uow, clock(), {("ST-HAM", "SKU-1"): 3, ("DC-BER", "SKU-1"): 4, ("DC-MUC", "SKU-1"): 4}
    )
    put_profile(a_profile(), uow, clock())
    order_id = place(uow, clock, ("SKU-1", 2))
    assert allocations(uow, order_id) == [[("ST-HAM", 2)]]

    answer = reject_allocation(
        Rejection(order_id, "ST-HAM", "damaged"), uow, Capture(), clock.advance(minutes=5)
    )

    assert [
        (a["location_id"], a["quantity"]) for a in answer["order"]["lines"][0]["allocations"]
    ] == [("DC-BER", 2)]
    assert answer["sourcing"]["excluded"] == [{"location_id": "ST-HAM", "rule": "rejected"}]
    levels = stock_levels(uow.engine)
    assert (levels[("ST-HAM", "SKU-1")], levels[("DC-BER", "SKU-1")]) == ((3, 0, 0), (4, 2, 0))
    history = decisions(uow, order_id)
    assert [(d["seq"], d["reason"], d["rejected"]) for d in history] == [
        (1, "capture", []),
        (2, "reroute", ["ST-HAM"]),
    ]
    assert history[1]["profile"] == history[0]["profile"]


def test_a_location_that_rejected_an_order_is_never_chosen_for_it_again(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    with_stock(uow, clock(), {("ST-HAM", "SKU-1"): 3, ("DC-BER", "SKU-1"): 4})
    wait = Strategy("wait", StrategyKind.BACKORDER)
    put_profile(a_profile(NEAREST, wait), uow, clock())
    order_id = place(uow, clock, ("SKU-1", 2))
    reject_allocation(Rejection(order_id, "ST-HAM", "not-found"), uow, Capture(), clock())

    reject_allocation(Rejection(order_id, "DC-BER", "no-capacity"), uow, Capture(), clock())

    # Hamburg still has stock, but turned the order down: the units wait.
    order = get_order(order_id, uow)
    assert order["lines"][0]["allocations"] == []
    assert (order["lines"][0]["status"], order["lines"][0]["backordered"]) == ("backordered", 2)
    assert decisions(uow, order_id)[-1]["rejected"] == ["DC-BER", "ST-HAM"]
    recount(uow, clock, "ST-HAM", "SKU-1", 10)  # supply at the rejecting store only
    assert fill_backorders(uow, Capture(), clock()) == []
    assert stock_levels(uow.engine)[("ST-HAM", "SKU-1")] == (10, 0, 0)


def test_rejecting_where_the_order_has_nothing_is_not_found_and_changes_nothing(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 4, ("DC-MUC", "SKU-1"): 4})
    order_id = place(uow, clock, ("SKU-1", 2))

    with pytest.raises(NotFound):
        reject_allocation(Rejection(order_id, "DC-MUC", "damaged"), uow, Capture(), clock())

    assert allocations(uow, order_id) == [[("DC-BER", 2)]]
    assert len(decisions(uow, order_id)) == 1


def test_stock_rising_by_a_count_has_the_worker_fill_what_waited(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    uow_of = lambda: SqlUnitOfWork(uow.engine)  # noqa: E731
    worker = Worker(
        "w",
        uow_of,
        clock,
        handlers(
            uow_of,
            Capture(),
            Outside(post_json, SandboxGateway(uow.engine), KEYS, SandboxCarrier(uow.engine)),
            clock,
        ),
    )
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 1})
    put_profile(a_profile(NEAREST, Strategy("wait", StrategyKind.BACKORDER)), uow, clock())
    evaluate_all(uow, clock())
    worker.run_until_idle()  # the first stock's rise: nothing waited yet
    order_id = place(uow, clock, ("SKU-1", 3))
    kinds = sorted(job["kind"] for job in rows(uow.engine, jobs))
    assert kinds == ["backorders.expect", "orders.advance"]  # 2 wait: dated by what comes
    worker.run_until_idle()  # the unit it has goes to its location
    evaluate_all(uow, clock())  # the signals see the stock fall: nothing to fill
    assert [job["kind"] for job in rows(uow.engine, jobs)] == ["timers.due"]  # accept by

    recount(uow, clock, "DC-BER", "SKU-1", 4)
    evaluate_all(uow, clock())  # they see it rise: the filling is enqueued
    assert sorted(job["kind"] for job in rows(uow.engine, jobs)) == [
        "backorders.fill",
        "timers.due",
    ]
    worker.run_until_idle()

    assert get_order(order_id, uow)["lines"][0]["backordered"] == 0
