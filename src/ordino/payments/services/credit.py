"""Businesses buying on account: their credit accounts (a limit, payment terms),
what they owe (the orders they bought on account, less what was let go or given
back), and the payments of it they made, recorded once per Idempotency-Key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from ordino.kernel.domain import (
    BadAmount,
    IdempotencyKey,
    InvalidInput,
    NotFound,
    parse_amount,
)
from ordino.kernel.services import Answer, remember, replay, with_retries
from ordino.payments.domain.balances import (
    CreditAccount,
    Entry,
    EntryKind,
    credit_account_name,
)
from ordino.payments.services.ports import PaymentsWork

CREATED = 201
MAX_TERMS_DAYS = 365


@dataclass(frozen=True)
class CreditTerms:
    currency: str
    limit: str  # as the caller wrote it, in `currency`
    terms_days: int = 30


@dataclass(frozen=True)
class AccountPayment:
    amount: str  # as the caller wrote it, in `currency`
    currency: str
    reference: str | None = None  # the bank's, the remittance's


def put_credit_account(
    account: str, terms: CreditTerms, uow: PaymentsWork, now: datetime
) -> tuple[bool, dict[str, Any]]:
    """The account's limit and terms set (created with nothing owed); whether it was
    created."""
    limit = _amount("credit_limit", terms.limit, terms.currency, zero_ok=True)
    if not 0 <= terms.terms_days <= MAX_TERMS_DAYS:
        raise InvalidInput.of("terms_days", f"from 0 to {MAX_TERMS_DAYS} days")
    account = credit_account_name(account)
    with uow:
        created = uow.credit_accounts.get(account) is None
        kept = uow.credit_accounts.put(
            CreditAccount(account, terms.currency, limit, terms_days=terms.terms_days), now
        )
        answer = _document(uow, kept)
        uow.commit()
    return created, answer


def credit_account(account: str, uow: PaymentsWork) -> dict[str, Any]:
    """The account, what it owes and its entries; NotFound when there is none."""
    account = credit_account_name(account)
    with uow:
        found = uow.credit_accounts.get(account)
        if found is None:
            raise NotFound(f"no credit account {account}")
        return _document(uow, found)


def record_account_payment(
    account: str,
    payment: AccountPayment,
    uow: PaymentsWork,
    now: datetime,
    by: str,
    idempotency: IdempotencyKey | None = None,
) -> Answer:
    """A payment the business made of what it owes, recorded once per key (more
    than it owes leaves a credit in its favour)."""
    amount = _amount("amount", payment.amount, payment.currency)
    account = credit_account_name(account)

    def attempt(_: int) -> Answer:  # a retry (the key's answer was written meanwhile) replays
        with uow:
            if (earlier := replay(uow, idempotency)) is not None:
                return earlier
            if uow.credit_accounts.get(account) is None:
                raise NotFound(f"no credit account {account}")
            paid = Entry(f"invoice:{account}", EntryKind.PAID, -amount, now, by=by,
                         note=payment.reference)  # fmt: skip
            after = uow.credit_accounts.charge(paid, payment.currency)
            if after is None:
                raise InvalidInput.of("currency", "the account owes in another currency")
            answer = Answer(CREATED, _document(uow, after))
            remember(uow, idempotency, answer, now)
            uow.commit()
        return answer

    return with_retries(attempt)


def _amount(field: str, written: str, currency: str, *, zero_ok: bool = False) -> Decimal:
    try:
        amount = parse_amount(written, currency)
    except BadAmount as error:
        raise InvalidInput.of(field, str(error)) from None
    if amount < 0 or (amount == 0 and not zero_ok):
        raise InvalidInput.of(field, "must be more than zero")
    return amount


def _document(uow: PaymentsWork, account: CreditAccount) -> dict[str, Any]:
    return {
        "account": account.account,
        "currency": account.currency,
        "credit_limit": str(account.limit),
        "open": str(account.open),
        "available": str(account.available),
        "terms_days": account.terms_days,
        "entries": [
            {
                "kind": str(e.kind),
                "amount": str(e.amount),
                "order_id": e.order_id,
                "note": e.note,
                "at": e.at.isoformat(),
            }
            for e in uow.credit_accounts.entries(account.account)
        ],
    }
