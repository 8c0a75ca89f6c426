"""Payments: the order's card authorised by its pipeline, captured as its goods
ship (per parcel: the goods in it), the rest voided once nothing more can ship.

No call to the gateway is made inside a database transaction: each is written
first (a pending operation, keyed), made, and its answer written in a transaction
of its own. A call that times out or fails raises, so its job is tried again later
with the same key: the gateway answers a key once, so nothing is done twice. An
operation already answered is not asked again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from ordino.domain import advancing
from ordino.domain.ids import new_id
from ordino.domain.order_commands import PaymentChoice
from ordino.domain.orders import Order
from ordino.domain.payments import (
    GatewayAnswer,
    Outcome,
    Payment,
    PaymentGateway,
    PaymentMethod,
    PaymentOperation,
    PaymentStatus,
)
from ordino.domain.rollup import OrderStatus
from ordino.errors import LostRace
from ordino.services.unit_of_work import UnitOfWork

Call = Callable[[str], GatewayAnswer]  # the gateway call, given its key
PAYMENT_HOLD = "payment"  # the rule of holds the payment puts


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
    (approved: authorised; declined: the pipeline holds the order). False when the
    answer was lost (it is asked for again, by its key, next time)."""
    with uow:
        payment = uow.payments.of_order(order_id)
    if not needs_authorising(payment):
        return True
    assert payment is not None and payment.token is not None
    token, amount, currency = payment.token, payment.amount, payment.currency
    key = f"{order_id}:authorise:{_attempt(uow, payment.id, 'authorise')}"
    op = PaymentOperation(key, payment.id, "authorise", amount, now)
    answer = _call(
        uow, op, payment.currency, lambda k: gateway.authorise(token, amount, currency, k, now)
    )
    if answer is not None:
        approved = answer.outcome is Outcome.APPROVED
        event = "payment.authorised" if approved else "payment.declined"
        _record(uow, order_id, now, event, lambda p: _authorised(p, answer))
    return answer is not None


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
    if payment is None or payment.method is not PaymentMethod.CARD:
        return None
    if payment.status is not PaymentStatus.AUTHORISED or amount <= 0:
        return None
    if payment.expired(now):
        payment = _reauthorise(order_id, payment, uow, gateway, now)
    authorisation = payment.authorisation
    assert authorisation is not None
    take = min(amount, payment.open)
    op = PaymentOperation(f"{key}:capture", payment.id, "capture", take, now)
    answer = _call(
        uow, op, payment.currency, lambda k: gateway.capture(authorisation, take, k, now)
    )
    if answer is None:
        return None
    approved = answer.outcome is Outcome.APPROVED
    event = "payment.captured" if approved else "payment.capture_declined"
    _record(uow, order_id, now, event, lambda p: _captured(p, answer))
    return answer.outcome


def settle(order_id: str, uow: UnitOfWork, gateway: PaymentGateway, now: datetime) -> None:
    """Void what is authorised and not captured once nothing more of the order can
    ship (it is cancelled, or every unit left or was cancelled)."""
    with uow:
        payment = uow.payments.of_order(order_id)
        order = uow.orders.get(order_id)
    if payment is None or order is None or payment.status is not PaymentStatus.AUTHORISED:
        return
    if not _nothing_more_ships(order) or payment.open <= 0:
        return
    if payment.captured < _value_out(order):
        return  # a capture is still to come; the job after it settles

    authorisation = payment.authorisation
    assert authorisation is not None
    op = PaymentOperation(f"{order_id}:void", payment.id, "void", payment.open, now)
    answer = _call(uow, op, payment.currency, lambda k: gateway.void(authorisation, k, now))
    if answer is not None:
        _record(uow, order_id, now, "payment.voided", lambda p: _voided(p, answer))


def _value_out(order: Order) -> Decimal:
    """The value of the goods that left for the customer: what is to be captured."""
    return sum((line.unit_price * order.counts(line).out for line in order.lines), Decimal(0))


def _nothing_more_ships(order: Order) -> bool:
    if order.status is OrderStatus.CANCELLED:
        return True
    return all(order.waiting(line) + line.allocated == 0 for line in order.lines)


