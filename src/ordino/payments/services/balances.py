"""Balances Ordino keeps (`ordino.payments.domain.balances`): gift cards issued with
their balance, store credit granted to a customer (each once per Idempotency-Key: a
retry gets the first answer, the money is not put on twice), and either read with
what was put on and taken off it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from ordino.kernel.domain import (
    BadAmount,
    Conflict,
    IdempotencyKey,
    InvalidInput,
    NotFound,
    new_id,
    parse_amount,
)
from ordino.kernel.services import Answer, remember, replay, with_retries
from ordino.payments.domain.balances import BalanceKind, Entry, EntryKind, account_of
from ordino.payments.services.ports import PaymentsWork

CREATED = 201


@dataclass(frozen=True)
class StoreCreditGrant:
    email: str  # the customer's: their store credit's account
    amount: str  # as the caller wrote it, in `currency`
    currency: str
    reason: str | None = None  # why (an appeasement, a return kept as credit)


@dataclass(frozen=True)
class GiftCardIssue:
    amount: str  # as the caller wrote it, in `currency`
    currency: str
    code: str | None = None  # None: Ordino makes one up


def issue_gift_card(
    issue: GiftCardIssue,
    uow: PaymentsWork,
    now: datetime,
    by: str,
    idempotency: IdempotencyKey | None = None,
) -> Answer:
    """A new gift card with its balance; Conflict when its code is taken (by another
    issue at the same time too: the card is opened by an insert, once)."""
    amount = _amount(issue.amount, issue.currency)
    code = issue.code or f"GC-{secrets.token_hex(6).upper()}"
    account = account_of(BalanceKind.GIFT_CARD, code)

    def attempt(_: int) -> Answer:
        with uow:
            if (earlier := replay(uow, idempotency)) is not None:
                return earlier
            if uow.balances.get(account) is not None:
                taken = f"gift card {code.strip().upper()} exists"
                raise Conflict(taken, extra={"field": "code"})
            entry = Entry(account, EntryKind.ISSUED, amount, now, by=by)
            uow.balances.open(entry, BalanceKind.GIFT_CARD, issue.currency)  # LostRace
            answer = Answer(CREATED, _balance(uow, account, "code"))
            remember(uow, idempotency, answer, now)
            uow.commit()
        return answer

    return with_retries(attempt)


def gift_card(code: str, uow: PaymentsWork) -> dict[str, Any]:
    """The card's balance and its entries, oldest first; NotFound for a code no card has."""
    return _read(BalanceKind.GIFT_CARD, code, uow, f"no gift card {code}")


def grant_store_credit(
    grant: StoreCreditGrant,
    uow: PaymentsWork,
    now: datetime,
    by: str,
    idempotency: IdempotencyKey | None = None,
) -> Answer:
    """Store credit put on the customer's balance (opened by the first grant, in its
    currency; InvalidInput naming `currency` for another)."""
    amount = _amount(grant.amount, grant.currency)
    account = account_of(BalanceKind.STORE_CREDIT, grant.email)

    def attempt(_: int) -> Answer:  # a retry (the key's answer was written meanwhile) replays
        with uow:
            if (earlier := replay(uow, idempotency)) is not None:
                return earlier
            entry = Entry(account, EntryKind.ISSUED, amount, now, by=by, note=grant.reason,
                          id=new_id(now))  # fmt: skip
            uow.balances.put(entry, BalanceKind.STORE_CREDIT, grant.currency)
            answer = Answer(CREATED, _balance(uow, account, "email"))
            # Kept under the entry it made: the customer's erasure finds the answer by it.
            remember(uow, idempotency, answer, now, entry.id)
            uow.commit()
        return answer

    return with_retries(attempt)


def store_credit(email: str, uow: PaymentsWork) -> dict[str, Any]:
    """The customer's store credit and its entries, oldest first; NotFound when they
    have none."""
    return _read(BalanceKind.STORE_CREDIT, email, uow, f"no store credit for {email}")


def _read(kind: BalanceKind, reference: str, uow: PaymentsWork, missing: str) -> dict[str, Any]:
    try:
        account = account_of(kind, reference)
    except InvalidInput:
        raise NotFound(missing) from None
    with uow:
        if uow.balances.get(account) is None:
            raise NotFound(missing)
        return _balance(uow, account, "code" if kind is BalanceKind.GIFT_CARD else "email")


def _amount(written: str, currency: str) -> Decimal:
    try:
        amount = parse_amount(written, currency)
    except BadAmount as error:
        raise InvalidInput.of("amount", str(error)) from None
    if amount <= 0:
        raise InvalidInput.of("amount", "must be more than zero")
    return amount


def _balance(uow: PaymentsWork, account: str, named: str) -> dict[str, Any]:
    """The balance as answered: what names it (a card's `code`, a customer's
    `email`), its currency, what it holds and its entries."""
    balance = uow.balances.get(account)
    assert balance is not None
    return {
        named: account.split(":", 1)[1],
        "currency": balance.currency,
        "balance": str(balance.balance),
        "entries": [
            {
                "kind": str(e.kind),
                "amount": str(e.amount),
                "order_id": e.order_id,
                "note": e.note,
                "at": e.at.isoformat(),
            }
            for e in uow.balances.entries(account)
        ],
    }
