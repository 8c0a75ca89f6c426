"""Payments: the order's card authorised by its pipeline, captured as its goods
ship (per parcel: the goods in it), what the order will not take voided, refunds
made as they were asked for.

Every call to the gateway is one keyed payment operation, recoverable from it:
1. which call to make is decided under the payment's lock, from the payment and
   its operations (`ordino.payments.domain.ledger`'s plans): an operation still
   pending is resumed, else a new one is written pending, in that transaction;
2. the call is made outside any transaction; a resumed operation first asks the
   gateway what it did under its key (`lookup`), and calls only if nothing was;
3. its answer and its effect on the payment (and the order's event) are written in
   one transaction, once.
A call that times out or fails raises, so its job is tried again later and resumes
the same operation. A pending call the gateway did nothing under is given up when
it can no longer be made (a capture on an expired authorisation), or, for an
authorisation of a cancelled order, once `GRACE` has passed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from ordino.kernel.domain import settle_job
from ordino.orchestration.services.invoices import credit_refund
from ordino.orchestration.services.ports import OrchestrationWork
from ordino.orchestration.services.tenders import PAYMENT_HOLD, payment_event, release
from ordino.orders.domain import Order, OrderStatus, advancing
from ordino.payments.domain import (
    GatewayAnswer,
    OperationKind,
    Outcome,
    Payment,
    PaymentGateway,
    PaymentOperation,
    PaymentStatus,
    card_of,
    given_up,
    next_authorisation,
    next_capture,
    next_void,
    recorded,
    shown_reference,
)
from ordino.pricing.domain import PaidWith

# Longer than any call to the gateway takes: a pending call older than this that the
# gateway has no record of was never made, and will not be.
GRACE = timedelta(minutes=10)
EVENTS = {  # an operation's event: approved, declined
    OperationKind.AUTHORISE: ("payment.authorised", "payment.declined"),
    OperationKind.CAPTURE: ("payment.captured", "payment.capture_declined"),
    OperationKind.VOID: ("payment.voided", "payment.void_declined"),
    OperationKind.REFUND: ("payment.refunded", "payment.refund_declined"),
}
Plan = Callable[[Payment, list[PaymentOperation]], PaymentOperation | None]


class PaymentFailed(Exception):
    """The gateway could not answer now: the job tries again later, same key."""


def needs_authorising(payment: Payment | None) -> bool:
    """Whether the order's card (`card_of`) waits for its authorisation."""
    return payment is not None and payment.status is PaymentStatus.PENDING


def try_again(
    uow: OrchestrationWork, order_id: str, now: datetime, token: str | None = None
) -> None:
    """In the caller's unit of work: a declined card is authorised again when the
    order next advances: the same card (the bank said yes since), or the customer's
    new one (`token`)."""
    payment = card_of(uow.payments.of_order(order_id, for_update=True))
    if payment is None or payment.status is not PaymentStatus.DECLINED:
        return
    card = payment.token if token is None else token
    again = replace(payment, token=card, status=PaymentStatus.PENDING, message=None, updated_at=now)
    uow.payments.save(again)


def authorise(
    order_id: str, uow: OrchestrationWork, gateway: PaymentGateway, now: datetime
) -> None:
    """Authorise the order's card for its total, once: the answer is kept on the
    payment (approved: authorised; declined: the pipeline holds the order)."""

    def plan(payment: Payment, ops: list[PaymentOperation]) -> PaymentOperation | None:
        if not needs_authorising(payment):
            return None
        return next_authorisation(payment, ops, payment.amount, now)

    _operate(uow, gateway, order_id, plan, now)


def capture(
    order_id: str,
    key: str,
    amount: Decimal,
    uow: OrchestrationWork,
    gateway: PaymentGateway,
    now: datetime,
) -> None:
    """Capture `amount` (goods that left) once per `key` (the fulfillment order).
    An authorisation that expired is made again for what is open first; a capture
    begun on it and never made is given up and made on the new one."""

    def plan(payment: Payment, ops: list[PaymentOperation]) -> PaymentOperation | None:
        return next_capture(payment, ops, key, amount, now)

    for _ in range(4):  # at most: a capture given up, a renewal, then the capture
        made = _operate(uow, gateway, order_id, plan, now)
        if made is None or (made.kind is OperationKind.CAPTURE and not _given_up(made)):
            return
        if made.kind is OperationKind.AUTHORISE and not made.approved:
            raise PaymentFailed(f"the expired authorisation of order {order_id} was refused")
    raise PaymentFailed(f"the capture {key} of order {order_id} found no authorisation to use")


