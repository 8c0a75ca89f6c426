"""Placing an order: order, allocations, ledger and event in one commit, or nothing at all."""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import Any, Self

import pytest
from sqlalchemy import Engine, create_engine

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.store.tables import positions, reservations
from ordino.kernel.domain.errors import DuplicateOrder, FieldError, InsufficientStock, InvalidInput
from ordino.kernel.domain.ids import LENGTH
from ordino.orders.services.capture import place_order
from ordino.orders.store.tables import allocations, order_lines, orders
from ordino.sourcing.engine.choice import RulesEngine, SourcingRequest
from ordino.sourcing.engine.rules import Decision
from ordino.store.tables import outbox, stock_changes
from tests.conftest import T0, Clock
from tests.support.builders import a_place_order
from tests.support.storage import ORDER_TABLES, counts, rows, stock_levels, with_stock

NONE_WRITTEN = {table.name: 0 for table in ORDER_TABLES}
SHIP_TO = {
    "name": "Ada Lovelace",
    "line1": "Jungfernstieg 1",
    "line2": None,
    "city": "Hamburg",
    "region": None,
    "postal_code": "20354",
    "country": "DE",
    "latitude": 53.55,
    "longitude": 9.99,
}


@pytest.fixture
def berlin_stock(uow: SqlUnitOfWork, clock: Clock) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 10, ("DC-BER", "SKU-2"): 4})


NO_PROGRESS: dict[str, int | None] = dict.fromkeys(
    (
        "cancelled",
        "released",
        "shipped",
        "delivered",
        "picked_up",
        "returned",
        "being_returned",
        "backordered",
    ),
    0,
) | {"expected_on": None}


