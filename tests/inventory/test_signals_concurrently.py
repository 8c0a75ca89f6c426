"""Stock signals evaluated by several processes at once on PostgreSQL: each change
is taken by one evaluator, each sell-out told exactly once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Count, Source
from ordino.inventory.services.signals import evaluate_all, evaluate_signals
from ordino.inventory.services.stock import count_stock
from ordino.network.services.catalogue import put_location, put_products
from ordino.orders.services.capture import place_order
from ordino.sourcing.engine.choice import RulesEngine
from ordino.store.tables import outbox, stock_changes
from tests.support.builders import a_location, a_place_order, a_product

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SKUS = [f"SKU-{n}" for n in range(30)]


def test_concurrent_evaluators_tell_each_sell_out_once(
    pg_engine: Engine, pg_uow: SqlUnitOfWork
) -> None:
    put_location(a_location("DC-BER"), pg_uow, NOW)
    put_products([a_product(sku) for sku in SKUS], pg_uow, NOW)
    count_stock([Count("DC-BER", sku, 2) for sku in SKUS], NOW, Source("t", NOW), pg_uow)
    evaluate_all(pg_uow, NOW)  # the first look: in stock everywhere
    for n, sku in enumerate(SKUS):
        place_order(a_place_order((sku, 2), external_id=f"W-{n}"), pg_uow, RulesEngine(), NOW)

    def evaluator(_: int) -> int:
        uow, taken = SqlUnitOfWork(pg_engine), 0
        while step := evaluate_signals(uow, NOW, limit=3):
            taken += step
        return taken

    with ThreadPoolExecutor(max_workers=4) as pool:
        taken = sum(pool.map(evaluator, range(4)))

    with pg_engine.connect() as connection:
        told = connection.scalars(
            select(outbox.c.data["sku"].as_string()).where(outbox.c.type == "stock.sold_out")
        ).all()
        left = connection.scalar(select(func.count()).select_from(stock_changes))
    assert taken == len(SKUS)
    assert sorted(told) == sorted(SKUS)
    assert left == 0
