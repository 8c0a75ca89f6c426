"""Appeasements: goodwill refunds without a return, with a reason, given back over the
order's tenders as any refund is (a card's part by the worker), each role within
the limit the return policy gives it; kept, told (`order.appeased`), with a credit
note.

Invariants: under the order's and its payments' locks, the order's appeasements
never pass the caller's role's limit, nor the refunds what the tenders captured; an
appeasement asked under an Idempotency-Key is given once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from ordino.kernel.domain import (
    IdempotencyKey,
    OverRefund,
)
from ordino.kernel.services import Answer, remember, replay, with_retries
from ordino.orchestration.services import GiveBack, give_back, refund_amount
from ordino.orders.domain import EVERY_ORDER, OrderScope
from ordino.orders.services import existing_order
from ordino.returns.domain import (
    Appeasement,
    appeasement_document,
    refuse_over_limit,
)
from ordino.returns.services.policy import policy_of
from ordino.returns.services.ports import ReturnsWork


@dataclass(frozen=True)
class Appease:
    order_id: str
    amount: str  # as the caller wrote it, in `currency`
    currency: str
    reason: str
    role: str  # the caller's, whose limit applies


def appease(
    cmd: Appease,
    uow: ReturnsWork,
    now: datetime,
    scope: OrderScope = EVERY_ORDER,
    idempotency: IdempotencyKey | None = None,
) -> Answer:
    """Give back `amount` as goodwill (202 with the appeasement and its refund)."""
    return with_retries(lambda _: _appease_once(cmd, uow, now, scope, idempotency))


def _appease_once(
    cmd: Appease,
    uow: ReturnsWork,
    now: datetime,
    scope: OrderScope,
    idempotency: IdempotencyKey | None,
) -> Answer:
    with uow:
        if (earlier := replay(uow, idempotency)) is not None:
            return earlier
        order = existing_order(uow, cmd.order_id, scope, for_update=True)
        payments = uow.payments.of_order(order.id, for_update=True)
        if not payments:
            raise OverRefund(
                "amount: the order was paid elsewhere: nothing is refunded through Ordino",
                extra={"field": "amount", "refundable": "0"},
            )
        amount = refund_amount(cmd.amount, cmd.currency, order.currency)
        given = sum((a.amount for a in uow.returns.appeasements(order.id)), Decimal(0))
        limits = dict(policy_of(uow).refunds.appeasement_limits)
        refuse_over_limit(cmd.role, limits, order.total.amount, given, amount, order.currency)
        asked = GiveBack(amount, f"appeasement: {cmd.reason}")
        refund = give_back(uow, order, payments, asked, now)
        appeasement = Appeasement(
            refund["id"], order.id, amount, order.currency, cmd.reason, scope.actor, cmd.role, now
        )
        uow.returns.add_appeasement(appeasement)
        order.record("order.appeased", now, {"appeasement": appeasement_document(appeasement)})
        uow.orders.save(order)
        answer = Answer(202, appeasement_document(appeasement) | {"refund": refund})
        remember(uow, idempotency, answer, now, order.id)
        uow.commit()
    return answer


def order_appeasements(
    order_id: str, uow: ReturnsWork, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    with uow:
        order = existing_order(uow, order_id, scope)
        found = uow.returns.appeasements(order.id)
    return {"items": [appeasement_document(a) for a in found]}