@pytest.mark.usefixtures("berlin_stock")
def test_placing_writes_the_order_its_allocations_and_ledger(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    answer = place_order(a_place_order(("SKU-1", 2), ("SKU-2", 1)), uow, RulesEngine(), clock())

    order_id = answer.body["id"]
    assert (answer.status, answer.replayed) == (201, False)
    assert rows(uow.engine, orders) == [
        {
            "id": order_id,
            "channel": "web",
            "external_id": "W-1001",
            "status": "placed",
            "return_state": "none",
            "currency": "EUR",
            "total_minor": 17970,
            "revenue_minor": 17970,
            "shipping_minor": 0,
            "customer_email": "ada@example.com",
            "customer_name": "Ada Lovelace",
            "customer_phone": None,
            "customer_vat_id": None,
            "customer_group": None,
            "tax_treatment": None,
            "ship_to": SHIP_TO,
            "created_at": clock(),
            "updated_at": clock(),
            "version": 1,
            "type": "ship_to_home",
            "pipeline": [],  # copied from its type when it first advances
            "step": 0,
            "bill_to": None,
            "b2b": None,
            "language": None,
            "priority": 0,
            "charges": None,
            "exchange": None,
            "settlement_currency": "EUR",
            "settlement_revenue_minor": 17970,
            "settlement_shipping_minor": 0,
        }
    ]
    assert rows(uow.engine, order_lines) == [
        {
            "order_id": order_id,
            "line_no": 1,
            "sku": "SKU-1",
            "quantity": 2,
            "unit_price_minor": 5990,
            "list_price_minor": 5990,
            "price_parts": None,
            "status": "allocated",
            **NO_PROGRESS,
        },
        {
            "order_id": order_id,
            "line_no": 2,
            "sku": "SKU-2",
            "quantity": 1,
            "unit_price_minor": 5990,
            "list_price_minor": 5990,
            "price_parts": None,
            "status": "allocated",
            **NO_PROGRESS,
        },
    ]
    assert rows(uow.engine, allocations) == [
        {
            "order_id": order_id,
            "line_no": 1,
            "location_id": "DC-BER",
            "quantity": 2,
            "ship_date": None,
        },
        {
            "order_id": order_id,
            "line_no": 2,
            "location_id": "DC-BER",
            "quantity": 1,
            "ship_date": None,
        },
    ]
    ledger = sorted(rows(uow.engine, reservations), key=lambda row: row["line_no"])
    assert [{k: v for k, v in row.items() if k != "id"} for row in ledger] == [
        {
            "order_id": order_id,
            "line_no": 1,
            "location_id": "DC-BER",
            "sku": "SKU-1",
            "quantity": 2,
            "created_at": clock(),
            "released_at": None,
        },
        {
            "order_id": order_id,
            "line_no": 2,
            "location_id": "DC-BER",
            "sku": "SKU-2",
            "quantity": 1,
            "created_at": clock(),
            "released_at": None,
        },
    ]
    assert stock_levels(uow.engine) == {
        ("DC-BER", "SKU-1"): (10, 2, 0),
        ("DC-BER", "SKU-2"): (4, 1, 0),
    }


@pytest.mark.usefixtures("berlin_stock")
def test_placing_writes_exactly_one_order_created_event(uow: SqlUnitOfWork, clock: Clock) -> None:
    answer = place_order(a_place_order(("SKU-1", 2)), uow, RulesEngine(), clock())

    [event] = rows(uow.engine, outbox)
    order_id = answer.body["id"]
    assert len(event.pop("id")) == LENGTH
    assert event.pop("seq") >= 1  # its place in the order events leave in
    assert event == {
        "type": "order.created",
        "occurred_at": clock(),
        "subject": f"order/{order_id}",
        "data": {
            "order_id": order_id,
            "channel": "web",
            "external_id": "W-1001",
            "status": "placed",
            "total": "119.80",
            "currency": "EUR",
            "by": "ordino",
            "money": {
                "goods": "119.80",
                "discount": "0.00",
                "charges": "0.00",
                "tax": "0.00",
                "total": "119.80",
            },
            "lines": [
                {
                    "line_no": 1,
                    "sku": "SKU-1",
                    "quantity": 2,
                    "list_price": "59.90",
                    "unit_price": "59.90",
                    "gross": "119.80",
                    "discount": "0.00",
                    "net": "119.80",
                    "tax": "0.00",
                    "total": "119.80",
                    "discounts": [],
                    "taxes": [],
                }
            ],
            "charges": [],
            "tax_treatment": None,
            "exchange": None,
            "language": None,
        },
        "published_at": None,
    }


class WatchedUnitOfWork:
    """A unit of work that, just before it commits, notes what another connection sees."""

    def __init__(self, inner: SqlUnitOfWork, watch: Engine) -> None:
        self.inner, self.watch = inner, watch
        self.commits: list[tuple[dict[str, int], Any]] = []

    def __enter__(self) -> Self:
        self.inner.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.inner.__exit__(exc_type, exc, tb)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def commit(self) -> None:
        self.commits.append((counts(self.watch), stock_levels(self.watch)))
        self.inner.commit()


@pytest.fixture
def watcher(database_url: str) -> Iterator[Engine]:
    """A plain engine (no write lock on begin, so it can read while a writer is open)."""
    engine = create_engine(database_url)
    yield engine
    engine.dispose()


@pytest.mark.usefixtures("berlin_stock")
def test_two_lines_of_one_sku_at_one_location_reserve_both(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    place_order(a_place_order(("SKU-1", 2), ("SKU-1", 3)), uow, RulesEngine(), clock())

    assert stock_levels(uow.engine)[("DC-BER", "SKU-1")] == (10, 5, 0)
    with pytest.raises(InsufficientStock):  # 5 left, not 8
        place_order(a_place_order(("SKU-1", 6), external_id="W-2"), uow, RulesEngine(), clock())


@pytest.mark.usefixtures("berlin_stock")
def test_a_reservation_dates_the_position_by_the_orders_clock(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    placed_at = clock.advance(hours=1)

    place_order(a_place_order(("SKU-1", 2)), uow, RulesEngine(), placed_at)

    assert {(row["sku"], row["updated_at"]) for row in rows(uow.engine, positions)} == {
        ("SKU-1", placed_at),
        ("SKU-2", T0),  # untouched since its count
    }


@pytest.mark.usefixtures("berlin_stock")
def test_an_order_records_how_far_each_skus_availability_may_have_fallen(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    """The stock signals skip SKUs still far above their thresholds by it."""
    before = len(rows(uow.engine, stock_changes))
    placed_at = clock.advance(minutes=1)

    place_order(a_place_order(("SKU-1", 2), ("SKU-2", 1)), uow, RulesEngine(), placed_at)

    recorded = [
        (r["kind"], r["sku"], r["down"], r["up"], r["location_id"], r["changed_at"])
        for r in rows(uow.engine, stock_changes)[before:]
    ]
    assert recorded == [
        ("stock", "SKU-1", 2, False, None, placed_at),
        ("stock", "SKU-2", 1, False, None, placed_at),
    ]


@pytest.mark.usefixtures("berlin_stock")
def test_events_are_numbered_from_one_without_gaps(uow: SqlUnitOfWork, clock: Clock) -> None:
    """Relays and feeds read events past the last number they saw."""
    for n in range(1, 4):
        place_order(a_place_order(("SKU-1", 1), external_id=f"W-{n}"), uow, RulesEngine(), clock())

    assert sorted(row["seq"] for row in rows(uow.engine, outbox)) == [1, 2, 3]


@pytest.mark.usefixtures("berlin_stock")
def test_order_ledger_and_event_become_visible_in_one_commit(
    uow: SqlUnitOfWork, clock: Clock, watcher: Engine
) -> None:
    watched = WatchedUnitOfWork(uow, watcher)

    place_order(a_place_order(("SKU-1", 2)), watched, RulesEngine(), clock())  # type: ignore[arg-type]

    assert watched.commits == [
        (NONE_WRITTEN, {("DC-BER", "SKU-1"): (10, 0, 0), ("DC-BER", "SKU-2"): (4, 0, 0)})
    ]
    assert counts(watcher) == NONE_WRITTEN | {
        "orders": 1,
        "order_lines": 1,
        "allocations": 1,
        "reservations": 1,
        "outbox": 1,
    }
    assert stock_levels(watcher)[("DC-BER", "SKU-1")] == (10, 2, 0)


def test_a_line_no_single_location_can_fill_is_split_in_the_ledger(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    with_stock(uow, clock(), {("ST-HAM", "SKU-1"): 3, ("DC-BER", "SKU-1"): 4})

    answer = place_order(a_place_order(("SKU-1", 5)), uow, RulesEngine(), clock())

    # Two packages, whichever way the five units divide (both cost the same).
    taken = {a["location_id"]: a["quantity"] for a in answer.body["lines"][0]["allocations"]}
    assert set(taken) == {"DC-BER", "ST-HAM"}
    assert sum(taken.values()) == 5
    ledger = sorted((r["location_id"], r["quantity"]) for r in rows(uow.engine, reservations))
    assert ledger == sorted(taken.items())
    assert stock_levels(uow.engine) == {
        ("DC-BER", "SKU-1"): (4, taken["DC-BER"], 0),
        ("ST-HAM", "SKU-1"): (3, taken["ST-HAM"], 0),
    }


@pytest.mark.usefixtures("berlin_stock")
def test_insufficient_stock_writes_nothing(uow: SqlUnitOfWork, clock: Clock) -> None:
    levels = stock_levels(uow.engine)

    with pytest.raises(InsufficientStock) as refused:
        place_order(a_place_order(("SKU-1", 2), ("SKU-2", 5)), uow, RulesEngine(), clock())

    assert refused.value.extra == {
        "shortfalls": [{"line_no": 2, "sku": "SKU-2", "requested": 5, "available": 4, "short": 1}],
        "sourcing": {"profile": "built-in", "version": 0, "strategy": "split lines"},
    }
    assert str(refused.value) == "not enough stock of SKU-2"
    assert counts(uow.engine) == NONE_WRITTEN
    assert stock_levels(uow.engine) == levels


@pytest.mark.usefixtures("berlin_stock")
def test_unknown_skus_are_refused_and_write_nothing(uow: SqlUnitOfWork, clock: Clock) -> None:
    levels = stock_levels(uow.engine)
    cmd = a_place_order(("SKU-1", 1), ("NOPE", 1), ("GONE", 2))

    with pytest.raises(InvalidInput) as refused:
        place_order(cmd, uow, RulesEngine(), clock())

    assert refused.value.errors == [
        FieldError("lines[1].sku", "unknown SKU 'NOPE'"),
        FieldError("lines[2].sku", "unknown SKU 'GONE'"),
    ]
    assert counts(uow.engine) == NONE_WRITTEN
    assert stock_levels(uow.engine) == levels


@pytest.mark.usefixtures("berlin_stock")
def test_a_channel_order_id_seen_before_is_refused_and_writes_nothing(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    first = place_order(a_place_order(("SKU-1", 2)), uow, RulesEngine(), clock())
    written, levels = counts(uow.engine), stock_levels(uow.engine)

    with pytest.raises(DuplicateOrder) as refused:
        place_order(a_place_order(("SKU-2", 1)), uow, RulesEngine(), clock.advance(seconds=1))

    assert refused.value.extra == {"order_id": first.body["id"]}
    assert counts(uow.engine) == written
    assert stock_levels(uow.engine) == levels


@pytest.mark.usefixtures("berlin_stock")
def test_the_same_external_id_on_another_channel_is_another_order(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    place_order(a_place_order(("SKU-1", 2)), uow, RulesEngine(), clock())

    place_order(a_place_order(("SKU-1", 1), channel="store"), uow, RulesEngine(), clock())

    assert sorted((r["channel"], r["external_id"]) for r in rows(uow.engine, orders)) == [
        ("store", "W-1001"),
        ("web", "W-1001"),
    ]
    assert stock_levels(uow.engine)[("DC-BER", "SKU-1")] == (10, 3, 0)


def test_the_destination_reaches_the_engine(uow: SqlUnitOfWork, clock: Clock) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 1})
    seen: list[SourcingRequest] = []

    class Recording(RulesEngine):
        def decide(self, request: SourcingRequest) -> Decision:
            seen.append(request)
            return super().decide(request)

    cmd = a_place_order(("SKU-1", 1))
    place_order(cmd, uow, Recording(), clock())

    (lane,) = [site.candidate.lane for site in seen[0].sites]
    assert (lane.destination_country, lane.destination) == ("DE", cmd.ship_to_point)
    assert lane.distance_km is not None
