"""Cancelling releases every reservation and records order.cancelled; reading gives the
order as placed; listing is newest first with a cursor."""

from __future__ import annotations

import pytest

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.store.tables import reservations
from ordino.kernel.domain.errors import NotFound
from ordino.orders.domain.commands import OrderQuery
from ordino.orders.domain.status import OrderStatus
from ordino.orders.services.capture import place_order
from ordino.orders.services.orders import cancel_order, get_order, list_orders
from ordino.orders.store.tables import order_lines, orders
from ordino.sourcing.engine.choice import RulesEngine
from ordino.store.tables import outbox
from tests.conftest import Clock
from tests.support.builders import a_place_order
from tests.support.storage import counts, rows, stock_levels, with_stock


@pytest.fixture(autouse=True)
def stock(uow: SqlUnitOfWork, clock: Clock) -> None:
    with_stock(uow, clock(), {("ST-HAM", "SKU-1"): 3, ("DC-BER", "SKU-1"): 4})


def place(uow: SqlUnitOfWork, clock: Clock, quantity: int = 5, **overrides: str) -> str:
    answer = place_order(
        a_place_order(("SKU-1", quantity), **overrides), uow, RulesEngine(), clock()
    )
    return str(answer.body["id"])


def test_cancelling_releases_the_ledger_and_records_order_cancelled(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    order_id = place(uow, clock)  # split between Berlin and Hamburg
    later = clock.advance(minutes=10)

    view = cancel_order(order_id, uow, later, reason="customer asked")

    assert view["status"] == "cancelled"
    assert [line["status"] for line in view["lines"]] == ["cancelled"]
    assert view["updated_at"] == later.isoformat()
    assert stock_levels(uow.engine) == {
        ("DC-BER", "SKU-1"): (4, 0, 0),
        ("ST-HAM", "SKU-1"): (3, 0, 0),
    }
    ledger = sorted(rows(uow.engine, reservations), key=lambda row: row["location_id"])
    assert [(r["location_id"], r["released_at"]) for r in ledger] == [
        ("DC-BER", later),
        ("ST-HAM", later),
    ]
    assert sum(r["quantity"] for r in ledger) == 5
    [head] = rows(uow.engine, orders)
    assert (head["status"], head["version"], head["updated_at"]) == ("cancelled", 2, later)
    assert [line["status"] for line in rows(uow.engine, order_lines)] == ["cancelled"]
    events = sorted(rows(uow.engine, outbox), key=lambda event: event["id"])
    assert [event["type"] for event in events] == ["order.created", "order.cancelled"]
    assert (events[1]["occurred_at"], events[1]["subject"]) == (later, f"order/{order_id}")
    assert events[1]["data"] == {
        "order_id": order_id,
        "channel": "web",
        "external_id": "W-1001",
        "status": "cancelled",
        "total": "299.50",
        "currency": "EUR",
        "by": "ordino",
        "reason": "customer asked",
        "cancelled": [{"line_no": 1, "quantity": 5}],
    }


def test_cancelling_twice_changes_nothing_the_second_time(uow: SqlUnitOfWork, clock: Clock) -> None:
    order_id = place(uow, clock)
    first = cancel_order(order_id, uow, clock.advance(minutes=10))
    written = counts(uow.engine)
    ledger, heads = rows(uow.engine, reservations), rows(uow.engine, orders)

    again = cancel_order(order_id, uow, clock.advance(minutes=10), reason="again")

    assert again == first
    assert counts(uow.engine) == written
    assert rows(uow.engine, reservations) == ledger
    assert rows(uow.engine, orders) == heads
    assert stock_levels(uow.engine)[("DC-BER", "SKU-1")] == (4, 0, 0)


def test_released_stock_can_be_sold_again(uow: SqlUnitOfWork, clock: Clock) -> None:
    cancel_order(place(uow, clock, quantity=7), uow, clock.advance(minutes=1))

    again = place(uow, clock, quantity=7, external_id="W-1002")

    assert get_order(again, uow)["status"] == "placed"
    assert stock_levels(uow.engine) == {
        ("DC-BER", "SKU-1"): (4, 4, 0),
        ("ST-HAM", "SKU-1"): (3, 3, 0),
    }


def test_cancelling_an_unknown_order_is_not_found_and_writes_nothing(
    uow: SqlUnitOfWork, clock: Clock
) -> None:
    place(uow, clock)
    written, levels = counts(uow.engine), stock_levels(uow.engine)

    with pytest.raises(NotFound) as refused:
        cancel_order("no-such-order", uow, clock())

    assert refused.value.extra == {"order_id": "no-such-order"}
    assert counts(uow.engine) == written
    assert stock_levels(uow.engine) == levels


def test_an_order_reads_back_as_it_was_placed(uow: SqlUnitOfWork, clock: Clock) -> None:
    placed = place_order(a_place_order(("SKU-1", 5)), uow, RulesEngine(), clock())

    assert get_order(placed.body["id"], uow) == placed.body


def test_reading_an_unknown_order_is_not_found(uow: SqlUnitOfWork) -> None:
    with pytest.raises(NotFound, match="no order nope"):
        get_order("nope", uow)


def test_orders_list_newest_first_a_page_at_a_time(uow: SqlUnitOfWork, clock: Clock) -> None:
    ids = []
    for n in range(3):
        ids.append(place(uow, clock, quantity=1, external_id=f"W-{n}"))
        clock.advance(seconds=1)

    page, cursor = list_orders(OrderQuery(), 2, uow)
    rest, end = list_orders(OrderQuery(before_id=cursor), 2, uow)

    assert [order["id"] for order in page] == [ids[2], ids[1]]
    assert cursor == ids[1]
    assert [order["id"] for order in rest] == [ids[0]]
    assert end is None


def test_orders_list_by_status_and_channel(uow: SqlUnitOfWork, clock: Clock) -> None:
    web = place(uow, clock, quantity=1)
    clock.advance(seconds=1)
    store = place(uow, clock, quantity=1, channel="store")
    cancel_order(web, uow, clock.advance(seconds=1))

    cancelled, _ = list_orders(OrderQuery(status=OrderStatus.CANCELLED), 10, uow)
    from_store, _ = list_orders(OrderQuery(channel="store"), 10, uow)
    none, cursor = list_orders(OrderQuery(customer_email="bob@example.com"), 10, uow)

    assert [order["id"] for order in cancelled] == [web]
    assert [order["id"] for order in from_store] == [store]
    assert (none, cursor) == ([], None)
