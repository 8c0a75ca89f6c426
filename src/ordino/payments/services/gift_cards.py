"""Gift cards: issued with their balance (once per Idempotency-Key: a retry gets the
first answer, the card is not issued twice), and read with what was put on and taken
off them (`ordino.payments.domain.balances`)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ordino.kernel.domain import (
    BadAmount,
    Conflict,
    IdempotencyKey,
    InvalidInput,
    NotFound,
    parse_amount,
)
from ordino.kernel.services import Answer, remember, replay
from ordino.payments.domain.balances import BalanceKind, Entry, EntryKind, account_of
from ordino.payments.services.ports import PaymentsWork

CREATED = 201


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
    """A new gift card with its balance; Conflict when its code is taken."""
    try:
        amount = parse_amount(issue.amount, issue.currency)
    except BadAmount as error:
        raise InvalidInput.of("amount", str(error)) from None
    if amount <= 0:
        raise InvalidInput.of("amount", "must be more than zero")
    code = issue.code or f"GC-{secrets.token_hex(6).upper()}"
    account = account_of(BalanceKind.GIFT_CARD, code)
    with uow:
        if (earlier := replay(uow, idempotency)) is not None:
            return earlier
        if uow.balances.get(account) is not None:
            raise Conflict(f"gift card {code.strip().upper()} exists", extra={"field": "code"})
        entry = Entry(account, EntryKind.ISSUED, amount, now, by=by)
        uow.balances.put(entry, BalanceKind.GIFT_CARD, issue.currency)
        answer = Answer(CREATED, _card(uow, account))
        remember(uow, idempotency, answer, now)
        uow.commit()
    return answer


def gift_card(code: str, uow: PaymentsWork) -> dict[str, Any]:
    """The card's balance and its entries, oldest first; NotFound for a code no card has."""
    try:
        account = account_of(BalanceKind.GIFT_CARD, code)
    except InvalidInput:
        raise NotFound(f"no gift card {code}") from None
    with uow:
        if uow.balances.get(account) is None:
            raise NotFound(f"no gift card {code}")
        return _card(uow, account)


def _card(uow: PaymentsWork, account: str) -> dict[str, Any]:
    balance = uow.balances.get(account)
    assert balance is not None
    return {
        "code": account.split(":", 1)[1],
        "currency": balance.currency,
        "balance": str(balance.balance),
        "entries": [
            {
                "kind": str(e.kind),
                "amount": str(e.amount),
                "order_id": e.order_id,
                "at": e.at.isoformat(),
            }
            for e in uow.balances.entries(account)
        ],
    }