def settle(order_id: str, uow: OrchestrationWork, gateway: PaymentGateway, now: datetime) -> None:
    """Make the payments hold no more than the order will take: what the tenders
    Ordino moves itself hold is let go once nothing more of the order can ship (it
    is cancelled, or every unit left or was cancelled: a gift card's money goes back
    on it); an authorisation of a cancelled order whose answer was lost is asked
    for, every authorisation the card's payment does not hold is voided, and its
    own once nothing more can ship and every parcel that left is captured."""
    with uow:
        order = uow.orders.get(order_id, for_update=True)
        if order is None:
            return
        if _nothing_more_ships(order) and release(uow, order, now):
            uow.orders.save(order)
        tenders = uow.payments.of_order(order_id)
        uow.commit()
    # What the tenders Ordino moves took (at shipment, with the invoice: no more now).
    others = sum((p.captured for p in tenders if not p.method.by_gateway), Decimal(0))
    if order.status is OrderStatus.CANCELLED:
        _operate(uow, gateway, order_id, _lost_authorisation, now, may_call=False)
    ships, value_out = not _nothing_more_ships(order), order.value_out()

    def plan(payment: Payment, ops: list[PaymentOperation]) -> PaymentOperation | None:
        capturing = any(op.kind is OperationKind.CAPTURE and op.pending for op in ops)
        settling = not ships and not capturing and payment.captured + others >= value_out
        return next_void(payment, ops, now, settling)

    for _ in range(16):  # each round answers a void: the authorisations run out
        if _operate(uow, gateway, order_id, plan, now) is None:
            return
    raise PaymentFailed(f"the payment of order {order_id} still has voids to make")


def refund(
    order_id: str, refund_id: str, uow: OrchestrationWork, gateway: PaymentGateway, now: datetime
) -> None:
    """Make the gateway calls of a refund asked for (`ordino.orchestration.services.refunds`):
    each of its operations, written pending when it was asked, once."""

    def plan(_payment: Payment, ops: list[PaymentOperation]) -> PaymentOperation | None:
        mine = [op for op in ops if op.kind is OperationKind.REFUND and op.pending]
        return next((op for op in mine if op.key.startswith(f"{refund_id}:")), None)

    for _ in range(16):  # each round answers one of the refund's parts
        if _operate(uow, gateway, order_id, plan, now) is None:
            return
    raise PaymentFailed(f"refund {refund_id} of order {order_id} still has parts to make")


def _given_up(op: PaymentOperation) -> bool:
    return op.outcome is Outcome.ABANDONED


def _lost_authorisation(_payment: Payment, ops: list[PaymentOperation]) -> PaymentOperation | None:
    return next((op for op in ops if op.kind is OperationKind.AUTHORISE and op.pending), None)


def _nothing_more_ships(order: Order) -> bool:
    if order.status is OrderStatus.CANCELLED:
        return True
    return all(order.waiting(line) + line.allocated == 0 for line in order.lines)


def _operate(
    uow: OrchestrationWork,
    gateway: PaymentGateway,
    order_id: str,
    plan: Plan,
    now: datetime,
    *,
    may_call: bool = True,
) -> PaymentOperation | None:
    """The call `plan` chooses, made once and its answer recorded: the operation as
    answered (or given up); None when there is nothing to do. `may_call` False only
    asks the gateway what was done."""
    begun = _begin(uow, order_id, plan)
    if begun is None:
        return None
    payment, op, resumed = begun
    answer = _asked(gateway, op.key) if resumed else None
    if answer is None and resumed and _to_give_up(op, payment, now, may_call):
        return _give_up(uow, order_id, op, now)
    if answer is None and not may_call:
        raise PaymentFailed(f"the gateway has not answered {op.key} yet")
    if answer is None:
        answer = _call(gateway, payment, op, now)  # GatewayTimeout: the job retries
    if answer.outcome is Outcome.FAILED:
        raise PaymentFailed(f"the gateway failed to {op.kind}: {answer.message}")
    return _record(uow, order_id, op, answer, now)


