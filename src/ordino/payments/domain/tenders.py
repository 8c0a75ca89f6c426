"""Tenders: an order paid with several means (a card through the gateway, a gift card
or store credit held from a balance Ordino keeps, on account, paid on the
marketplace), and how what is captured and refunded is shared among them. Each
tender is one `Payment` of the order.

- `allot`: what each tender pays of the order's total: its amount as given; the one
  given without an amount (at most one) takes what the others leave. They come to
  the total exactly, or the order is refused naming `tenders[i].amount`.
- `tender_payments`: the order's payments, one per tender, as it is placed: a card
  waits for its authorisation; every other tender is authorised by Ordino at once
  (a balance's, held in the order's transaction), its authorisation one approved
  operation.
- `take`: an amount (a parcel's capture, a refund) taken from the tenders in the
  channel's order of methods (captures: gift card first; refunds: card first),
  tenders of one method in the order given, each up to what it has open; the parts
  come to the amount exactly and none to more than its tender has open.

Pure: the same tenders and amounts give the same parts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from ordino.kernel.domain import FieldError, InvalidInput, new_id, quantize
from ordino.payments.domain.payments import (
    OperationKind,
    Outcome,
    Payment,
    PaymentMethod,
    PaymentOperation,
    PaymentStatus,
)

# The order in which captures take from the tenders, and refunds give back to them,
# unless the channel says otherwise.
CAPTURE_ORDER = (
    PaymentMethod.GIFT_CARD,
    PaymentMethod.STORE_CREDIT,
    PaymentMethod.MARKETPLACE,
    PaymentMethod.INVOICE,
    PaymentMethod.CARD,
)
REFUND_ORDER = (
    PaymentMethod.CARD,
    PaymentMethod.MARKETPLACE,
    PaymentMethod.INVOICE,
    PaymentMethod.STORE_CREDIT,
    PaymentMethod.GIFT_CARD,
)


@dataclass(frozen=True)
class TenderAsked:
    """A tender as the order names it: its method, what it pays (None: what the
    others leave), and what identifies it (a card's token, a balance's account, a
    business's account)."""

    method: PaymentMethod
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
    cards = [i for i, tender in enumerate(asked) if tender.method.by_gateway]
    errors += [
        FieldError(f"tenders[{i}].method", "an order is paid by one card") for i in cards[1:]
    ]
    if not asked:
        errors.append(FieldError("tenders", "an order to pay needs a tender"))
    if errors:
        raise InvalidInput("tenders that cannot pay the order", errors=errors)
    given = sum((t.amount for t in asked if t.amount is not None), Decimal(0))
    rest = total - given
    last = len(asked) - 1
    if open_ended:
        if rest < 0 or (rest == 0 and len(asked) > 1):
            why = f"the others pay {given} of {total}: nothing is left for it"
            raise InvalidInput.of(f"tenders[{open_ended[0]}].amount", why)
        return tuple(quantize(rest, currency) if t.amount is None else t.amount for t in asked)
    if rest:
        why = f"the tenders pay {given}, the order comes to {total}"
        raise InvalidInput.of(f"tenders[{last}].amount", why)
    return tuple(t.amount or Decimal(0) for t in asked)


def take(
    amount: Decimal,
    open_: Sequence[tuple[PaymentMethod, Decimal]],
    order: Sequence[PaymentMethod] = CAPTURE_ORDER,
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


def tender_payments(
    order_id: str,
    currency: str,
    asked: Sequence[TenderAsked],
    amounts: Sequence[Decimal],
    now: datetime,
) -> tuple[list[Payment], list[PaymentOperation]]:
    """The order's payments, one per tender (`amounts`: what each pays, as `allot`
    gives them), and the operations that authorised those Ordino authorises itself."""
    payments, authorised = [], []
    for n, (tender, amount) in enumerate(zip(asked, amounts, strict=True)):
        payment_id = new_id(now)
        base = Payment(
            payment_id, order_id, tender.method, None, currency, amount,
            PaymentStatus.PENDING, now, now, tender=n,
        )  # fmt: skip
        if tender.method.by_gateway:
            payments.append(replace(base, token=tender.reference))
            continue
        own = f"ordino:{payment_id}"
        key = f"{order_id}:authorise:t{n}"
        op = PaymentOperation(key, payment_id, OperationKind.AUTHORISE, amount, now)
        authorised.append(
            replace(op, outcome=Outcome.APPROVED, authorisation=own, done=amount, reference=own)
        )
        status = PaymentStatus.AUTHORISED if amount > 0 else PaymentStatus.CLOSED
        payments.append(
            replace(base, status=status, authorisation=own, authorised=amount,
                    reference=tender.reference)
        )  # fmt: skip
    return payments, authorised
