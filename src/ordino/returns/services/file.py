"""What a person handling a return looks at, read at once: the return, the order it
is of (its number, customer, currency), the names of its products and of the
policy's reasons, where its lines
were routed and why, what came back at each receipt, and its refunds with what one
would give back now. The console's return page and the store's receiving page read
it; the QR image of a return's code, for a page or a scanner."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import segno

from ordino.access.domain import lookup_subjects
from ordino.access.services import attempt, succeeded
from ordino.kernel.domain import NotFound
from ordino.orders.domain import EVERY_ORDER, Order, OrderQuery, OrderScope
from ordino.returns.domain import (
    ReturnAuthorization,
    ReturnStatus,
    exchange_document,
    exchange_number,
    read_code,
    receipt_document,
    return_document,
    visible_to,
)
from ordino.returns.services.lookup import found_return, order_of
from ordino.returns.services.policy import policy_of
from ordino.returns.services.ports import ReturnsWork
from ordino.returns.services.refunds import previewed
from ordino.returns.services.returns import find_returns, order_to_return
from ordino.returns.services.routing import routings


def return_file(
    return_id: str, uow: ReturnsWork, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    with uow:
        ra = found_return(uow.returns.get(return_id), return_id)
        return _file(uow, order_of(uow, ra, scope), ra)


def return_file_by_code(
    code: str, uow: ReturnsWork, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    """The file of the return whose code a customer shows: any store may read it by
    it (to receive it), as `return_by_code` finds it."""
    plain = read_code(code)
    with uow:
        ra = None if plain is None else uow.returns.by_code(plain)
        order = None if ra is None else uow.orders.get(ra.order_id)
        if ra is None or order is None or scope.channel not in (None, order.channel):
            raise NotFound(f"no return of code {code}", extra={"code": code})
        order.acting = scope.actor
        return _file(uow, order, ra)


def _file(uow: ReturnsWork, order: Order, ra: ReturnAuthorization) -> dict[str, Any]:
    customer = order.customer
    refund = previewed(uow, order, ra)
    for given in refund["refunds"]:  # what the policy kept of it, in one figure
        kept = Decimal(given["restocking_fees"]) + Decimal(given["return_shipping_fee"])
        given["kept"] = str(kept)
    return {
        "return": return_document(ra),
        "order": {
            "id": order.id,
            "number": order.external_id,
            "channel": order.channel,
            "currency": order.currency,
            "customer_name": customer.name,
            "customer_email": customer.email,
        },
        "names": uow.catalog.names(line.sku for line in ra.lines),
        "reasons": {reason.code: reason.label for reason in policy_of(uow).reasons},
        "routing": routings(ra.id, uow),
        "receipts": [receipt_document(r) for r in uow.returns.receipts(ra.id)],
        "refund": refund,
        "refunded": str(sum((Decimal(r["amount"]) for r in refund["refunds"]), Decimal(0))),
        "exchanges": [
            exchange_document(e) | {"number": exchange_number(ra.code, e.seq)}
            for e in uow.returns.exchanges(ra.id)
        ],
    }


def return_queue(
    uow: ReturnsWork,
    statuses: list[ReturnStatus],
    limit: int,
    before: str | None = None,
    scope: OrderScope = EVERY_ORDER,
) -> dict[str, Any]:
    """`find_returns`' page, with the number of each return's order (how people know
    an order)."""
    found = find_returns(uow, statuses, limit, before, scope)
    with uow:
        numbers = uow.orders.numbers([item["order_id"] for item in found["items"]])
    return found | {"numbers": numbers}


def returns_of_order_number(
    number: str,
    email: str | None,
    uow: ReturnsWork,
    now: datetime,
    scope: OrderScope = EVERY_ORDER,
    address: str | None = None,
) -> dict[str, Any]:
    """The returns of the order of that number (as its channel and customer know it),
    newest first: those the caller may see; with the customer's e-mail too, every
    one of the order's (the customer at a store's counter says both, as on their
    page), and the order's lines they may still return (`orders`: to start one
    there); the guessing of pairs limited as the customer's own lookup is (per
    number, e-mail and the client's `address`: TooManyAttempts)."""
    email = (email or "").strip().lower() or None
    subjects = [] if email is None else lookup_subjects(number, email, address)
    if subjects:
        attempt(subjects, uow, now, "find this order")
    query = OrderQuery(external_id=number.strip(), customer_email=email)
    with uow:
        found: list[dict[str, Any]] = []
        orders: list[dict[str, Any]] = []
        for order in uow.orders.find(query, 20):
            if scope.channel not in (None, order.channel) or order.customer.erased:
                continue
            for ra in reversed(uow.returns.of_order(order.id)):
                if email is not None or visible_to(scope, order, ra):
                    found.append(return_document(ra) | {"order_number": order.external_id})
            if email is not None:
                orders.append(_returnable(uow, order))
    if (found or orders) and subjects:
        succeeded(subjects, uow)
    return {"returns": found, "orders": orders}


def _returnable(uow: ReturnsWork, order: Order) -> dict[str, Any]:
    names = uow.catalog.names(line.sku for line in order.lines)
    lines = [
        {"line_no": line.line_no, "sku": line.sku, "name": names.get(line.sku), "returnable": n}
        for line in order.lines
        if (n := order.returnable(line.line_no)) > 0
    ]
    return {"id": order.id, "number": order.external_id, "lines": lines}


def counter_return(
    order_id: str, email: str, uow: ReturnsWork, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    """What a store's counter may start a return of: the order (whose customer has
    that e-mail) with the lines they may still return, and the policy's reasons."""
    with uow:
        order = order_to_return(uow, order_id, scope, email, for_update=False)
        reasons = [{"code": r.code, "label": r.label} for r in policy_of(uow).reasons]
        return _returnable(uow, order) | {"reasons": reasons}


def code_image(code: str) -> str:
    """A return code as a QR image in SVG (segno), for a scanner at the counter."""
    return segno.make(code, error="m", micro=False).svg_inline(scale=6, border=2, title=code)
