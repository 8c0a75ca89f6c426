"""Tenders: an order paid with several means (a card through the gateway, a gift card
or store credit held from a balance Ordino keeps, on account, paid on the
marketplace), and how what is captured and refunded is shared among them.

The first step of issue 17's tenders (docs/money.md, step 7): the pure rules the
order's payments will follow.

- `allot`: what each tender pays of the order's total: its amount as given; the one
  given without an amount (at most one) takes what the others leave. They come to
  the total exactly, or the order is refused naming `tenders[i].amount`.
- `take`: an amount (a parcel's capture, a refund) taken from the tenders in the
  channel's order of methods (captures: gift card first; refunds: card first),
  tenders of one method in the order given, each up to what it has open; the parts
  come to the amount exactly and none to more than its tender has open.

Pure: the same tenders and amounts give the same parts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ordino.kernel.domain import FieldError, InvalidInput, quantize


class TenderMethod(StrEnum):
    CARD = "card"  # authorised and captured by the gateway
    GIFT_CARD = "gift_card"  # a balance Ordino keeps, held at capture
    STORE_CREDIT = "store_credit"  # a customer's balance Ordino keeps, held at capture
    ON_ACCOUNT = "on_account"  # a business's account: billed on its terms
    MARKETPLACE = "marketplace"  # paid on the marketplace: captured there


# The order in which captures take from the tenders, and refunds give back to them,
# unless the channel says otherwise.
CAPTURE_ORDER = (
    TenderMethod.GIFT_CARD,
    TenderMethod.STORE_CREDIT,
    TenderMethod.MARKETPLACE,
    TenderMethod.ON_ACCOUNT,
    TenderMethod.CARD,
)
REFUND_ORDER = (
    TenderMethod.CARD,
    TenderMethod.MARKETPLACE,
    TenderMethod.ON_ACCOUNT,
    TenderMethod.STORE_CREDIT,
    TenderMethod.GIFT_CARD,
)


@dataclass(frozen=True)
class TenderAsked:
    """A tender as the order names it: its method, what it pays (None: what the
    others leave), and what identifies it (a gift card's code, a card's token, an
    account's id)."""

    method: TenderMethod
    amount: Decimal | None = None
    reference: str | None = None


def allot(total: Decimal, currency: str, asked: Sequence[TenderAsked]) -> tuple[Decimal, ...]:
    """What each tender pays of `total`, in the order given; InvalidInput naming the
    amount that makes them come to more or less than the total."""
    open_ended = [i for i, tender in enumerate(asked) if tender.amount is None]
    errors = [
        FieldError(f"tenders[{i}].amount", "only one tender may pay what the others leave")
        for i in open_ended[1:]
    ]
    errors += [
        FieldError(f"tenders[{i}].amount", "must be more than zero")
        for i, tender in enumerate(asked)
        if tender.amount is not None and tender.amount <= 0
    ]
    if not asked:
        errors.append(FieldError("tenders", "an order to pay needs a tender"))
    if errors:
        raise InvalidInput("tenders that cannot pay the order", errors=errors)
    given = sum((t.amount for t in asked if t.amount is not None), Decimal(0))
    rest = total - given
    last = len(asked) - 1
    if open_ended:
        if rest <= 0:
            why = f"the others pay {given} of {total}: nothing is left for it"
            raise InvalidInput.of(f"tenders[{open_ended[0]}].amount", why)
        return tuple(quantize(rest, currency) if t.amount is None else t.amount for t in asked)
    if rest:
        why = f"the tenders pay {given}, the order comes to {total}"
        raise InvalidInput.of(f"tenders[{last}].amount", why)
    return tuple(t.amount or Decimal(0) for t in asked)


def take(
    amount: Decimal,
    open_: Sequence[tuple[TenderMethod, Decimal]],
    order: Sequence[TenderMethod] = CAPTURE_ORDER,
) -> tuple[Decimal, ...]:
    """`amount` taken from the tenders (`open_`: each one's method and what it has
    open to take: uncaptured, or captured and not refunded) in `order` of methods,
    each up to what it has open; the part of each, in the order given. ValueError
    when they have less open in all than `amount`."""
    if amount < 0:
        raise ValueError(f"{amount} is below zero")
    if amount > sum((left for _, left in open_), Decimal(0)):
        raise ValueError(f"the tenders have less than {amount} open")
    rank = {method: n for n, method in enumerate(order)}
    turns = sorted(range(len(open_)), key=lambda i: (rank.get(open_[i][0], len(rank)), i))
    parts = [Decimal(0)] * len(open_)
    wanted = amount
    for i in turns:
        part = min(wanted, max(open_[i][1], Decimal(0)))
        parts[i], wanted = part, wanted - part
    return tuple(parts)
