"""Promotion limits under concurrent capture (PostgreSQL): a code with 100 uses and
1,000 orders placed at once gives exactly 100 discounted orders (the others refused,
naming the code); one customer's limit holds against that customer's orders at
once; a campaign's budget is never exceeded, and what it says it gave is what the
orders were given."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import Engine, func, select

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.kernel.domain import InvalidInput, OrdinoError
from ordino.orders.domain.commands import Customer
from ordino.orders.services.capture import place_order
from ordino.pricing.domain import Benefit, Limits, Promotion
from ordino.pricing.services import get_promotion, put_promotion
from ordino.pricing.store import promotion_redemptions
from ordino.sourcing.engine import RulesEngine
from tests.orders.test_no_oversell import _stock
from tests.support.builders import a_place_order

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _race(
    engine: Engine, orders: int, *, codes: tuple[str, ...], same_customer: bool
) -> Counter[str]:
    def one(n: int) -> str:
        email = "ada@example.com" if same_customer else f"c{n}@example.com"
        cmd = a_place_order(
            ("SKU-1", 1), external_id=f"W-{n}", customer=Customer(email, "A"), codes=codes
        )
        try:
            answer = place_order(cmd, SqlUnitOfWork(engine), RulesEngine(), NOW)
        except InvalidInput as refused:
            return refused.errors[0].message.split(": ", 1)[1].split(":")[0]
        except OrdinoError as error:
            return f"{type(error).__name__}: {error}"
        return "discounted" if Decimal(answer.body["money"]["discount"]) else "full price"

    with ThreadPoolExecutor(max_workers=32) as pool:
        return Counter(pool.map(one, range(orders)))


def test_a_code_with_100_uses_discounts_exactly_100_of_1000_orders_at_once(
    pg_engine: Engine, pg_uow: SqlUnitOfWork
) -> None:
    _stock(pg_uow, {("DC-BER", "SKU-1"): 1000})
    welcome = Promotion(
        "welcome", "welcome", Benefit.ORDER_PERCENT, Decimal(10),
        codes=frozenset({"WELCOME"}), limits=Limits(uses=100),
    )  # fmt: skip
    put_promotion(welcome, pg_uow, NOW)

    outcomes = _race(pg_engine, 1000, codes=("WELCOME",), same_customer=False)

    assert outcomes == Counter({"discounted": 100, "used up": 900})
    assert get_promotion("welcome", pg_uow)["used"] == {"uses": 100, "given": "599.00"}


def test_one_customers_limit_holds_against_their_orders_at_once(
    pg_engine: Engine, pg_uow: SqlUnitOfWork
) -> None:
    _stock(pg_uow, {("DC-BER", "SKU-1"): 100})
    once = Promotion(
        "once", "once", Benefit.ORDER_PERCENT, Decimal(10),
        codes=frozenset({"ONCE"}), limits=Limits(uses_per_customer=3),
    )  # fmt: skip
    put_promotion(once, pg_uow, NOW)

    outcomes = _race(pg_engine, 60, codes=("ONCE",), same_customer=True)

    assert outcomes == Counter({"discounted": 3, "used up by this customer": 57})


def test_a_campaign_budget_is_never_exceeded_by_orders_at_once(
    pg_engine: Engine, pg_uow: SqlUnitOfWork
) -> None:
    _stock(pg_uow, {("DC-BER", "SKU-1"): 400})
    budget = Decimal("1000.00")  # 5.99 an order: 166 orders, 5.66 left
    campaign = Promotion(
        "campaign", "campaign", Benefit.ORDER_PERCENT, Decimal(10), "EUR",
        limits=Limits(budget=budget),
    )  # fmt: skip
    put_promotion(campaign, pg_uow, NOW)

    outcomes = _race(pg_engine, 400, codes=(), same_customer=False)

    assert outcomes == Counter({"discounted": 166, "full price": 234})
    used = get_promotion("campaign", pg_uow)["used"]
    assert used == {"uses": 166, "given": "994.34"}
    assert Decimal(used["given"]) <= budget
    with pg_engine.connect() as connection:  # what each order was given, kept to give back
        kept = connection.scalar(select(func.sum(promotion_redemptions.c.given_minor)))
    assert kept == 99434
