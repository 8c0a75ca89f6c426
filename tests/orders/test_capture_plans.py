"""On PostgreSQL, the planner left to its own costs finds every row the hot path
reads or writes by an index (order capture, and the stock signals every captured order
sets off), whatever its statistics say: never gathered (a freshly loaded database,
autovacuum off), or gathered while the tables were still empty.
(`test_capture_statements` shows that the indexes exist; this, that they are used.)"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Count, Source
from ordino.inventory.services import StockPicture
from ordino.inventory.services.signals import evaluate_all
from ordino.inventory.services.stock import count_stock
from ordino.network.services.catalogue import put_location, put_product
from ordino.orders.services.capture import Capture, place_order
from ordino.sourcing.engine.choice import RulesEngine
from tests.support.builders import a_location, a_place_order, a_product
from tests.support.plans import FORGET, sequential_scans, statements

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
LOCATIONS = [f"DC-{n:02d}" for n in range(20)]


def _network(engine: Engine) -> None:
    """20 locations holding 2 SKUs the orders take, and 20,000 positions of 1,000
    other SKUs beside them, each with its stock signal (written straight to the
    tables: only their number matters)."""
    uow = SqlUnitOfWork(engine)
    for location_id in LOCATIONS:
        put_location(a_location(location_id), uow, NOW)
    for sku in ("SKU-1", "SKU-2"):
        put_product(a_product(sku), uow, NOW)
    counts = [Count(loc, sku, 1_000, 0) for loc in LOCATIONS for sku in ("SKU-1", "SKU-2")]
    count_stock(counts, NOW, Source("test", NOW), uow)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO positions (location_id, sku, on_hand, reserved, safety_stock, "
                "updated_at) SELECT l.id, 'FILL-' || g, 5, 0, 0, now() "
                "FROM locations l, generate_series(1, 1000) g"
            )
        )
        connection.execute(
            text(
                "INSERT INTO stock_signals (sku, view, status, bound, version, updated_at) "
                "SELECT 'FILL-' || g, 'default', 'in_stock', 0, 1, now() "
                "FROM generate_series(1, 20000) g"
            )
        )


@pytest.mark.parametrize("statistics", ["never gathered", "gathered when empty"])
@pytest.mark.parametrize("generic", [False, True], ids=["custom plans", "generic plans"])
def test_capture_reads_no_table_by_a_sequential_scan(
    pg_engine: Engine, statistics: str, generic: bool
) -> None:
    with pg_engine.begin() as connection:
        if statistics == "gathered when empty":
            connection.execute(text("ANALYZE"))
        else:  # whatever an earlier test gathered (TRUNCATE keeps the columns' statistics)
            connection.execute(text(FORGET))
    _network(pg_engine)
    capture = Capture(RulesEngine(), StockPicture())
    lines = (("SKU-1", 1), ("SKU-2", 1))
    place_order(a_place_order(*lines, external_id="W-1"), SqlUnitOfWork(pg_engine), capture, NOW)

    with statements(pg_engine) as ran:
        place_order(
            a_place_order(*lines, external_id="W-2"), SqlUnitOfWork(pg_engine), capture, NOW
        )

    explained = " ".join(sql for sql, _ in ran)
    assert "FROM positions" in explained  # the order's stock read
    assert "UPDATE positions" in explained  # and taken, in its one write
    assert sequential_scans(pg_engine, ran, generic=generic) == {}


@pytest.mark.parametrize("generic", [False, True], ids=["custom plans", "generic plans"])
def test_the_signals_of_captured_orders_read_no_table_by_a_sequential_scan(
    pg_engine: Engine, generic: bool
) -> None:
    _network(pg_engine)
    capture = Capture(RulesEngine(), StockPicture())
    lines = (("SKU-1", 1), ("SKU-2", 1))
    place_order(a_place_order(*lines, external_id="W-1"), SqlUnitOfWork(pg_engine), capture, NOW)
    evaluate_all(SqlUnitOfWork(pg_engine), NOW)  # the SKUs' signals written first
    place_order(a_place_order(*lines, external_id="W-2"), SqlUnitOfWork(pg_engine), capture, NOW)

    with statements(pg_engine) as ran:
        evaluate_all(SqlUnitOfWork(pg_engine), NOW)

    assert any("UPDATE stock_signals" in sql for sql, _ in ran)
    scanned = sequential_scans(pg_engine, ran, generic=generic)
    # Read whole by design: every view; the queue of stock changes, drained every
    # second, while it holds a few rows (docs/benchmarks.md: a backlog on a database
    # whose statistics were never gathered is still scanned).
    assert set(scanned) <= {"availability_views", "stock_changes"}, scanned
