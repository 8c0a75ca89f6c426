"""Balances Ordino keeps for tenders it is the bank of: gift cards (by their code)
and store credit (by the customer's email); and the credit accounts of businesses
that buy on account (`CreditAccount`). A balance is only ever changed by an
entry (issued, held for an order, released back, refunded onto it), and never goes
below zero: a hold is a conditional write (`balance >= amount`), as stock is, so no
race spends it twice.

The second step of issue 17's tenders (docs/money.md, step 7)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from ordino.kernel.domain import InvalidInput


class BalanceKind(StrEnum):
    GIFT_CARD = "gift_card"
    STORE_CREDIT = "store_credit"


class EntryKind(StrEnum):
    ISSUED = "issued"  # money put on it (a card sold, credit granted)
    HELD = "held"  # taken for an order as it is placed
    RELEASED = "released"  # given back: the order, or part of it, was cancelled
    REFUNDED = "refunded"  # a refund of an order paid with it, put back on it
    # A refund of an order given as store credit instead of to its tenders: the
    # order's money kept, the customer's to spend (it counts as refunded).
    CREDITED = "credited"
    CHARGED = "charged"  # a credit account's: an order bought on it
    PAID = "paid"  # a credit account's: a payment of what it owes received


_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,39}$", re.ASCII)


def account_of(kind: BalanceKind, reference: str) -> str:
    """The account a gift card's code (any case) or a customer's email (any case)
    keeps its balance in; InvalidInput naming `reference` when it is neither."""
    if kind is BalanceKind.GIFT_CARD:
        code = reference.strip().upper()
        if not _CODE.match(code):
            raise InvalidInput.of("code", "4 to 40 letters, digits and dashes")
        return f"{kind}:{code}"
    email = reference.strip().casefold()
    if "@" not in email or len(email) > 254:
        raise InvalidInput.of("email", "an email address")
    return f"{kind}:{email}"


def credit_account_name(name: str) -> str:
    """A business's account as Ordino keys it: an email (a customer's, the default)
    in any case is one account; any other name as given."""
    name = name.strip()
    return name.casefold() if "@" in name else name


@dataclass(frozen=True)
class Balance:
    account: str
    kind: BalanceKind
    currency: str
    balance: Decimal


@dataclass(frozen=True)
class Entry:
    """One change of a balance, or of what a credit account owes. `amount`: what it
    put on a balance (below zero: took from it); on a credit account, what it added
    to what the account owes (below zero: a payment, an order's amount let go)."""

    account: str
    kind: EntryKind
    amount: Decimal  # what it put on the balance (below zero: took from it)
    at: datetime
    order_id: str | None = None
    by: str | None = None
    note: str | None = None  # why, as the one who put it on said
    id: str | None = None  # None: one is made as it is written


@dataclass(frozen=True)
class CreditAccount:
    """A business buying on account (an order's `invoice` tender names it, else the
    customer's email): what it may owe at most, what it owes now (its orders' open
    amounts on account, less what it paid: below zero, it paid more), and the days it
    has to pay an invoice.
    An order that takes it past its limit is placed and held (`credit_limit`)."""

    account: str
    currency: str
    limit: Decimal
    open: Decimal = Decimal(0)
    terms_days: int = 30

    @property
    def available(self) -> Decimal:
        return self.limit - self.open
