"""Feeds and orders racing for the same positions on PostgreSQL: every delta applied
exactly once, every movement kept, reservations untouched, no deadlock."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select

from ordino.app.check import check_inventory
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Adjustment, Count, Source
from ordino.inventory.services.stock import adjust_inventory, count_stock
from ordino.inventory.store.tables import inventory_movements, positions
from ordino.kernel.domain.errors import InsufficientStock
from ordino.network.services.catalogue import put_location, put_product
from ordino.orders.services.capture import place_order
from ordino.sourcing.engine.choice import RulesEngine
from tests.support.builders import a_location, a_place_order, a_product

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SKUS = [f"SKU-{n}" for n in range(1, 6)]


def _network(uow: SqlUnitOfWork) -> None:
    put_location(a_location("DC-BER"), uow, NOW)
    for sku in SKUS:
        put_product(a_product(sku), uow, NOW)
    count_stock([Count("DC-BER", sku, 100) for sku in SKUS], NOW, Source("test", NOW), uow)


def test_deltas_and_orders_on_the_same_positions_all_land(
    pg_engine: Engine, pg_uow: SqlUnitOfWork
) -> None:
    _network(pg_uow)
    later = NOW + timedelta(minutes=1)

    def feed(n: int) -> str:
        # Each batch touches every SKU, in a different order, twice over with retries.
        batch = [
            Adjustment(f"E-{n}-{sku}", "DC-BER", sku, 1 if n % 2 else -1)
            for sku in (SKUS if n % 2 else SKUS[::-1])
        ]
        uow = SqlUnitOfWork(pg_engine)
        adjust_inventory(batch, Source(f"feed-{n}", later), uow)
        adjust_inventory(batch, Source(f"feed-{n}", later), uow)  # a resend changes nothing
        return "fed"

    def order(n: int) -> str:
        lines = (("SKU-1", 1), (SKUS[n % 5], 1)) if n % 5 else (("SKU-1", 2),)
        try:
            cmd = a_place_order(*lines, external_id=f"W-{n}")
            place_order(cmd, SqlUnitOfWork(pg_engine), RulesEngine(), later)
        except InsufficientStock:
            return "insufficient"
        return "placed"

    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = Counter(pool.map(lambda n: feed(n) if n % 3 == 0 else order(n), range(90)))

    assert outcomes == Counter({"fed": 30, "placed": 60})
    with pg_engine.connect() as connection:
        on_hand = dict(connection.execute(select(positions.c.sku, positions.c.on_hand)).all())
        moved = connection.scalar(
            select(func.count())
            .select_from(inventory_movements)
            .where(inventory_movements.c.event_id.is_not(None))
        )
    # 30 feeds: 15 with +1 and 15 with -1 for every SKU; each applied once.
    assert on_hand == dict.fromkeys(SKUS, 100)
    assert moved == 30 * len(SKUS)
    assert check_inventory(pg_uow) == []


def test_snapshots_arriving_out_of_order_in_parallel_leave_the_newest(
    pg_engine: Engine, pg_uow: SqlUnitOfWork
) -> None:
    _network(pg_uow)
    times = [NOW + timedelta(minutes=n) for n in range(1, 21)]

    def count(n: int) -> None:
        counts = [Count("DC-BER", sku, 200 + n) for sku in SKUS]
        count_stock(counts, times[n], Source("wms", times[-1]), SqlUnitOfWork(pg_engine))

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(count, reversed(range(20))))

    with pg_engine.connect() as connection:
        on_hand = dict(connection.execute(select(positions.c.sku, positions.c.on_hand)).all())
    assert on_hand == dict.fromkeys(SKUS, 219)
    assert check_inventory(pg_uow) == []


def test_the_same_new_events_sent_twice_at_once_apply_once(
    pg_engine: Engine, pg_uow: SqlUnitOfWork
) -> None:
    _network(pg_uow)
    put_location(a_location("DC-NEW"), pg_uow, NOW)  # positions that do not exist yet
    later = NOW + timedelta(minutes=1)
    batch = [Adjustment(f"N-{sku}", "DC-NEW", sku, 3) for sku in SKUS]

    def send(n: int) -> list[str]:
        results = adjust_inventory(batch, Source(f"feed-{n}", later), SqlUnitOfWork(pg_engine))
        return [r["status"] for r in results]

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(send, range(8)))

    assert sorted(outcomes) == [["applied"] * 5] + [["duplicate"] * 5] * 7
    with pg_engine.connect() as connection:
        on_hand = (
            connection.execute(
                select(positions.c.on_hand).where(positions.c.location_id == "DC-NEW")
            )
            .scalars()
            .all()
        )
    assert on_hand == [3] * 5
    assert check_inventory(pg_uow) == []