def _reauthorise(
    order_id: str, payment: Payment, uow: UnitOfWork, gateway: PaymentGateway, now: datetime
) -> Payment:
    token, amount, currency = payment.token, payment.open, payment.currency
    assert token is not None
    key = f"{order_id}:authorise:{_attempt(uow, payment.id, 'authorise')}"
    op = PaymentOperation(key, payment.id, "authorise", amount, now)
    answer = _call(
        uow, op, payment.currency, lambda k: gateway.authorise(token, amount, currency, k, now)
    )
    if answer is None or answer.outcome is not Outcome.APPROVED:
        raise PaymentFailed(f"the expired authorisation of order {order_id} was refused")
    return _record(uow, order_id, now, "payment.authorised", lambda p: _renewed(p, answer))


def _call(uow: UnitOfWork, op: PaymentOperation, currency: str, call: Call) -> GatewayAnswer | None:
    """Write the operation (pending), make the call outside any transaction, write
    its answer. None when the operation was answered before (nothing to do)."""
    with uow:
        done = uow.payments.operation(op.key)
        if done is not None and done.outcome is not None:
            return None
        if done is None:
            try:
                uow.payments.begin(op, currency)
            except LostRace:
                return None  # another worker is making it
            uow.commit()
    answer = call(op.key)  # GatewayTimeout: raised, the job retries with this key
    if answer.outcome is Outcome.FAILED:
        raise PaymentFailed(f"the gateway failed to {op.kind}: {answer.message}")
    with uow:
        uow.payments.complete(op.key, answer, op.created_at)
        uow.commit()
    return answer


def _attempt(uow: UnitOfWork, payment_id: str, kind: str) -> int:
    """The number of this kind of call: one more than those answered."""
    with uow:
        ops = uow.payments.operations(payment_id)
    return 1 + sum(1 for op in ops if op.kind == kind and op.outcome is not None)


def _record(
    uow: UnitOfWork,
    order_id: str,
    now: datetime,
    event: str,
    change: Callable[[Payment], Payment],
) -> Payment:
    """The answer kept on the payment, and told as the order's event; a capture
    declined (the goods left) holds the order for someone to settle with the
    customer."""
    with uow:
        order = uow.orders.get(order_id, for_update=True)
        payment = uow.payments.of_order(order_id, for_update=True)
        assert payment is not None and order is not None
        order.acting = "gateway"
        changed = replace(change(payment), updated_at=now)
        uow.payments.save(changed)
        order.record(event, now, {"payment": _event(changed)})
        if event == "payment.capture_declined":
            advancing.hold(order, PAYMENT_HOLD, changed.message or event, "gateway", now)
        uow.orders.save(order)
        uow.commit()
    return changed


def _event(payment: Payment) -> dict[str, str | None]:
    return {
        "status": str(payment.status),
        "authorised": str(payment.authorised),
        "captured": str(payment.captured),
        "voided": str(payment.voided),
        "message": payment.message,
    }


def _authorised(payment: Payment, answer: GatewayAnswer) -> Payment:
    if answer.outcome is Outcome.APPROVED:
        return replace(
            payment,
            status=PaymentStatus.AUTHORISED,
            authorisation=answer.reference,
            authorised=answer.amount,
            expires_at=answer.expires_at,
            message=None,
        )
    return replace(payment, status=PaymentStatus.DECLINED, message=answer.message)


def _renewed(payment: Payment, answer: GatewayAnswer) -> Payment:
    # What the old authorisation held beyond what was captured is gone with it.
    return replace(
        payment,
        authorisation=answer.reference,
        authorised=payment.captured + payment.voided + answer.amount,
        expires_at=answer.expires_at,
    )


def _captured(payment: Payment, answer: GatewayAnswer) -> Payment:
    if answer.outcome is Outcome.APPROVED:
        captured = replace(payment, captured=payment.captured + answer.amount, message=None)
        done = captured.open <= 0
        return replace(captured, status=PaymentStatus.CLOSED) if done else captured
    return replace(payment, message=f"capture declined: {answer.message}")


def _voided(payment: Payment, answer: GatewayAnswer) -> Payment:
    if answer.outcome is Outcome.APPROVED:
        return replace(payment, voided=payment.voided + answer.amount, status=PaymentStatus.CLOSED)
    return replace(payment, message=f"void declined: {answer.message}")
