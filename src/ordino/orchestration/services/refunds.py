"""Refunds of an order's payments: asked for by customer service (an appeasement, a
price corrected, a parcel lost), shared among the order's tenders in the channel's
order of refunds (card first, unless it says otherwise). A card's part is made by
the worker (`ordino.orchestration.services.payments.refund`); the others (a gift
card's or store credit's money put back on it, an account credited, a marketplace's
recorded) at once, with the credit note when no card's part waits.

Invariants:
- a refund never takes more than was captured less what was refunded or is being
  refunded: asking writes its gateway operations pending, under the payments' lock,
  and pending refunds count against what may still be refunded;
- a refund is asked once per Idempotency-Key: a retry gets the first answer, and
  the gateway is called once per operation, whatever retries it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from ordino.kernel.domain import (
    BadAmount,
    Conflict,
    IdempotencyKey,
    InvalidInput,
    OverRefund,
    new_id,
    parse_amount,
    quantize,
    refund_job,
)
from ordino.kernel.services import Answer, remember, replay, with_retries
from ordino.orchestration.services.invoices import credit_refund
from ordino.orchestration.services.payments import credit_when_answered, refund_of
from ordino.orchestration.services.ports import OrchestrationWork
from ordino.orchestration.services.tenders import (
    capturing,
    refund_now,
    refundable_of,
    share_refund,
)
from ordino.orders.domain import EVERY_ORDER, Order, OrderScope
from ordino.orders.services import existing_order
from ordino.payments.domain import (
    BalanceKind,
    Entry,
    EntryKind,
    OperationKind,
    Outcome,
    Payment,
    PaymentMethod,
    PaymentOperation,
    account_of,
    refund_parts,
)
from ordino.pricing.domain import BilledPart, PaidWith


@dataclass(frozen=True)
class RefundRequest:
    order_id: str
    amount: str  # as the caller wrote it, in `currency`
    currency: str
    reason: str


def request_refund(
    request: RefundRequest,
    uow: OrchestrationWork,
    now: datetime,
    scope: OrderScope = EVERY_ORDER,
    idempotency: IdempotencyKey | None = None,
) -> Answer:
    """Ask for a refund of what the order's card paid: written now, made by the
    worker; the answer (202) names the refund and its parts."""
    return with_retries(lambda _: _request_once(request, uow, now, scope, idempotency))


def _request_once(
    request: RefundRequest,
    uow: OrchestrationWork,
    now: datetime,
    scope: OrderScope,
    idempotency: IdempotencyKey | None,
) -> Answer:
    with uow:
        if (earlier := replay(uow, idempotency)) is not None:
            return earlier
        order = existing_order(uow, request.order_id, scope, for_update=True)
        payments = _paid(uow.payments.of_order(order.id, for_update=True), request)
        currency = payments[0].currency
        amount = refund_amount(request.amount, request.currency, currency)
        document = give_back(uow, order, payments, GiveBack(amount, request.reason), now)
        uow.orders.save(order)
        answer = Answer(202, document)
        remember(uow, idempotency, answer, now, order.id)
        uow.commit()
    return answer


@dataclass(frozen=True)
class GiveBack:
    """A refund asked in a caller's transaction: how much, why, and what it gives back
    (`basis`: a return's units, the shipping; none: a share of what was billed)."""

    amount: Decimal
    reason: str
    basis: tuple[BilledPart, ...] = ()


def give_back(
    uow: OrchestrationWork,
    order: Order,
    payments: list[Payment],
    asked: GiveBack,
    now: datetime,
) -> dict[str, Any]:
    """In the caller's transaction, under the order's and its payments' locks:
    the amount refunded over the tenders in the channel's order of refunds (a card's
    part written pending for the worker, the others given back at once), recorded
    (`payment.refund_requested`); the refund's document. Its basis is what its credit
    note credits. OverRefund naming `amount` past what may still be refunded;
    Conflict while a card's capture is on its way."""
    currency, amount = payments[0].currency, asked.amount
    _refuse_while_capturing(uow, payments)
    refund_id = new_id(now)
    if asked.basis:
        uow.bills.intend(refund_id, order.id, asked.basis)
    try:
        shares = share_refund(uow, order, payments, amount)
    except ValueError:
        raise _over(uow, order, payments, currency) from None
    ops: list[PaymentOperation] = []
    for payment, share in zip(payments, shares, strict=True):
        if share and payment.method.by_gateway:
            ops += _card_refund(uow, payment, refund_id, share, now)
        elif share:
            ops.append(
                refund_now(uow, order, payment, f"{refund_id}:t{payment.tender}", share, now)
            )
    document = refund_document(refund_id, currency, ops)
    order.record("payment.refund_requested", now, {"refund": document, "reason": asked.reason})
    if any(op.pending for op in ops):
        uow.jobs.add(refund_job(order.id, refund_id, now), now)
    else:
        credit_when_answered(uow, order, payments, refund_id, now)
    return document


def give_as_store_credit(
    uow: OrchestrationWork,
    order: Order,
    payments: list[Payment],
    asked: GiveBack,
    now: datetime,
) -> dict[str, Any]:
    """In the caller's transaction, under the order's and its payments' locks: the
    amount given to the order's customer as store credit instead of to its tenders
    (it counts as refunded: never past what the tenders may still give back, and
    what they may give back after it is less by it), its credit note at once (store
    credit took it), recorded (`payment.refunded`); the refund's document."""
    currency = payments[0].currency
    _refuse_while_capturing(uow, payments)
    if asked.amount > sum(refundable_of(uow, order, payments), Decimal(0)):
        raise _over(uow, order, payments, currency)
    refund_id = new_id(now)
    if asked.basis:
        uow.bills.intend(refund_id, order.id, asked.basis)
    account = account_of(BalanceKind.STORE_CREDIT, order.customer.email)
    entry = Entry(
        account, EntryKind.CREDITED, asked.amount, now, order.id, order.acting, asked.reason,
        new_id(now),
    )  # fmt: skip
    uow.balances.put(entry, BalanceKind.STORE_CREDIT, currency)
    took = (PaidWith(str(PaymentMethod.STORE_CREDIT), order.customer.email, asked.amount),)
    credit_refund(uow, order, refund_id, asked.amount, now, took)
    amount = str(quantize(asked.amount, currency))
    document = {
        "id": refund_id,
        "status": "refunded",
        "currency": currency,
        "amount": amount,
        "refunded": amount,
        "requested_at": now.isoformat(),
    }
    order.record(
        "payment.refunded", now, {"refund": document, "reason": asked.reason, "to": "store_credit"}
    )
    return document


def refunds(
    order_id: str, uow: OrchestrationWork, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    """The order's refunds, oldest first, each with what the gateway did of it."""
    with uow:
        order = existing_order(uow, order_id, scope)
        payments = uow.payments.of_order(order.id)
        ops = [op for p in payments for op in uow.payments.operations(p.id)]
    found: dict[str, list[PaymentOperation]] = {}
    for op in sorted(ops, key=lambda op: (op.created_at, op.key)):
        if op.kind is OperationKind.REFUND:
            found.setdefault(refund_of(op), []).append(op)
    return {"items": [refund_document(i, order.currency, ops) for i, ops in found.items()]}


def refund_document(refund_id: str, currency: str, ops: list[PaymentOperation]) -> dict[str, Any]:
    outcomes = {op.outcome for op in ops}
    if None in outcomes:
        status = "pending"
    elif outcomes == {Outcome.APPROVED}:
        status = "refunded"
    else:
        status = "declined" if Outcome.APPROVED not in outcomes else "partly refunded"
    return {
        "id": refund_id,
        "status": status,
        "currency": currency,
        "amount": str(quantize(sum((op.amount for op in ops), Decimal(0)), currency)),
        "refunded": str(quantize(sum((op.done for op in ops), Decimal(0)), currency)),
        "requested_at": min(op.created_at for op in ops).isoformat(),
    }


def _paid(payments: list[Payment], request: RefundRequest) -> list[Payment]:
    if not payments:
        nothing = str(quantize(Decimal(0), request.currency))
        raise OverRefund(
            "amount: the order was paid elsewhere, so nothing may be refunded through Ordino",
            extra={"field": "amount", "refundable": nothing},
        )
    return payments


def _refuse_while_capturing(uow: OrchestrationWork, payments: list[Payment]) -> None:
    """A refund goes to the card first: while a capture of it is on its way, what it
    will hold to refund is not known yet (the money would go to another tender)."""
    if any(capturing(uow.payments.operations(p.id)) for p in payments if p.method.by_gateway):
        raise Conflict(
            "a capture of the order's card is on its way: ask for the refund once it is made"
        )


def _over(
    uow: OrchestrationWork, order: Order, payments: list[Payment], currency: str
) -> OverRefund:
    total = quantize(sum(refundable_of(uow, order, payments), Decimal(0)), currency)
    return OverRefund(
        f"amount: at most {total} {currency} may still be refunded",
        extra={"field": "amount", "refundable": str(total)},
    )


def _card_refund(
    uow: OrchestrationWork, payment: Payment, refund_id: str, amount: Decimal, now: datetime
) -> list[PaymentOperation]:
    """The card's part of a refund, from the authorisations that captured it (the
    newest first), each written pending for the worker to make."""
    parts = refund_parts(payment.currency, uow.payments.operations(payment.id), amount)
    ops = [
        PaymentOperation(
            f"{refund_id}:{n}", payment.id, OperationKind.REFUND, part, now, authorisation=ref
        )
        for n, (ref, part) in enumerate(parts, 1)
    ]
    for op in ops:
        uow.payments.begin(op, payment.currency)
    return ops


def refund_amount(amount: str, currency: str, paid_in: str) -> Decimal:
    """An amount to give back as the caller wrote it: in the currency the order was
    paid in, to its minor unit, more than zero; else InvalidInput naming the field."""
    if currency != paid_in:
        raise InvalidInput.of("currency", f"the order was paid in {paid_in}")
    try:
        parsed = parse_amount(amount, paid_in)
    except BadAmount as error:
        raise InvalidInput.of("amount", str(error)) from None
    if parsed <= 0:
        raise InvalidInput.of("amount", "must be more than zero")
    return parsed
