"""Stock signals per view: a SKU sold out, ran low, came back; once per change of
status, never lost when an evaluation fails, and cheap for SKUs far from a threshold."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Count
from ordino.inventory.domain.views import AvailabilityView, LocationFilter
from ordino.inventory.services.availability import put_view
from ordino.inventory.services.signals import evaluate_all
from ordino.inventory.services.stock import count_stock
from ordino.inventory.store.positions import SqlInventory
from ordino.inventory.store.signals import SqlSignals
from ordino.inventory.store.tables import stock_signals
from ordino.network.domain.locations import LocationType
from ordino.network.services.catalogue import put_location
from ordino.orders.services.capture import place_order
from ordino.orders.services.orders import cancel_order
from ordino.sourcing.engine.choice import RulesEngine
from ordino.store.tables import outbox, stock_changes
from tests.conftest import Clock
from tests.support.builders import a_place_order, a_source
from tests.support.storage import LOCATIONS, rows, with_stock


@pytest.fixture(autouse=True)
def stocked(uow: SqlUnitOfWork, clock: Clock) -> None:
    """5 of SKU-1 at DC-BER, 3 at the store ST-HAM; every change so far evaluated."""
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 5, ("ST-HAM", "SKU-1"): 3})
    put_view(
        AvailabilityView(
            "warehouses",
            frozenset({"amazon"}),
            locations=LocationFilter(types=frozenset({LocationType.WAREHOUSE})),
            low_stock_below=4,
        ),
        uow,
        clock(),
    )
    evaluate_all(uow, clock())


def signals(uow: SqlUnitOfWork) -> list[tuple[str, str, str | None, str, int]]:
    """(event, view, previous status, status, available) of every signal, by view."""
    found = [
        (e["type"], e["data"]) for e in rows(uow.engine, outbox) if e["type"].startswith("stock.")
    ]
    return sorted(
        (kind, d["view"], d["previous_status"], d["status"], d["available"]) for kind, d in found
    )


def states(uow: SqlUnitOfWork) -> dict[str, tuple[str, int]]:
    return {r["view"]: (r["status"], r["bound"]) for r in rows(uow.engine, stock_signals)}


def order(uow: SqlUnitOfWork, clock: Clock, quantity: int, n: int = 1) -> dict[str, Any]:
    cmd = a_place_order(("SKU-1", quantity), external_id=f"W-{n}")
    return place_order(cmd, uow, RulesEngine(), clock()).body


def test_a_first_look_records_the_status_and_tells_nothing(uow: SqlUnitOfWork) -> None:
    assert states(uow) == {"default": ("in_stock", 8), "warehouses": ("in_stock", 5)}
    assert signals(uow) == []


def test_a_sku_runs_low_sells_out_and_comes_back_in_each_view(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    for n, quantity in enumerate((4, 1, 3)):  # DC-BER 1 left; ST-HAM 2; both 0
        order(uow, clock, quantity, n)
        evaluate_all(uow, clock())
    count_stock([Count("DC-BER", "SKU-1", 12)], None, a_source(clock.advance(minutes=1)), uow)
    evaluate_all(uow, clock())  # 12 on hand, 5 of them reserved

    assert signals(uow) == [
        ("stock.ran_low", "warehouses", "in_stock", "low_stock", 1),
        ("stock.restocked", "default", "out_of_stock", "in_stock", 7),
        ("stock.restocked", "warehouses", "out_of_stock", "in_stock", 7),
        ("stock.sold_out", "default", "in_stock", "out_of_stock", 0),
        ("stock.sold_out", "warehouses", "low_stock", "out_of_stock", 0),
    ]


def test_a_sku_far_above_its_threshold_is_not_counted_again(
    uow: SqlUnitOfWork, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    count_stock([Count("DC-BER", "SKU-1", 500)], None, a_source(clock.advance(minutes=1)), uow)
    order(uow, clock, 7, 1)  # a rise leaves the bound low (it only errs low): this counts
    evaluate_all(uow, clock())
    order(uow, clock, 7, 2)
    counted: list[object] = []
    positions = SqlInventory.positions
    monkeypatch.setattr(
        SqlInventory,
        "positions",
        lambda self, *args, **kwargs: counted.append(args) or positions(self, *args, **kwargs),
    )

    evaluate_all(uow, clock())

    assert counted == []
    assert states(uow) == {"default": ("in_stock", 489), "warehouses": ("in_stock", 486)}


def test_a_change_of_a_view_counts_its_skus_again_under_the_new_rules(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    put_view(
        AvailabilityView("warehouses", frozenset({"amazon"}), in_stock_minimum=10),
        uow,
        clock(),
        version=1,
    )

    evaluate_all(uow, clock())

    assert signals(uow) == [("stock.sold_out", "warehouses", "in_stock", "out_of_stock", 8)]


def test_a_failed_evaluation_loses_no_change_and_repeats_no_signal(
    uow: SqlUnitOfWork, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    order(uow, clock, 5)
    save = SqlSignals.save

    def crash(*args: Any) -> None:
        raise RuntimeError("the evaluator died")

    monkeypatch.setattr(SqlSignals, "save", crash)
    with pytest.raises(RuntimeError):
        evaluate_all(uow, clock())
    monkeypatch.setattr(SqlSignals, "save", save)
    evaluate_all(uow, clock())
    evaluate_all(uow, clock())

    assert signals(uow) == [("stock.sold_out", "warehouses", "in_stock", "out_of_stock", 0)]
    with uow.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(stock_changes)) == 0


def test_a_cancelled_order_brings_the_sku_back(uow: SqlUnitOfWork, clock: Clock) -> None:
    placed = order(uow, clock, 5)
    evaluate_all(uow, clock())

    cancel_order(placed["id"], uow, clock.advance(minutes=1))
    evaluate_all(uow, clock())

    assert signals(uow) == [
        ("stock.restocked", "warehouses", "out_of_stock", "in_stock", 5),
        ("stock.sold_out", "warehouses", "in_stock", "out_of_stock", 0),
    ]


def test_a_store_that_stops_shipping_takes_its_stock_out_of_the_network_total(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    count_stock([Count("DC-BER", "SKU-1", 0)], None, a_source(clock.advance(minutes=1)), uow)
    evaluate_all(uow, clock())  # only ST-HAM's 3 are left, in stock

    put_location(replace(LOCATIONS["ST-HAM"], ships=False), uow, clock())
    evaluate_all(uow, clock())

    assert signals(uow) == [
        ("stock.sold_out", "default", "in_stock", "out_of_stock", 0),  # the store no longer ships
        ("stock.sold_out", "warehouses", "in_stock", "out_of_stock", 0),  # the count of DC-BER
    ]


def test_a_location_sent_again_unchanged_changes_nothing(uow: SqlUnitOfWork, clock: Clock) -> None:
    with uow.engine.connect() as connection:
        before = connection.scalar(select(func.count()).select_from(stock_changes))

    created = put_location(LOCATIONS["ST-HAM"], uow, clock())

    with uow.engine.connect() as connection:
        after = connection.scalar(select(func.count()).select_from(stock_changes))
    assert (created, before, after) == (False, 0, 0)