def _begin(
    uow: OrchestrationWork, order_id: str, plan: Plan
) -> tuple[Payment, PaymentOperation, bool] | None:
    """Under the payment's lock: the operation to make, written pending if it is new,
    and whether it was pending already (a call may have been made under its key)."""
    with uow:
        payment = card_of(uow.payments.of_order(order_id, for_update=True))
        if payment is None:
            return None
        ops = uow.payments.operations(payment.id)
        op = plan(payment, ops)
        if op is None:
            return None
        resumed = any(kept.key == op.key for kept in ops)
        if not resumed:
            uow.payments.begin(op, payment.currency)
            uow.commit()
    return payment, op, resumed


def _asked(gateway: PaymentGateway, key: str) -> GatewayAnswer | None:
    """What the gateway did under `key`; None if nothing (a failure does nothing)."""
    answer = gateway.lookup(key)
    return None if answer is None or answer.outcome is Outcome.FAILED else answer


def _to_give_up(op: PaymentOperation, payment: Payment, now: datetime, may_call: bool) -> bool:
    if given_up(op, payment, now):
        return True
    return not may_call and now - op.created_at >= GRACE


def _give_up(
    uow: OrchestrationWork, order_id: str, op: PaymentOperation, now: datetime
) -> PaymentOperation:
    """Given up, unless another worker recorded an answer first (the plan sees it)."""
    abandoned = op.abandoned()
    with uow:
        payment = card_of(uow.payments.of_order(order_id, for_update=True))
        assert payment is not None
        uow.payments.complete(abandoned, payment.currency, now)
        uow.commit()
    return abandoned


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
    uow: OrchestrationWork,
    order_id: str,
    op: PaymentOperation,
    answer: GatewayAnswer,
    now: datetime,
) -> PaymentOperation:
    """The answer kept on the operation and its effect on the payment, told as the
    order's event, in one transaction, once (another worker may have first). A capture
    declined (the goods left) holds the order for someone to settle with the
    customer; an authorisation coming to a cancelled order is voided after."""
    answered = op.answered(answer)
    with uow:
        order = uow.orders.get(order_id, for_update=True)
        payments = uow.payments.of_order(order_id, for_update=True)
        payment = card_of(payments)
        assert order is not None and payment is not None
        ops = uow.payments.operations(payment.id)
        if not uow.payments.complete(answered, payment.currency, now):
            return answered  # another worker recorded the same answer first
        changed = replace(recorded(payment, ops, answered, answer), updated_at=now)
        uow.payments.save(changed)
        if op.kind is OperationKind.REFUND:
            _credit_once_made(uow, order, payments, now, answered)
        order.acting = "gateway"
        event = EVENTS[op.kind][0 if answered.approved else 1]
        order.record(event, now, {"payment": payment_event(changed, answered)})
        if event == "payment.capture_declined":
            advancing.hold(order, PAYMENT_HOLD, changed.message or event, "gateway", now)
        if op.kind is OperationKind.AUTHORISE and order.status is OrderStatus.CANCELLED:
            uow.jobs.add(settle_job(order.id, now), now)
        uow.orders.save(order)
        uow.commit()
    return answered


def _credit_once_made(
    uow: OrchestrationWork,
    order: Order,
    payments: list[Payment],
    now: datetime,
    answered: PaymentOperation,
) -> None:
    """The refund's credit note, once every part of it (each tender's; a card's
    answered by the gateway) is: for what it refunded (none when it refunded
    nothing), saying which tenders took it back."""
    credit_when_answered(uow, order, payments, refund_of(answered), now, answered)


def credit_when_answered(
    uow: OrchestrationWork,
    order: Order,
    payments: list[Payment],
    refund_id: str,
    now: datetime,
    answered: PaymentOperation | None = None,
) -> None:
    """In the caller's transaction: the refund's credit note, if none of its parts
    waits for the gateway (`answered`: the part just answered, not yet read back)."""
    took: list[PaidWith] = []
    for payment in payments:
        parts = [
            answered if answered is not None and op.key == answered.key else op
            for op in uow.payments.operations(payment.id)
            if op.kind is OperationKind.REFUND and refund_of(op) == refund_id
        ]
        if any(op.pending for op in parts):
            return
        done = sum((op.done for op in parts), Decimal(0))
        if done:
            took.append(PaidWith(str(payment.method), shown_reference(payment), done))
    refunded = sum((t.amount for t in took), Decimal(0))
    credit_refund(uow, order, refund_id, refunded, now, tuple(took))


def refund_of(op: PaymentOperation) -> str:
    """The refund a refund's operation is part of (its key: `<refund id>:<n>`)."""
    return op.key.rsplit(":", 1)[0]
