"""An order is read whole in one statement on PostgreSQL (each child table's rows
as a JSON aggregate beside its head), in one per table on SQLite, and both read the
same order: lines, allocations, fulfillment orders and their lines, holds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.orders.domain.advancing import hold
from ordino.orders.domain.release import release
from ordino.orders.services.capture import place_order
from ordino.orders.store import repository
from ordino.sourcing.engine.choice import RulesEngine
from tests.support.builders import a_place_order
from tests.support.plans import statements
from tests.support.storage import with_stock

NOW = datetime(2026, 11, 2, 9, 0, 0, 123456, tzinfo=UTC)


def _an_order_with_everything(uow: SqlUnitOfWork) -> str:
    """Two lines from two locations, released (two fulfillment orders), and held."""
    with_stock(uow, NOW, {("DC-BER", "SKU-1"): 1, ("DC-MUC", "SKU-1"): 5, ("DC-MUC", "SKU-2"): 5})
    cmd = a_place_order(("SKU-1", 3), ("SKU-2", 1))
    order_id = str(place_order(cmd, uow, RulesEngine(), NOW).body["id"])
    with uow:
        order = uow.orders.get(order_id)
        assert order is not None
        release(order, NOW)
        hold(order, "manual", "the customer called", "agent:ada", NOW)
        uow.orders.save(order)
        uow.commit()
    return order_id


def test_an_order_is_read_the_same_in_one_statement_as_in_one_per_table(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    uow = SqlUnitOfWork(engine)
    order_id = _an_order_with_everything(uow)

    with statements(engine) as ran, uow:
        loaded = uow.orders.get(order_id)
    monkeypatch.setattr(repository, "is_postgresql", lambda _connection: False)
    with uow:
        per_table = uow.orders.get(order_id)

    assert loaded is not None
    assert loaded == per_table
    assert len(loaded.lines) == 2 and len(loaded.fulfillments) >= 1 and len(loaded.holds) == 1
    assert sum(len(line.allocations) for line in loaded.lines) >= 2
    assert loaded.holds[0].placed_at == NOW  # to the microsecond, in UTC
    reads = [sql for sql, _ in ran if sql.lstrip().upper().startswith("SELECT")]
    assert len(reads) == (1 if engine.dialect.name == "postgresql" else 7)
