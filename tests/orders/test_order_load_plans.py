"""On PostgreSQL, an order read whole (its head and each child table's rows as a JSON
aggregate beside it, in one statement: every step of an order's life reads it so)
finds each row by an index, whatever the planner's statistics say: never gathered,
or gathered while the tables were empty. Each child table holds the rows of 2,000
other orders beside the order's own (copies of them, written straight to the tables:
only their number matters)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, Engine, text

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Count, Source
from ordino.inventory.services import StockPicture
from ordino.inventory.services.stock import count_stock
from ordino.network.services.catalogue import put_location, put_product
from ordino.orchestration.services.pipelines import (
    HoldAction,
    advance_order,
    hold_order,
    release_hold,
)
from ordino.orders.services.capture import Capture, place_order
from ordino.payments.adapters.sandbox import SandboxGateway
from ordino.sourcing.engine.choice import RulesEngine
from tests.support.builders import a_location, a_place_order, a_product
from tests.support.plans import FORGET, sequential_scans, statements

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CHILDREN = ("order_lines", "allocations", "order_promises", "fulfillments")
CHILDREN += ("fulfillment_lines", "holds")
OTHERS = 2_000


def _an_order_with_a_row_in_every_child_table(engine: Engine) -> str:
    uow = SqlUnitOfWork(engine)
    put_location(a_location("DC-1"), uow, NOW)
    put_product(a_product("SKU-1"), uow, NOW)
    count_stock([Count("DC-1", "SKU-1", 10, 0)], NOW, Source("test", NOW), uow)
    capture = Capture(RulesEngine(), StockPicture())
    placed = place_order(a_place_order(("SKU-1", 1)), uow, capture, NOW)
    order_id = str(placed.body["id"])
    advance_order(order_id, uow, SandboxGateway(engine), NOW)  # released: its fulfillment
    hold = hold_order(order_id, "a look", "ops", uow, NOW)  # a hold, kept once released
    release_hold(HoldAction(order_id, hold["id"], "ops"), uow, NOW)
    with engine.begin() as connection:  # its promise, as a promised order's
        connection.execute(
            text(
                "INSERT INTO order_promises (order_id, option_id, method, ship_date, "
                "delivery_earliest, delivery_latest, cost_minor, currency, capacity, "
                "promised_at) VALUES (:id, 'opt', 'ship', '2026-11-03', '2026-11-04', "
                "'2026-11-05', 490, 'EUR', '[]', now())"
            ),
            {"id": order_id},
        )
    return order_id


def _other_orders(connection: Connection) -> None:
    """Each table's rows copied for `OTHERS` other orders (their keys suffixed), the
    foreign keys not checked (only the number of rows matters)."""
    connection.execute(text("SET LOCAL session_replication_role = replica"))
    for table in ("orders", *CHILDREN):
        columns = set(
            connection.execute(
                text("SELECT column_name FROM information_schema.columns WHERE table_name = :t"),
                {"t": table},
            ).scalars()
        )
        keys = [k for k in ("id", "order_id", "fulfillment_id") if k in columns]
        if table == "orders":  # its number unique in its channel too
            keys = ["id", "external_id"]
        suffixed = ", ".join(f"'{k}', left(x.{k}, 24) || '-' || g" for k in keys)
        connection.execute(
            text(
                f"INSERT INTO {table} SELECT (jsonb_populate_record(NULL::{table}, "
                f"to_jsonb(x) || jsonb_build_object({suffixed}))).* "
                f"FROM {table} x, generate_series(1, {OTHERS}) g"
            )
        )


@pytest.mark.parametrize("statistics", ["never gathered", "gathered when empty"])
def test_an_order_is_read_whole_by_its_indexes(pg_engine: Engine, statistics: str) -> None:
    with pg_engine.begin() as connection:
        connection.execute(text("ANALYZE" if statistics == "gathered when empty" else FORGET))
    order_id = _an_order_with_a_row_in_every_child_table(pg_engine)
    with pg_engine.begin() as connection:
        _other_orders(connection)

    uow = SqlUnitOfWork(pg_engine)
    with statements(pg_engine) as ran, uow:
        order = uow.orders.get(order_id, for_update=True)

    assert order is not None
    assert (len(order.lines), len(order.fulfillments), len(order.holds)) == (1, 1, 1)
    assert order.promise is not None
    # Planned for its values, and as a prepared statement's generic plan.
    assert sequential_scans(pg_engine, ran, generic=False) == {}
    assert sequential_scans(pg_engine, ran, generic=True) == {}
