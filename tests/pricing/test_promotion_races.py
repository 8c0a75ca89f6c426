"""Promotions changed at once (PostgreSQL): every change is kept as its own version,
none lost and none answered with a crash; a change that keeps losing its race is a
409, never a 500."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from sqlalchemy import Engine, func, select

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.kernel.domain import Conflict
from ordino.pricing.domain import Benefit, Promotion
from ordino.pricing.services import put_promotion
from ordino.pricing.store import promotion_versions
from tests.conftest import Clock


def test_concurrent_changes_of_a_promotion_are_each_a_version(
    pg_engine: Engine, clock: Clock
) -> None:
    def change(n: int) -> str:
        spring = Promotion("spring", f"spring {n}", Benefit.ORDER_PERCENT, Decimal(n % 50 + 1))
        try:
            put_promotion(spring, SqlUnitOfWork(pg_engine), clock(), f"key:{n}")
        except Conflict:  # lost its race every time it tried: told so
            return "conflict"
        return "kept"

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(change, range(48)))

    with pg_engine.connect() as connection:
        versions = connection.scalar(select(func.count()).select_from(promotion_versions))
        latest = connection.scalar(select(func.max(promotion_versions.c.version)))
    assert answers.count("kept") == versions == latest  # every change kept, numbered 1, 2, …
    assert answers.count("kept") >= 1
