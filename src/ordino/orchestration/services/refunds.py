"""Refunds of an order's card payment: asked for by customer service (an
appeasement, a price corrected, a parcel lost), made by the worker
(`ordino.orchestration.services.payments.refund`).

Invariants:
- a refund never takes more than was captured less what was refunded or is being
  refunded: asking writes its gateway operations pending, under the payment's lock,
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
    IdempotencyKey,
    InvalidInput,
    OverRefund,
    new_id,
    parse_amount,
    quantize,
    refund_job,
)
from ordino.kernel.services import Answer, remember, replay, with_retries
from ordino.orchestration.services.payments import refund_of
from ordino.orchestration.services.ports import OrchestrationWork
from ordino.orders.domain import EVERY_ORDER, OrderScope
from ordino.orders.services import existing_order
from ordino.payments.domain import (
    OperationKind,
    Outcome,
    Payment,
    PaymentMethod,
    PaymentOperation,
    refund_parts,
)


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
        payment = _paid_by_card(uow.payments.of_order(order.id, for_update=True), request)
        amount = _amount(request, payment)
        refund_id = new_id(now)
        parts = refund_parts(payment.currency, uow.payments.operations(payment.id), amount)
        ops = [
            PaymentOperation(
                f"{refund_id}:{n}", payment.id, OperationKind.REFUND, part, now, authorisation=ref
            )
            for n, (ref, part) in enumerate(parts, 1)
        ]
        for op in ops:
            uow.payments.begin(op, payment.currency)
        document = refund_document(refund_id, payment.currency, ops)
        order.record(
            "payment.refund_requested", now, {"refund": document, "reason": request.reason}
        )
        uow.orders.save(order)
        uow.jobs.add(refund_job(order.id, refund_id, now), now)
        answer = Answer(202, document)
        remember(uow, idempotency, answer, now, order.id)
        uow.commit()
    return answer


def refunds(
    order_id: str, uow: OrchestrationWork, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    """The order's refunds, oldest first, each with what the gateway did of it."""
    with uow:
        order = existing_order(uow, order_id, scope)
        payment = uow.payments.of_order(order.id)
        ops = [] if payment is None else uow.payments.operations(payment.id)
    found: dict[str, list[PaymentOperation]] = {}
    for op in ops:
        if op.kind is OperationKind.REFUND:
            found.setdefault(refund_of(op), []).append(op)
    if payment is None:
        return {"items": []}
    return {"items": [refund_document(i, payment.currency, ops) for i, ops in found.items()]}


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


def _paid_by_card(payment: Payment | None, request: RefundRequest) -> Payment:
    if payment is None or payment.method is not PaymentMethod.CARD:
        nothing = str(quantize(Decimal(0), request.currency))
        raise OverRefund(
            "amount: the order was not paid by card, so nothing may be refunded through Ordino",
            extra={"field": "amount", "refundable": nothing},
        )
    return payment


def _amount(request: RefundRequest, payment: Payment) -> Decimal:
    if request.currency != payment.currency:
        raise InvalidInput.of("currency", f"the order was paid in {payment.currency}")
    try:
        amount = parse_amount(request.amount, payment.currency)
    except BadAmount as error:
        raise InvalidInput.of("amount", str(error)) from None
    if amount <= 0:
        raise InvalidInput.of("amount", "must be more than zero")
    return amount
