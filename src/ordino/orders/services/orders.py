"""Order use cases: cancel, read, list (capture is `ordino.orders.services.capture`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from ordino.kernel.domain import InvalidInput, NotFound, is_id, settle_job
from ordino.kernel.services import with_retries
from ordino.network.domain import known_channel
from ordino.network.services import channels_of
from ordino.orders.domain.commands import (
    OrderQuery,
)
from ordino.orders.domain.orders import EVERY_ORDER, Order, OrderScope
from ordino.orders.domain.status import OrderStatus
from ordino.orders.services.answers import order_view
from ordino.orders.services.ports import OrdersWork
from ordino.payments.domain import Payment, payment_document

Guard = Callable[[OrdersWork, Order], None]  # raises when the change is not allowed


def _anything(_uow: OrdersWork, _order: Order) -> None:
    return None


def cancel_order(
    order_id: str,
    uow: OrdersWork,
    now: datetime,
    reason: str | None = None,
    scope: OrderScope = EVERY_ORDER,
    guard: Guard = _anything,
) -> dict[str, Any]:
    """Cancel and release every reservation; cancelling a cancelled order changes nothing.

    An order outside `scope` (the caller's channel or store) is not found; `guard`
    refuses (raises) on the order as read under its lock (a customer's policy)."""
    return with_retries(lambda _: _cancel_once(order_id, uow, now, reason, scope, guard))


def _cancel_once(
    order_id: str,
    uow: OrdersWork,
    now: datetime,
    reason: str | None,
    scope: OrderScope,
    guard: Guard,
) -> dict[str, Any]:
    with uow:
        order = existing_order(uow, order_id, scope, for_update=True)
        guard(uow, order)
        if order.cancel(now, reason):
            uow.orders.save(order)  # first: a concurrent cancel loses here
            give_back(uow, order)  # before the stock: capture takes them in that order
            uow.inventory.release(order.id, now)
            uow.jobs.add(settle_job(order.id, now), now)
            uow.commit()
        return with_payments(order, uow.payments.of_order(order.id))


def give_back(uow: OrdersWork, order: Order, *, capacity: bool = True) -> None:
    """What an order took at capture beside its stock, given back once all of it is
    cancelled: the capacity its promise took (`capacity` false: it was used, as by a
    pickup not collected), the uses of its promotions' limits. Before its stock is
    let go: capture takes them before its stock, and two orders' transactions must
    not wait on each other's rows in a circle."""
    if order.status is not OrderStatus.CANCELLED:
        return
    if capacity and order.promise is not None:
        uow.capacity.give_back(order.promise.capacity)
    uow.promotion_uses.give_back(order.id)


def get_order(order_id: str, uow: OrdersWork, scope: OrderScope = EVERY_ORDER) -> dict[str, Any]:
    """The order, with its tenders."""
    with uow:
        order = existing_order(uow, order_id, scope)
        payments = uow.payments.of_order(order_id)
    return with_payments(order, payments)


def with_payments(order: Order, payments: Sequence[Payment]) -> dict[str, Any]:
    """The order's answer: the order and how it is paid, tender by tender."""
    return order_view(order) | {"tenders": [payment_document(p) for p in payments]}


def list_orders(
    query: OrderQuery, limit: int, uow: OrdersWork
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of orders, newest first, and the cursor of the next page (None at the end).
    A channel named is a known one; a cursor is an order's id (a page's `next_cursor`)."""
    if query.before_id is not None and not is_id(query.before_id):
        raise InvalidInput.of("cursor", "not a cursor: give the next_cursor of a page")
    with uow:
        if query.channel is not None:
            known_channel(channels_of(uow), query.channel)
        found = uow.orders.find(query, limit + 1)
    page = found[:limit]
    cursor = page[-1].id if len(found) > limit else None
    return [order_view(order) for order in page], cursor


def existing_order(
    uow: OrdersWork, order_id: str, scope: OrderScope = EVERY_ORDER, *, for_update: bool = False
) -> Order:
    """The order, or NotFound: an order outside `scope` is not found, not forbidden, so
    a scoped key learns nothing of other channels' or stores' orders."""
    order = uow.orders.get(order_id, for_update=for_update)
    if order is None or not scope.admits(order):
        raise NotFound(f"no order {order_id}", extra={"order_id": order_id})
    order.acting = scope.actor
    return order
