"""Payments: the order's card authorised by its pipeline, captured as its goods
ship (per parcel: the goods in it), the rest voided once nothing more can ship,
refunds made as they are asked for.

Every call to the gateway is one keyed payment operation, and recoverable from it:
1. the operation is written (pending) in a transaction of its own;
2. the call is made, outside any transaction; an operation found pending (its
   answer lost to a crash, a dropped connection or a timeout) first asks the
   gateway what it did under the key (`lookup`), and calls only if nothing was;
3. the answer and its effect on the payment (and the order's event) are written in
   one transaction, once: an operation answered already is never applied again.
A call that times out or fails raises, so its job is tried again later, resuming
the same operation. Authorisations the payment does not hold are voided when it
settles (`settle`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from ordino.domain import advancing
from ordino.domain.ids import new_id
from ordino.domain.jobs import settle_job
from ordino.domain.order_commands import PaymentChoice
from ordino.domain.orders import Order
from ordino.domain.payments import (
    GatewayAnswer,
    OperationKind,
    Outcome,
    Payment,
    PaymentGateway,
    PaymentMethod,
    PaymentOperation,
    PaymentStatus,
    apply,
    orphans,
)
from ordino.domain.rollup import OrderStatus
from ordino.errors import LostRace
from ordino.services.unit_of_work import UnitOfWork

PAYMENT_HOLD = "payment"  # the rule of holds the payment puts
EVENTS = {  # an operation's event: approved, declined
    OperationKind.AUTHORISE: ("payment.authorised", "payment.declined"),
    OperationKind.CAPTURE: ("payment.captured", "payment.capture_declined"),
    OperationKind.VOID: ("payment.voided", "payment.void_declined"),
    OperationKind.REFUND: ("payment.refunded", "payment.refund_declined"),
}


class PaymentFailed(Exception):
    """The gateway could not answer now: the job tries again later, same key."""


def new_payment(order: Order, choice: PaymentChoice, now: datetime) -> Payment:
    return Payment(
        new_id(now),
        order.id,
        choice.method,
        choice.token,
        order.currency,
        order.total.amount,
        PaymentStatus.PENDING,
        now,
        now,
    )


def needs_authorising(payment: Payment | None) -> bool:
    return (
        payment is not None
        and payment.method is PaymentMethod.CARD
        and payment.status is PaymentStatus.PENDING
    )


def try_again(uow: UnitOfWork, order_id: str, now: datetime, token: str | None = None) -> None:
    """In the caller's unit of work: a declined card is authorised again when the
    order next advances: the same card (the bank said yes since), or the customer's
    new one (`token`)."""
    payment = uow.payments.of_order(order_id, for_update=True)
    if payment is None or payment.status is not PaymentStatus.DECLINED:
        return
    card = payment.token if token is None else token
    again = replace(payment, token=card, status=PaymentStatus.PENDING, message=None, updated_at=now)
    uow.payments.save(again)


def authorise(order_id: str, uow: UnitOfWork, gateway: PaymentGateway, now: datetime) -> bool:
    """Authorise the order's card for its total; the answer is kept on the payment
    (approved: authorised; declined: the pipeline holds the order). False when
    another worker is making the call (its answer comes with it)."""
    with uow:
        payment = uow.payments.of_order(order_id)
    if not needs_authorising(payment):
        return True
    assert payment is not None
    op = _authorise_op(uow, payment, payment.amount, now)
    return _operate(uow, gateway, payment, op, now) is not None


def capture(
    order_id: str,
    key: str,
    amount: Decimal,
    uow: UnitOfWork,
    gateway: PaymentGateway,
    now: datetime,
) -> Outcome | None:
    """Capture `amount` (goods that left) once per `key` (the fulfillment order).
    An authorisation that expired is made again for what is open first."""
    with uow:
        payment = uow.payments.of_order(order_id)
        begun = uow.payments.operation(f"{key}:capture")
    if payment is None or payment.method is not PaymentMethod.CARD:
        return None
    if begun is None and (payment.status is not PaymentStatus.AUTHORISED or amount <= 0):
        return None
    if begun is None and payment.expired(now):
        payment = _reauthorise(payment, uow, gateway, now)
    op = begun or PaymentOperation(
        f"{key}:capture",
        payment.id,
        OperationKind.CAPTURE,
        min(amount, payment.open),
        now,
        authorisation=payment.authorisation,
    )
    answered = _operate(uow, gateway, payment, op, now)
    return None if answered is None else answered.outcome


def settle(order_id: str, uow: UnitOfWork, gateway: PaymentGateway, now: datetime) -> None:
    """Make the payment agree with what the order will still take: answers lost to
    a crash are asked for, authorisations the payment does not hold are voided, and
    what is authorised and not captured is voided once nothing more of the order can
    ship (it is cancelled, or every unit left or was cancelled)."""
    _recover_authorisations(order_id, uow, gateway, now)
    with uow:
        payment = uow.payments.of_order(order_id)
        order = uow.orders.get(order_id)
        ops = [] if payment is None else uow.payments.operations(payment.id)
    if payment is None or order is None or payment.method is not PaymentMethod.CARD:
        return
    for reference in orphans(payment, ops):
        orphan = _void_op(f"{order_id}:void:{reference}", payment, reference, now)
        _operate(uow, gateway, payment, orphan, now)  # the payment held none of it
    if payment.status is PaymentStatus.AUTHORISED and _to_void(order, payment):
        void = _void_op(f"{order_id}:void", payment, payment.authorisation, now)
        _operate(uow, gateway, payment, void, now)


def _recover_authorisations(
    order_id: str, uow: UnitOfWork, gateway: PaymentGateway, now: datetime
) -> None:
    """Authorisations whose answer was lost, the order gone on without them: what
    the gateway did under their keys is recorded. Never a new call: only the
    pipeline authorises."""
    with uow:
        payment = uow.payments.of_order(order_id)
        ops = [] if payment is None else uow.payments.operations(payment.id)
    for op in ops:
        if op.kind is OperationKind.AUTHORISE and op.outcome is None:
            assert payment is not None
            _recover(uow, gateway, payment, op, now)


def refund(
    order_id: str, refund_id: str, uow: UnitOfWork, gateway: PaymentGateway, now: datetime
) -> None:
    """Make the gateway calls of a refund asked for (`ordino.services.refunds`):
    each of its operations, written pending when it was asked, once."""
    with uow:
        payment = uow.payments.of_order(order_id)
        ops = [] if payment is None else uow.payments.operations(payment.id)
    for op in ops:
        if op.kind is OperationKind.REFUND and op.key.startswith(f"{refund_id}:"):
            assert payment is not None
            _operate(uow, gateway, payment, op, now)


def _to_void(order: Order, payment: Payment) -> bool:
    if not _nothing_more_ships(order) or payment.open <= 0:
        return False
    return payment.captured >= _value_out(order)  # else a capture is still to come


def _value_out(order: Order) -> Decimal:
    """The value of the goods that left for the customer: what is to be captured."""
    return sum((line.unit_price * order.counts(line).out for line in order.lines), Decimal(0))


def _nothing_more_ships(order: Order) -> bool:
    if order.status is OrderStatus.CANCELLED:
        return True
    return all(order.waiting(line) + line.allocated == 0 for line in order.lines)


def _void_op(
    key: str, payment: Payment, authorisation: str | None, now: datetime
) -> PaymentOperation:
    """A void of what `authorisation` holds: the payment's open amount if it is the
    payment's (an orphan's amount is what the gateway voids)."""
    amount = payment.open if authorisation == payment.authorisation else Decimal(0)
    return PaymentOperation(
        key, payment.id, OperationKind.VOID, amount, now, authorisation=authorisation
    )


def _authorise_op(
    uow: UnitOfWork, payment: Payment, amount: Decimal, now: datetime
) -> PaymentOperation:
    """The authorisation to make: the one whose answer is still to come, else a new
    one, keyed by its number."""
    with uow:
        ops = [
            op for op in uow.payments.operations(payment.id) if op.kind is OperationKind.AUTHORISE
        ]
    waiting = [op for op in ops if op.outcome is None]
    if waiting:
        return waiting[-1]
    key = f"{payment.order_id}:authorise:{len(ops) + 1}"
    return PaymentOperation(key, payment.id, OperationKind.AUTHORISE, amount, now)


def _reauthorise(
    payment: Payment, uow: UnitOfWork, gateway: PaymentGateway, now: datetime
) -> Payment:
    op = _authorise_op(uow, payment, payment.open, now)
    answered = _operate(uow, gateway, payment, op, now)
    if answered is None or not answered.approved:
        raise PaymentFailed(f"the expired authorisation of order {payment.order_id} was refused")
    with uow:
        renewed = uow.payments.of_order(payment.order_id)
    assert renewed is not None
    return renewed


def _operate(
    uow: UnitOfWork,
    gateway: PaymentGateway,
    payment: Payment,
    op: PaymentOperation,
    now: datetime,
) -> PaymentOperation | None:
    """Make `op` of `payment` once and record its answer; the operation as answered,
    or None when it was answered before or another worker is making it."""
    begun = _begin(uow, op, payment.currency)
    if begun is None:
        return None
    op, resumed = begun
    answer = gateway.lookup(op.key) if resumed else None
    if answer is None:
        answer = _call(gateway, payment, op, now)  # GatewayTimeout: the job retries, same key
    if answer.outcome is Outcome.FAILED:
        raise PaymentFailed(f"the gateway failed to {op.kind}: {answer.message}")
    return _record(uow, payment.order_id, op, answer, now)


def _recover(
    uow: UnitOfWork, gateway: PaymentGateway, payment: Payment, op: PaymentOperation, now: datetime
) -> None:
    """Record what the gateway did under a pending operation's key, if it did anything."""
    answer = gateway.lookup(op.key)
    if answer is not None and answer.outcome is not Outcome.FAILED:
        _record(uow, payment.order_id, op, answer, now)


