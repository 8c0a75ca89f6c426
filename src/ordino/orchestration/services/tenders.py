"""An order's tenders as its money moves: a shipment's capture and a refund shared
among them in the channel's order of methods (`ordino.payments.domain.tenders.take`),
and what Ordino moves itself, at once, in the caller's transaction: the part of a
gift card, store credit, an account or a marketplace (an approved operation, the
payment summed again, the order's event; a balance's money put back on a release or
a refund). A card's part is the gateway's: the caller makes it
(`ordino.orchestration.services.payments`).

Invariants:
- a shipment's capture is shared once, in the transaction its goods leave in,
  under the lock of the order's payments; the parts come to the invoice's total
  (less what the tenders no longer hold) and none takes more than its tender holds;
- what a balance's tender held and the order will not take goes back on it once,
  when nothing more of the order can ship (`release`), keyed as a void;
- a refund never gives a tender more than it captured less what it gave back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from ordino.orchestration.services.ports import OrchestrationWork
from ordino.orders.domain import Order, advancing
from ordino.payments.domain import (
    CAPTURE_ORDER,
    REFUND_ORDER,
    BalanceKind,
    Entry,
    EntryKind,
    OperationKind,
    Outcome,
    Payment,
    PaymentMethod,
    PaymentOperation,
    PaymentStatus,
    refundable,
    shown_reference,
    summed,
    take,
)
from ordino.pricing.domain import PaidWith

ZERO = Decimal(0)
PAYMENT_HOLD = "payment"  # the rule of the holds the order's payments put
ERASED = ":~erased-"  # in a store credit's account once its customer was erased
APPROVED_EVENTS = {
    OperationKind.CAPTURE: "payment.captured",
    OperationKind.VOID: "payment.voided",
    OperationKind.REFUND: "payment.refunded",
}
BALANCE_ENTRIES = {OperationKind.VOID: EntryKind.RELEASED, OperationKind.REFUND: EntryKind.REFUNDED}


def methods_in(named: Sequence[str], default: Sequence[PaymentMethod]) -> tuple[PaymentMethod, ...]:
    """The channel's order of methods: those it names, then the rest in `default`'s."""
    first = tuple(PaymentMethod(method) for method in named)
    return first + tuple(method for method in default if method not in first)


def channel_order(
    uow: OrchestrationWork, order: Order, *, refund: bool
) -> tuple[PaymentMethod, ...]:
    found = uow.channels.get(order.channel)
    pricing = None if found is None else found[0].pricing
    if refund:
        return methods_in(() if pricing is None else pricing.refund_order, REFUND_ORDER)
    return methods_in(() if pricing is None else pricing.capture_order, CAPTURE_ORDER)


def share_capture(
    uow: OrchestrationWork, order: Order, key: str, amount: Decimal, now: datetime
) -> tuple[PaidWith, ...]:
    """In the caller's transaction (the one the goods leave in): `amount` (the
    shipment's invoice, `key` its fulfillment) shared among the order's tenders in
    the channel's order, each up to what it holds; every part but a card's captured
    now, a card's written pending for the worker to make (`payments.capture`
    resumes it). What each tender pays of it; none when the order was paid already.
    Tenders that hold less than the invoice (a card not authorised) pay what they
    hold, and the order is held for a person to settle the rest with the customer."""
    payments = uow.payments.of_order(order.id, for_update=True)
    ops = {p.id: uow.payments.operations(p.id) for p in payments}
    holding = [_holding(p, ops[p.id]) for p in payments]
    wanted = min(amount, sum(holding, ZERO))
    if payments and wanted < amount:
        why = f"the tenders hold {wanted} of the shipment's {amount} {order.currency}"
        advancing.hold(order, PAYMENT_HOLD, why, "ordino", now)
    methods = [p.method for p in payments]
    parts = take(
        wanted, list(zip(methods, holding, strict=True)), channel_order(uow, order, refund=False)
    )
    for payment, part in zip(payments, parts, strict=True):
        if part > 0 and payment.method.by_gateway:
            capture = PaymentOperation(f"{key}:capture:1", payment.id, OperationKind.CAPTURE,
                                       part, now, authorisation=payment.authorisation)  # fmt: skip
            uow.payments.begin(capture, payment.currency)
        elif part > 0:
            made = _made(
                payment, OperationKind.CAPTURE, f"{key}:capture:t{payment.tender}", part, now
            )
            _move(uow, order, payment, made, now)
    return tuple(
        PaidWith(str(p.method), shown_reference(p), part)
        for p, part in zip(payments, parts, strict=True)
        if part > 0
    )


def _holding(payment: Payment, ops: Sequence[PaymentOperation]) -> Decimal:
    """What a tender still holds for shipments to come: authorised and neither
    captured, voided nor on its way to be captured."""
    if payment.status is not PaymentStatus.AUTHORISED:
        return ZERO
    capturing = sum((op.amount for op in ops if op.kind is OperationKind.CAPTURE and op.pending),
                    ZERO)  # fmt: skip
    return max(payment.open - capturing, ZERO)


def capturing(ops: Sequence[PaymentOperation]) -> bool:
    """Whether a capture of the tender is on its way (written, not answered)."""
    return any(op.kind is OperationKind.CAPTURE and op.pending for op in ops)


def release(uow: OrchestrationWork, order: Order, now: datetime) -> bool:
    """In the caller's transaction, once nothing more of the order can ship: what
    each tender Ordino moves itself still holds let go (voided; a balance's put back
    on it); whether any was. A card's is the gateway's to void."""
    released = False
    for payment in uow.payments.of_order(order.id, for_update=True):
        if payment.method.by_gateway or payment.status is not PaymentStatus.AUTHORISED:
            continue
        if payment.open > 0:
            key = f"{order.id}:void:{payment.authorisation}"
            _move(
                uow, order, payment, _made(payment, OperationKind.VOID, key, payment.open, now), now
            )
            released = True
    return released


def share_refund(
    uow: OrchestrationWork, order: Order, payments: Sequence[Payment], amount: Decimal
) -> list[Decimal]:
    """`amount` shared among the tenders in the channel's order of refunds, each up to
    what it captured less what it gave back or is giving back; none to a balance
    whose customer was erased (no one could spend it)."""
    left = refundable_of(uow, order, payments)
    methods = [p.method for p in payments]
    order_of = channel_order(uow, order, refund=True)
    return list(take(amount, list(zip(methods, left, strict=True)), order_of))


def refundable_of(
    uow: OrchestrationWork, order: Order, payments: Sequence[Payment]
) -> list[Decimal]:
    """What each tender may still give back: captured, less refunded and refunds on
    their way, less what refunds gave as store credit instead (taken from the tenders
    in the channel's order of refunds, as a refund to them would have been); none for
    a balance whose customer was erased."""
    left = [
        ZERO if _erased(p) else sum(refundable(uow.payments.operations(p.id)).values(), ZERO)
        for p in payments
    ]
    credited = uow.balances.credited(order.id)
    ranked = channel_order(uow, order, refund=True)
    for i in sorted(range(len(payments)), key=lambda i: ranked.index(payments[i].method)):
        taken = min(left[i], credited)
        left[i], credited = left[i] - taken, credited - taken
    return left


def _erased(payment: Payment) -> bool:
    return payment.method.balance and ERASED in (payment.reference or "")


def refund_now(
    uow: OrchestrationWork,
    order: Order,
    payment: Payment,
    key: str,
    amount: Decimal,
    now: datetime,
) -> PaymentOperation:
    """In the caller's transaction: a tender Ordino moves itself refunded `amount`
    (a balance's put back on it)."""
    made = _made(payment, OperationKind.REFUND, key, amount, now)
    return _move(uow, order, payment, made, now)


def _made(
    payment: Payment, kind: OperationKind, key: str, amount: Decimal, now: datetime
) -> PaymentOperation:
    """An operation Ordino makes itself on a tender it moves: approved as made."""
    return PaymentOperation(
        key, payment.id, kind, amount, now, outcome=Outcome.APPROVED,
        authorisation=payment.authorisation, done=amount, reference=payment.authorisation,
    )  # fmt: skip


def _move(
    uow: OrchestrationWork, order: Order, payment: Payment, op: PaymentOperation, now: datetime
) -> PaymentOperation:
    """`op` recorded answered; the payment summed again from its operations; a
    balance's money put back on it; the order's event."""
    uow.payments.record(op, payment.currency, now)  # LostRace: made already
    changed = replace(summed(payment, uow.payments.operations(payment.id)), updated_at=now)
    uow.payments.save(changed)
    entry_kind = BALANCE_ENTRIES.get(op.kind)
    if payment.method.balance and entry_kind is not None and payment.reference is not None:
        entry = Entry(payment.reference, entry_kind, op.done, now, order.id, order.acting)
        uow.balances.put(entry, BalanceKind(str(payment.method)), payment.currency)
    if (
        payment.method is PaymentMethod.INVOICE
        and entry_kind is not None
        and payment.reference is not None
        and uow.credit_accounts.charged(payment.reference, order.id)
    ):  # what the order will not take (or gave back) is no longer owed on account
        let_go = Entry(payment.reference, entry_kind, -op.done, now, order.id, order.acting)
        uow.credit_accounts.charge(let_go, payment.currency)
    order.record(APPROVED_EVENTS[op.kind], now, {"payment": payment_event(changed, op)})
    return op


def payment_event(payment: Payment, op: PaymentOperation) -> dict[str, Any]:
    """A payment operation's event: the tender, what it did, and its amounts since."""
    return {
        "method": str(payment.method),
        "tender": payment.tender,
        "status": str(payment.status),
        "authorised": str(payment.authorised),
        "captured": str(payment.captured),
        "voided": str(payment.voided),
        "refunded": str(payment.refunded),
        "message": payment.message,
        "operation": str(op.kind),
        "amount": str(op.done),
    }
