"""Orders placed at once, on PostgreSQL, each paying part with one gift card: the
card's balance is held by a conditional write in each order's transaction, so the
orders it can pay are placed and the rest refused by their tender's amount; the
card never goes below zero and its entries add up to what it holds. One code issued
twice at once is one card; one payment of an account under one key, made twice at
once, is recorded once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.kernel.domain import Conflict, IdempotencyKey, InvalidInput
from ordino.orders.services.capture import Capture, place_order
from ordino.payments.domain import BalanceKind, PaymentMethod, TenderAsked, account_of
from ordino.payments.services import (
    AccountPayment,
    GiftCardIssue,
    issue_gift_card,
    record_account_payment,
)
from tests.support.builders import a_place_order
from tests.support.money import Books

APPROVES = "4242424242424242"


def test_thirty_orders_at_once_spend_a_gift_card_of_100_no_further(books: Books) -> None:
    issued = {"amount": "100.00", "currency": "EUR", "code": "GC-RACE-0001"}
    made = books.api.post("/v1/gift-cards", json=issued, headers={"Idempotency-Key": "gc"})
    assert made.status_code == 201, made.text
    engine = books.api.app.state.engine  # type: ignore[attr-defined]
    account = account_of(BalanceKind.GIFT_CARD, "GC-RACE-0001")
    tenders = (TenderAsked(PaymentMethod.GIFT_CARD, Decimal("7.00"), account),
               TenderAsked(PaymentMethod.CARD, None, APPROVES))  # fmt: skip

    def attempt(n: int) -> str:
        cmd = a_place_order(("SKU-1", 1), external_id=f"W-{n}", tenders=tenders)
        try:
            place_order(cmd, SqlUnitOfWork(engine), Capture(), books.clock())
        except InvalidInput as refused:
            return refused.errors[0].field
        return "placed"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(attempt, range(30)))

    assert outcomes.count("placed") == 14  # 14 x 7.00 = 98.00
    assert set(outcomes) == {"placed", "tenders[0].amount"}
    card = books.api.get("/v1/gift-cards/GC-RACE-0001").json()
    assert card["balance"] == "2.00"
    assert sum(Decimal(e["amount"]) for e in card["entries"]) == Decimal("2.00")
    placed = books.api.get("/v1/orders", params={"limit": 100}).json()["items"]
    assert len(placed) == 14


def test_one_code_issued_twice_at_once_is_one_card(books: Books) -> None:
    engine = books.api.app.state.engine  # type: ignore[attr-defined]
    issue = GiftCardIssue("50.00", "EUR", "GC-TWICE-0001")

    def attempt(n: int) -> str:
        try:
            issue_gift_card(issue, SqlUnitOfWork(engine), books.clock(), f"key:till-{n}")
        except Conflict:
            return "taken"
        return "issued"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = sorted(pool.map(attempt, range(4)))

    assert outcomes == ["issued", "taken", "taken", "taken"]
    assert books.api.get("/v1/gift-cards/GC-TWICE-0001").json()["balance"] == "50.00"


def test_two_payments_under_one_key_at_once_are_recorded_once(books: Books) -> None:
    engine = books.api.app.state.engine  # type: ignore[attr-defined]
    terms = {"currency": "EUR", "credit_limit": "500.00"}
    assert books.api.put("/v1/credit-accounts/ACME-42", json=terms).status_code == 201
    paid = AccountPayment("20.00", "EUR", "bank")

    def attempt(_: int) -> int:
        key = IdempotencyKey("key:desk", "pay-1", "print-1")
        uow = SqlUnitOfWork(engine)
        return record_account_payment("ACME-42", paid, uow, books.clock(), "key:desk", key).status

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(attempt, range(4)))

    assert answers == [201] * 4
    assert books.api.get("/v1/credit-accounts/ACME-42").json()["open"] == "-20.00"