def _begin(
    uow: UnitOfWork, op: PaymentOperation, currency: str
) -> tuple[PaymentOperation, bool] | None:
    """The operation to make, written pending if it is new, and whether it was found
    pending (a call may have been made); None when it was answered already."""
    with uow:
        found = uow.payments.operation(op.key)
        if found is not None:
            return None if found.outcome is not None else (found, True)
        try:
            uow.payments.begin(op, currency)
        except LostRace:
            return None  # another worker is making it
        uow.commit()
    return op, False


def _call(
    gateway: PaymentGateway, payment: Payment, op: PaymentOperation, now: datetime
) -> GatewayAnswer:
    if op.kind is OperationKind.AUTHORISE:
        assert payment.token is not None
        return gateway.authorise(payment.token, op.amount, payment.currency, op.key, now)
    assert op.authorisation is not None
    if op.kind is OperationKind.CAPTURE:
        return gateway.capture(op.authorisation, op.amount, op.key, now)
    if op.kind is OperationKind.VOID:
        return gateway.void(op.authorisation, op.key, now)
    return gateway.refund(op.authorisation, op.amount, op.key, now)


def _record(
    uow: UnitOfWork, order_id: str, op: PaymentOperation, answer: GatewayAnswer, now: datetime
) -> PaymentOperation | None:
    """The answer kept on the operation and its effect on the payment, told as the
    order's event, in one transaction; None when it was recorded before. A capture
    declined (the goods left) holds the order for someone to settle with the
    customer; an authorisation coming to a cancelled order is voided after."""
    answered = op.answered(answer)
    with uow:
        order = uow.orders.get(order_id, for_update=True)
        payment = uow.payments.get(op.payment_id, for_update=True)
        assert order is not None and payment is not None
        if not uow.payments.complete(answered, payment.currency, now):
            return None
        changed = replace(apply(payment, answered, answer), updated_at=now)
        uow.payments.save(changed)
        order.acting = "gateway"
        event = EVENTS[op.kind][0 if answered.approved else 1]
        order.record(event, now, {"payment": _event(changed, answered)})
        if event == "payment.capture_declined":
            advancing.hold(order, PAYMENT_HOLD, changed.message or event, "gateway", now)
        if op.kind is OperationKind.AUTHORISE and order.status is OrderStatus.CANCELLED:
            uow.jobs.add(settle_job(order.id, now), now)
        uow.orders.save(order)
        uow.commit()
    return answered


def _event(payment: Payment, op: PaymentOperation) -> dict[str, str | None]:
    return {
        "status": str(payment.status),
        "authorised": str(payment.authorised),
        "captured": str(payment.captured),
        "voided": str(payment.voided),
        "refunded": str(payment.refunded),
        "message": payment.message,
        "operation": str(op.kind),
        "amount": str(op.done),
    }
