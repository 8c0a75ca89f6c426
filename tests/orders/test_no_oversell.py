"""Many parallel orders race for little stock on PostgreSQL: exactly the available
quantity is sold, nothing deadlocks, and `ordino check` stays clean."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select

from ordino.app.check import check_inventory
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Count, Source
from ordino.inventory.services.stock import count_stock
from ordino.inventory.store.tables import positions, reservations
from ordino.kernel.domain.errors import InsufficientStock, OrdinoError
from ordino.kernel.domain.idempotency import IdempotencyKey
from ordino.network.services.catalogue import put_location, put_product
from ordino.orders.services.capture import place_order
from ordino.orders.services.orders import cancel_order
from ordino.sourcing.engine.choice import RulesEngine
from ordino.store.tables import outbox
from tests.support.builders import MUNICH, a_location, a_place_order, a_product

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _stock(uow: SqlUnitOfWork, stock: dict[tuple[str, str], int]) -> None:
    for location_id in sorted({loc for loc, _ in stock}):
        point = {"DC-MUC": MUNICH}.get(location_id)
        put_location(a_location(location_id, **({"point": point} if point else {})), uow, NOW)
    for sku in sorted({sku for _, sku in stock}):
        put_product(a_product(sku), uow, NOW)
    counts = [Count(location_id, sku, on_hand, 0) for (location_id, sku), on_hand in stock.items()]
    count_stock(counts, NOW, Source("test", NOW), uow)


def _race(
    engine: Engine, orders: int, place: Callable[[int, SqlUnitOfWork], object]
) -> Counter[str]:
    def one(n: int) -> str:
        try:
            place(n, SqlUnitOfWork(engine))
        except InsufficientStock:
            return "insufficient"
        except OrdinoError as error:
            return f"{type(error).__name__}: {error}"
        return "placed"

    with ThreadPoolExecutor(max_workers=32) as pool:
        return Counter(pool.map(one, range(orders)))


def _sold(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(positions.c.sku, func.sum(positions.c.reserved)).group_by(positions.c.sku)
        )
        return {sku: int(total) for sku, total in rows}


def test_parallel_orders_sell_exactly_the_stock(pg_engine: Engine, pg_uow: SqlUnitOfWork) -> None:
    _stock(pg_uow, {("DC-BER", "SKU-1"): 15, ("DC-MUC", "SKU-1"): 10})

    outcomes = _race(
        pg_engine,
        120,
        lambda n, uow: place_order(
            a_place_order(("SKU-1", 1), external_id=f"W-{n}"), uow, RulesEngine(), NOW
        ),
    )

    assert outcomes == Counter({"placed": 25, "insufficient": 95})
    assert _sold(pg_engine) == {"SKU-1": 25}
    assert check_inventory(pg_uow) == []


def test_two_line_orders_in_opposite_order_never_deadlock(
    pg_engine: Engine, pg_uow: SqlUnitOfWork
) -> None:
    _stock(pg_uow, {("DC-BER", "SKU-A"): 20, ("DC-BER", "SKU-B"): 20})

    def place(n: int, uow: SqlUnitOfWork) -> object:
        lines = (("SKU-A", 1), ("SKU-B", 1)) if n % 2 else (("SKU-B", 1), ("SKU-A", 1))
        return place_order(a_place_order(*lines, external_id=f"W-{n}"), uow, RulesEngine(), NOW)

    outcomes = _race(pg_engine, 80, place)

    assert outcomes == Counter({"placed": 20, "insufficient": 60})
    assert _sold(pg_engine) == {"SKU-A": 20, "SKU-B": 20}
    assert check_inventory(pg_uow) == []


def test_concurrent_cancels_release_once(pg_engine: Engine, pg_uow: SqlUnitOfWork) -> None:
    _stock(pg_uow, {("DC-BER", "SKU-1"): 10})
    placed = place_order(a_place_order(("SKU-1", 4)), pg_uow, RulesEngine(), NOW)
    order_id = placed.body["id"]

    outcomes = _race(pg_engine, 20, lambda _, uow: cancel_order(order_id, uow, NOW))

    assert outcomes == Counter({"placed": 20})  # every cancel answers; none fails
    assert _sold(pg_engine) == {"SKU-1": 0}
    with pg_engine.connect() as connection:
        cancelled = connection.scalar(
            select(func.count()).select_from(outbox).where(outbox.c.type == "order.cancelled")
        )
        released = connection.scalar(
            select(func.count())
            .select_from(reservations)
            .where(reservations.c.released_at.is_not(None))
        )
    assert (cancelled, released) == (1, 1)
    assert check_inventory(pg_uow) == []


def test_same_idempotency_key_in_parallel_places_one_order(
    pg_engine: Engine, pg_uow: SqlUnitOfWork
) -> None:
    _stock(pg_uow, {("DC-BER", "SKU-1"): 100})
    key = IdempotencyKey("channel-key", "retry-me", "fingerprint")
    answers: list[str] = []

    def place(_: int, uow: SqlUnitOfWork) -> object:
        answer = place_order(a_place_order(("SKU-1", 1)), uow, RulesEngine(), NOW, key)
        answers.append(answer.body["id"])
        return answer

    outcomes = _race(pg_engine, 16, place)

    assert outcomes == Counter({"placed": 16})
    assert len(set(answers)) == 1
    assert _sold(pg_engine) == {"SKU-1": 1}
    assert check_inventory(pg_uow) == []
