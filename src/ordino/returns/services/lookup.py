"""A return and its order, as every use case reads them: the order locked first
(its lines count what is being returned), the return read again under the lock;
either not found for a caller who may not see them."""

from __future__ import annotations

from ordino.kernel.domain import NotFound
from ordino.orders.domain import EVERY_ORDER, Order, OrderScope
from ordino.returns.domain import ReturnAuthorization, visible_to
from ordino.returns.services.ports import ReturnsWork


def locked_return(
    uow: ReturnsWork, return_id: str, scope: OrderScope = EVERY_ORDER
) -> tuple[Order, ReturnAuthorization]:
    """The return's order, locked, and the return read again under the lock."""
    found = found_return(uow.returns.get(return_id), return_id)
    order = order_of(uow, found, scope, for_update=True)
    return order, found_return(uow.returns.get(return_id), return_id)


def order_of(
    uow: ReturnsWork, ra: ReturnAuthorization, scope: OrderScope, *, for_update: bool = False
) -> Order:
    """The return's order, or NotFound (of the return) when the caller may not see it."""
    order = uow.orders.get(ra.order_id, for_update=for_update)
    if order is None or not visible_to(scope, order, ra):
        raise missing_return(ra.id)
    order.acting = scope.actor
    return order


def found_return(ra: ReturnAuthorization | None, return_id: str) -> ReturnAuthorization:
    if ra is None:
        raise missing_return(return_id)
    return ra


def missing_return(return_id: str) -> NotFound:
    return NotFound(f"no return {return_id}", extra={"return_id": return_id})
