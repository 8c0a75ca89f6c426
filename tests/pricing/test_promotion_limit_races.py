"""Promotion limits under concurrent capture (PostgreSQL): a code with 100 uses and
1,000 orders placed at once gives exactly 100 discounted orders (the others refused,
naming the code); one customer's limit holds against that customer's orders at
once; a campaign's budget is never exceeded, and what it says it gave is what the
orders were given; a limit lowered holds for a process whose picture has the old
one; a cancellation and a capture of one promotion never deadlock; one code is never
two promotions'."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

import ordino.pricing.services.promotions as promotions_service
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.services import StockPicture
from ordino.kernel.domain import InvalidInput, OrdinoError
from ordino.orders.domain.commands import Customer, PlaceOrder
from ordino.orders.services import Capture, cancel_order
from ordino.orders.services.capture import place_order
from ordino.pricing.domain import Benefit, Limits, Promotion
from ordino.pricing.services import get_promotion, put_promotion
from ordino.pricing.store import SqlPromotionUses, promotion_redemptions
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
    assert get_promotion("welcome", pg_uow)["used"] == {"uses": 100, "given": None}  # no currency


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


def _welcome(uses: int) -> Promotion:
    return Promotion(
        "welcome", "welcome", Benefit.ORDER_PERCENT, Decimal(10),
        codes=frozenset({"WELCOME"}), limits=Limits(uses=uses),
    )  # fmt: skip


def _coded(n: int) -> PlaceOrder:
    customer = Customer(f"c{n}@example.com", "A")
    return a_place_order(("SKU-1", 1), external_id=f"W-{n}", customer=customer, codes=("WELCOME",))


def test_a_limit_lowered_holds_for_a_process_whose_picture_has_the_old_one(
    engine: Engine, uow: SqlUnitOfWork
) -> None:
    _stock(uow, {("DC-BER", "SKU-1"): 50})
    put_promotion(_welcome(100), uow, NOW)
    process = Capture(RulesEngine(), StockPicture())
    place_order(_coded(1), SqlUnitOfWork(engine), process, NOW)  # its picture: 100 uses

    put_promotion(_welcome(2), SqlUnitOfWork(engine), NOW)  # by another process
    outcomes = []
    for n in range(2, 6):
        try:
            place_order(_coded(n), SqlUnitOfWork(engine), process, NOW)
            outcomes.append("discounted")
        except InvalidInput as refused:
            outcomes.append(refused.errors[0].message)

    assert outcomes == ["discounted"] + ["WELCOME: used up: 2 of 2 uses"] * 3
    assert get_promotion("welcome", uow)["used"]["uses"] == 2


def test_a_cancellation_and_a_capture_of_one_promotion_never_deadlock(
    pg_engine: Engine, pg_uow: SqlUnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The capture holds the promotion's count when the cancellation gives it back:
    the cancellation waits (it has not let the stock go yet), no circle forms."""
    _stock(pg_uow, {("DC-BER", "SKU-1"): 50})
    put_promotion(_welcome(100), pg_uow, NOW)
    first = place_order(_coded(1), SqlUnitOfWork(pg_engine), RulesEngine(), NOW).body
    holding, giving = threading.Event(), threading.Event()
    take, give_back = SqlPromotionUses.take, SqlPromotionUses.give_back

    def slow_take(self: SqlPromotionUses, order_id: str, uses: Any) -> None:
        take(self, order_id, uses)
        if uses:
            holding.set()  # the capture holds the count's row
            giving.wait(5)
            time.sleep(0.3)  # the cancellation waits on the row meanwhile

    def told_give_back(self: SqlPromotionUses, order_id: str) -> int:
        holding.wait(5)
        giving.set()
        return give_back(self, order_id)

    monkeypatch.setattr(SqlPromotionUses, "take", slow_take)
    monkeypatch.setattr(SqlPromotionUses, "give_back", told_give_back)
    with ThreadPoolExecutor(max_workers=2) as pool:
        placing = pool.submit(place_order, _coded(2), SqlUnitOfWork(pg_engine), RulesEngine(), NOW)
        holding.wait(5)
        cancelling = pool.submit(cancel_order, first["id"], SqlUnitOfWork(pg_engine), NOW)
        assert placing.result(20).body["money"]["discount"] == "5.99"
        assert cancelling.result(20)["status"] == "cancelled"
    assert get_promotion("welcome", pg_uow)["used"]["uses"] == 1


def test_two_promotions_given_one_code_at_once_do_not_both_have_it(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    both_checked = threading.Barrier(2, timeout=5)
    check = promotions_service._refuse_codes_taken
    first_time: set[str] = set()

    def checked_together(uow: Any, promotion: Promotion) -> None:
        check(uow, promotion)
        if promotion.id not in first_time:  # both pass the check before either writes
            first_time.add(promotion.id)
            both_checked.wait()

    monkeypatch.setattr(promotions_service, "_refuse_codes_taken", checked_together)

    def put(id_: str) -> str:
        shared = Promotion(id_, id_, Benefit.ORDER_PERCENT, Decimal(10), codes=frozenset({"X"}))
        try:
            put_promotion(shared, SqlUnitOfWork(pg_engine), NOW)
        except InvalidInput as refused:
            return refused.errors[0].message
        return "kept"

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = sorted(pool.map(put, ("a", "b")))

    assert answers[1] == "kept"
    assert answers[0] in ("X is promotion a's", "X is promotion b's")
