"""Order types as configuration: the built-in ones, as configured where they are,
and those configured anew (`ordino.orders.domain.pipelines`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from ordino.kernel.domain import ConfigurationKind, InvalidInput, NotFound
from ordino.kernel.services import ORDINO, Changed, record
from ordino.orchestration.services.ports import OrchestrationWork
from ordino.orders.domain import BUILT_IN, OrderType, order_type_document


def order_type_named(uow: OrchestrationWork, name: str) -> OrderType:
    """The configured type of that name, else the built-in one."""
    stored = uow.order_types.get(name)
    if stored is not None:
        order_type, version = stored
        return replace(order_type, version=version)
    if name in BUILT_IN:
        return BUILT_IN[name]
    raise NotFound(f"no order type {name}", extra={"type": name})


def put_order_type(
    order_type: OrderType, uow: OrchestrationWork, now: datetime, by: str = ORDINO
) -> tuple[dict[str, Any], bool]:
    """Create or replace the type (a built-in one configured: its steps as it ran
    until now are the change's `before`), the change recorded as `by`'s."""
    if problems := order_type.problems():
        raise InvalidInput("the order type cannot run", errors=problems)
    with uow:
        before = _document_of(uow, order_type.name)
        created = uow.order_types.put(order_type, now)
        saved = order_type_named(uow, order_type.name)
        what = (ConfigurationKind.ORDER_TYPE, order_type.name, saved.version)
        record(uow, what, before, order_type_document(saved), Changed(by, now))
        uow.commit()
    return order_type_view(saved), created


def _document_of(uow: OrchestrationWork, name: str) -> dict[str, Any] | None:
    try:
        return order_type_document(order_type_named(uow, name))
    except NotFound:
        return None


def list_order_types(uow: OrchestrationWork) -> list[dict[str, Any]]:
    """Every type an order may have: the built-in ones, as configured where they are,
    and those configured anew."""
    with uow:
        configured = {t.name: t for t, _ in uow.order_types.all()}
        names = sorted(set(BUILT_IN) | set(configured))
        return [order_type_view(order_type_named(uow, name)) for name in names]


def order_type_view(order_type: OrderType) -> dict[str, Any]:
    return {
        "name": order_type.name,
        **order_type_document(order_type),
        "version": order_type.version,
        "built_in": order_type.version == 0,
    }
