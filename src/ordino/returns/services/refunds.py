"""Refunds of returns: what is due (the units received since the last refund; with
refunds on drop-off, those a carrier or a store has; those the customer keeps, for
a returnless return), previewed, and given back over the order's tenders as any
refund is (`ordino.orchestration.services.give_back`: a card's part made by the
worker through the gateway under its keys, the others at once), kept by line.

Refunds follow the policy by themselves (at receipt, or drop-off, or authorisation
for a returnless return) in the transaction of what made them due, when the order's
tenders can give back now; otherwise an agent asks (`refund_return`).

Invariants:
  * under the order's lock: the units a refund gives back are counted once (the
    return refunds what it has not refunded), and never more than the tenders may
    still give back;
  * a refund asked under an Idempotency-Key is asked once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from ordino.kernel.domain import Conflict, IdempotencyKey, OverRefund, new_id
from ordino.kernel.services import Answer, remember, replay, with_retries
from ordino.orchestration.services import (
    GiveBack,
    give_as_store_credit,
    give_back,
    refund_of,
    refundable_of,
)
from ordino.orders.domain import EVERY_ORDER, Order, OrderScope
from ordino.payments.domain import OperationKind, Outcome, Payment, PaymentOperation
from ordino.returns.domain import (
    Exchange,
    ExchangedUnits,
    ExchangeMode,
    ExchangeStatus,
    RefundOn,
    RefundPreview,
    RefundQuestion,
    RefundTo,
    ReturnAuthorization,
    ReturnPolicy,
    ReturnRefund,
    ReturnStatus,
    close,
    exchange_document,
    preview_document,
    record_event,
    refund_document,
    to_exchange,
)
from ordino.returns.engine import credit_basis, preview_refund, refund_question, units_due
from ordino.returns.services.lookup import found_return, locked_return, order_of
from ordino.returns.services.policy import policy_of
from ordino.returns.services.ports import ReturnsWork

# Why Ordino closed a return (its `reason`; the pages say them in the reader's words).
REFUNDED = "refunded"
NOTHING_CAME_BACK = "nothing came back to refund"
FEES_KEEP_IT_ALL = "nothing to refund: the policy's fees keep it all"


def question_for(
    uow: ReturnsWork,
    order: Order,
    ra: ReturnAuthorization,
    policy: ReturnPolicy,
    payments: list[Payment],
    waiting: Mapping[int, int] | None = None,
) -> RefundQuestion:
    """After the refunds of the order's returns that gave something back or may still
    (one the gateway declined, or Ordino gave up, in every part: its units are owed
    again); less the units `waiting` for an exchange (`held`)."""
    earlier = given_refunds(uow, order.id, payments)
    refundable = sum(refundable_of(uow, order, payments), Decimal(0))
    question = refund_question(ra, earlier, policy, refundable)
    if not waiting:
        return question
    units = {no: n - waiting.get(no, 0) for no, n in question.units.items()}
    return replace(question, units={no: n for no, n in units.items() if n > 0})


def held(uow: ReturnsWork, ra: ReturnAuthorization, policy: ReturnPolicy) -> dict[int, int]:
    """Units of each line a regular exchange waits to take, back and not exchanged
    yet: not refunded as money (those of an exchange refused are)."""
    if ra.exchange_mode != ExchangeMode.REGULAR:
        return {}
    lines = [(line.line_no, line.exchange_sku) for line in ra.lines]
    return to_exchange(lines, back(ra, policy), uow.returns.exchanges(ra.id))


def _waiting(
    uow: ReturnsWork,
    order: Order,
    ra: ReturnAuthorization,
    policy: ReturnPolicy,
    now: datetime,
    *,
    asked: bool,
) -> dict[int, int]:
    """The units an exchange waits to take (`held`); asked by a person, none: the
    exchange waiting is given up (refused, told) and they are refunded as money — the
    way out when it cannot be placed (a job that keeps failing)."""
    waiting = held(uow, ra, policy)
    if not waiting or not asked:
        return waiting
    units = tuple(
        ExchangedUnits(no, str(ra.line(no).exchange_sku), n) for no, n in sorted(waiting.items())
    )
    seq = len(uow.returns.exchanges(ra.id)) + 1
    mode = ExchangeMode(str(ra.exchange_mode))
    why = "refunded as money instead, as customer service asked"
    given_up = Exchange(
        new_id(now), ra.id, seq, mode, units, ExchangeStatus.REFUSED, now, reason=why
    )
    uow.returns.put_exchange(given_up)
    details = {"exchange": exchange_document(given_up)}
    record_event(order, ra, "return.exchange_refused", now, details)
    return {}


def back(ra: ReturnAuthorization, policy: ReturnPolicy) -> dict[int, int]:
    """Units of each line the customer gave up, whatever the return's state since:
    received, kept (returnless), or, with refunds on drop-off, carried (and lost on
    the way after: what a refund on drop-off would have given back); none of a
    return not authorised, or withdrawn."""
    if ra.status in (ReturnStatus.REQUESTED, ReturnStatus.DECLINED, ReturnStatus.CANCELLED):
        return {}
    due = units_due(ra, {}, policy)
    dropped = policy.refunds.refund_on is RefundOn.DROP_OFF and ra.travelled_at is not None
    return {
        line.line_no: max(
            due.get(line.line_no, 0),
            line.back,
            line.received + line.missing if dropped else 0,
        )
        for line in ra.lines
    }


def given_refunds(
    uow: ReturnsWork, order_id: str, payments: list[Payment] | None = None
) -> list[ReturnRefund]:
    """The order's returns' refunds that gave something back or may still: not one
    the gateway declined, or Ordino gave up, in every part (its units are owed
    again)."""
    paid = uow.payments.of_order(order_id) if payments is None else payments
    failed = _gave_nothing(uow, paid)
    return [r for r in uow.returns.refunds_of_order(order_id) if r.refund_id not in failed]


def _gave_nothing(uow: ReturnsWork, payments: list[Payment]) -> set[str]:
    parts: dict[str, list[PaymentOperation]] = {}
    for payment in payments:
        for op in uow.payments.operations(payment.id):
            if op.kind is OperationKind.REFUND:
                parts.setdefault(refund_of(op), []).append(op)
    lost = (Outcome.DECLINED, Outcome.ABANDONED)
    return {refund for refund, ops in parts.items() if all(op.outcome in lost for op in ops)}


def refund_due(
    uow: ReturnsWork, order: Order, ra: ReturnAuthorization, now: datetime, *, asked: bool
) -> ReturnRefund | None:
    """In the caller's transaction: what the return owes now given back, kept and
    told (`return.refunded`); the return closed when every unit is accounted for and
    refunded. Nothing when nothing is due; asked by a person (`asked`), Conflict
    then, and OverRefund or Conflict from the tenders; asked by the policy, those
    leave the refund to a person."""
    policy = policy_of(uow)
    payments = uow.payments.of_order(order.id, for_update=True)
    waiting = _waiting(uow, order, ra, policy, now, asked=asked)  # an exchange pays them
    question = question_for(uow, order, ra, policy, payments, waiting)
    if not question.units:
        if asked:
            raise Conflict(f"return {ra.id} owes no refund now: nothing came back since")
        if not waiting:
            _close_when_settled(uow, order, ra, now)
        return None
    preview = preview_refund(order, question, policy)
    if not payments or preview.amount <= 0:
        if asked:
            raise _nothing(preview, payments)
        if ra.status is ReturnStatus.RECEIVED and payments:  # the policy keeps it all
            close(order, ra, FEES_KEEP_IT_ALL, now)
        return None
    what = GiveBack(preview.amount, f"return {ra.code}", credit_basis(order, preview))
    giving = give_as_store_credit if ra.refund_to is RefundTo.STORE_CREDIT else give_back
    try:
        document = giving(uow, order, payments, what, now)
    except (OverRefund, Conflict):
        if asked:
            raise
        return None
    refund = ReturnRefund(
        document["id"],
        ra.id,
        preview.lines,
        preview.shipping,
        preview.return_shipping_fee,
        preview.amount,
        now,
    )
    uow.returns.add_refund(order.id, refund)
    record_event(order, ra, "return.refunded", now, {"refund": refund_document(refund)})
    if (ra.status is ReturnStatus.RECEIVED or _all_kept(ra)) and not (waiting or ra.ended):
        close(order, ra, REFUNDED, now)  # (an exchange waiting closes it once placed)
    return refund


def _close_when_settled(
    uow: ReturnsWork, order: Order, ra: ReturnAuthorization, now: datetime
) -> None:
    """Nothing is owed: the return closes when every unit is accounted for (received
    or missing), or all of them are kept and were refunded (by an exchange)."""
    refunded = any(r.return_id == ra.id for r in uow.returns.refunds_of_order(order.id))
    if ra.status is ReturnStatus.RECEIVED:
        close(order, ra, REFUNDED if refunded else NOTHING_CAME_BACK, now)
    elif ra.status is ReturnStatus.AUTHORISED and refunded and _all_kept(ra):
        close(order, ra, REFUNDED, now)


def _all_kept(ra: ReturnAuthorization) -> bool:
    return all(line.route == "returnless" for line in ra.lines)


def _nothing(preview: RefundPreview, payments: list[Payment]) -> Conflict:
    if not payments:
        return OverRefund(
            "the order was paid elsewhere: nothing is refunded through Ordino",
            extra={"field": "amount", "refundable": "0"},
        )
    return OverRefund(
        f"nothing to refund: the units came to {preview.total}, "
        f"{preview.refundable} may still be refunded",
        extra={"field": "amount", "refundable": str(preview.refundable)},
    )


def refund_return(
    return_id: str,
    uow: ReturnsWork,
    now: datetime,
    scope: OrderScope = EVERY_ORDER,
    idempotency: IdempotencyKey | None = None,
) -> Answer:
    """Refund what the return owes now (202 with the refund)."""
    return with_retries(lambda _: _refund_once(return_id, uow, now, scope, idempotency))


def _refund_once(
    return_id: str,
    uow: ReturnsWork,
    now: datetime,
    scope: OrderScope,
    idempotency: IdempotencyKey | None,
) -> Answer:
    with uow:
        if (earlier := replay(uow, idempotency)) is not None:
            return earlier
        order, ra = locked_return(uow, return_id, scope)
        if (earlier := replay(uow, idempotency)) is not None:  # asked meanwhile: answered
            return earlier
        refund = refund_due(uow, order, ra, now, asked=True)
        assert refund is not None  # asked: refused otherwise
        uow.returns.save(ra)
        uow.orders.save(order)
        answer = Answer(202, refund_document(refund) | {"return_id": ra.id})
        remember(uow, idempotency, answer, now, order.id)
        uow.commit()
    return answer


def refund_preview(
    return_id: str, uow: ReturnsWork, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    """What a refund of the return would give back now, and what all of it would
    once every unit on its way came back."""
    with uow:
        ra = found_return(uow.returns.get(return_id), return_id)
        return previewed(uow, order_of(uow, ra, scope), ra)


def previewed(uow: ReturnsWork, order: Order, ra: ReturnAuthorization) -> dict[str, Any]:
    """`refund_preview`'s answer, in the caller's unit of work."""
    policy = policy_of(uow)
    payments = uow.payments.of_order(order.id)
    question = question_for(uow, order, ra, policy, payments)
    refunds = [r for r in given_refunds(uow, order.id, payments) if r.return_id == ra.id]
    mine: Counter[int] = Counter()
    for refund in refunds:
        for units in refund.lines:
            mine[units.line_no] += units.count
    coming = {
        line.line_no: line.received + (0 if ra.ended else line.open) - mine[line.line_no]
        for line in ra.lines
    }
    whole = replace(question, units={no: n for no, n in coming.items() if n > 0})
    return {
        "now": preview_document(preview_refund(order, question, policy)),
        "when_all_back": preview_document(preview_refund(order, whole, policy)),
        "refunds": [refund_document(r) for r in refunds],
    }
