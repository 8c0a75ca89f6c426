"""Balances Ordino keeps (gift cards, store credit): money goes on by an entry,
comes off by a hold that never takes a balance below zero — on both databases, and
on PostgreSQL when 50 orders try to spend one gift card at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.kernel.domain import InvalidInput
from ordino.payments.domain.balances import BalanceKind, Entry, EntryKind, account_of

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
CARD = account_of(BalanceKind.GIFT_CARD, "gc-2026-0001")


def _issue(uow: SqlUnitOfWork, amount: str, currency: str = "EUR", at: int = 0) -> None:
    with uow:
        when = NOW + timedelta(minutes=at)
        entry = Entry(CARD, EntryKind.ISSUED, Decimal(amount), when, by="key:till")
        uow.balances.put(entry, BalanceKind.GIFT_CARD, currency)
        uow.commit()


def _hold(uow: SqlUnitOfWork, amount: str, order_id: str, at: int = 10) -> bool:
    when = NOW + timedelta(minutes=at)
    with uow:
        held = uow.balances.hold(
            Entry(CARD, EntryKind.HELD, -Decimal(amount), when, order_id), "EUR"
        )
        uow.commit()
    return held


def test_a_gift_card_is_spent_down_to_zero_and_never_below(uow: SqlUnitOfWork) -> None:
    _issue(uow, "50.00")
    _issue(uow, "10.00", at=1)  # topped up

    held = [
        _hold(uow, "45.00", "o1", 2),
        _hold(uow, "20.00", "o2", 3),
        _hold(uow, "15.00", "o3", 4),
    ]

    assert held == [True, False, True]
    with uow:
        balance = uow.balances.get(CARD)
        entries = uow.balances.entries(CARD)
    assert balance is not None and balance.balance == Decimal("0.00")
    assert [(e.kind, e.amount, e.order_id) for e in entries] == [
        (EntryKind.ISSUED, Decimal("50.00"), None),
        (EntryKind.ISSUED, Decimal("10.00"), None),
        (EntryKind.HELD, Decimal("-45.00"), "o1"),
        (EntryKind.HELD, Decimal("-15.00"), "o3"),
    ]


def test_a_balance_keeps_its_currency_and_codes_and_emails_their_form(uow: SqlUnitOfWork) -> None:
    _issue(uow, "50.00")
    with pytest.raises(InvalidInput) as refused:
        _issue(uow, "10.00", "CHF")
    assert refused.value.errors[0].field == "currency"
    assert account_of(BalanceKind.GIFT_CARD, " Gc-2026-0001 ") == CARD
    assert account_of(BalanceKind.STORE_CREDIT, "Ada@Example.com") == "store_credit:ada@example.com"
    for kind, bad, field in ((BalanceKind.GIFT_CARD, "x!", "code"),
                             (BalanceKind.STORE_CREDIT, "ada", "email")):  # fmt: skip
        with pytest.raises(InvalidInput) as refused:
            account_of(kind, bad)
        assert refused.value.errors[0].field == field


def test_fifty_orders_at_once_spend_a_gift_card_of_100_no_further(pg_engine: Engine) -> None:
    _issue(SqlUnitOfWork(pg_engine), "100.00")

    with ThreadPoolExecutor(max_workers=16) as pool:
        held = list(pool.map(lambda n: _hold(SqlUnitOfWork(pg_engine), "7.00", f"o{n}"), range(50)))

    assert held.count(True) == 14  # 14 x 7.00 = 98.00
    with SqlUnitOfWork(pg_engine) as uow:
        balance = uow.balances.get(CARD)
        entries = uow.balances.entries(CARD)
    assert balance is not None and balance.balance == Decimal("2.00")
    assert sum((e.amount for e in entries), Decimal(0)) == Decimal("2.00")
