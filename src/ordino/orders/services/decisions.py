"""An order's sourcing decisions, each with its explanation, as the order's
answers show them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ordino.kernel.domain import NotFound
from ordino.orders.domain.orders import EVERY_ORDER, OrderScope
from ordino.orders.services.ports import OrdersWork
from ordino.sourcing.domain import SourcingRecord


def get_sourcing(order_id: str, uow: OrdersWork, scope: OrderScope = EVERY_ORDER) -> dict[str, Any]:
    """Every sourcing decision of the order, the first (at capture) first."""
    with uow:
        order = uow.orders.get(order_id)
        if order is None or not scope.admits(order):
            raise NotFound(f"no order {order_id}", extra={"order_id": order_id})
        records = uow.sourcing.of_order(order_id)
    return {"order_id": order_id, "decisions": decisions_view(records)}


def decisions_view(records: Sequence[tuple[int, datetime, SourcingRecord]]) -> list[dict[str, Any]]:
    return [
        {"seq": n, "reason": record.reason, "decided_at": at.isoformat(), **record.explanation}
        for n, at, record in records
    ]
