"""Appeasements: goodwill refunds without a return (a late parcel, a scratch the
customer keeps), with a reason, each role within its limit.

The limits are part of the return policy's refund terms
(`RefundTerms.appeasement_limits`): for each role, the share of an order's total it
may give back as goodwill on that order, all its appeasements together; an admin
without a limit may give any; another role without one, none.

Invariant: refused (`NotAllowed`, rule `appeasement_limit`) before anything changes
when the order's appeasements would pass the caller's role's limit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from ordino.kernel.domain import NotAllowed, quantize


@dataclass(frozen=True)
class Appeasement:
    refund_id: str  # the payments' refund that gives it back
    order_id: str
    amount: Decimal
    currency: str
    reason: str
    by: str  # who gave it (`key:<id>`, `user:<name>`)
    role: str
    at: datetime


def refuse_over_limit(
    role: str,
    limits: Mapping[str, Decimal],
    order_total: Decimal,
    given: Decimal,
    amount: Decimal,
    currency: str,
) -> None:
    """NotAllowed when `amount` with what was `given` before passes the role's limit."""
    share = limits.get(role)
    if share is None and role == "admin":
        return
    limit = quantize(order_total * (share or Decimal(0)), currency)
    if given + amount > limit:
        left = max(Decimal(0), limit - given)
        raise NotAllowed(
            f"a(n) {role} may give back at most {limit} {currency} as goodwill on this order: "
            f"{left} {currency} is left",
            extra={"field": "amount", "rule": "appeasement_limit", "left": str(left)},
        )


def appeasement_document(appeasement: Appeasement) -> dict[str, Any]:
    return {
        "refund_id": appeasement.refund_id,
        "order_id": appeasement.order_id,
        "amount": str(appeasement.amount),
        "currency": appeasement.currency,
        "reason": appeasement.reason,
        "by": appeasement.by,
        "role": appeasement.role,
        "at": appeasement.at.isoformat(),
    }


def appeasement_from_document(document: dict[str, Any]) -> Appeasement:
    return Appeasement(
        document["refund_id"],
        document["order_id"],
        Decimal(document["amount"]),
        document["currency"],
        document["reason"],
        document["by"],
        document["role"],
        datetime.fromisoformat(document["at"]),
    )
