"""The console's order pages: find orders, an order's page and what the role may do
to it. Every action goes through the same use cases as the API, so it lands on the
order's timeline as the signed-in person (`user:<name>`, `key:<id>`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ordino.console.rendering import render
from ordino.console.session import Posted, Principal, allowed, csrf_token, done_once, once_token
from ordino.inventory.domain import Source
from ordino.kernel.domain import InvalidInput, OrdinoError, Permission
from ordino.orchestration.services import (
    HoldAction,
    cancel_from_hold,
    cancel_units,
    get_bill,
    release_hold,
)
from ordino.orders.domain import OrderQuery, OrderScope, OrderStatus, scope_of
from ordino.orders.services import list_orders
from ordino.returns.services import Appease, appease
from ordino.servicing.services import notes, self_service

router = APIRouter(prefix="/console", include_in_schema=False)


PAGE = 25


@router.get("/orders")
def order_list(request: Request) -> Response:
    who = allowed(request, Permission.ORDERS_READ)
    filters = _filters(request)
    query, problems = _query(filters, who)
    found: list[dict[str, Any]] = []
    cursor = None
    if not problems:
        query = replace(query, before_id=request.query_params.get("before") or None)
        try:
            found, cursor = list_orders(query, PAGE, request.app.state.uow())
        except InvalidInput as error:  # an unknown channel, a cursor not of a page
            problems = [{"cursor": "before"}.get(e.field, e.field) for e in error.errors]
    context = {
        "who": who,
        "csrf": csrf_token(request),
        "filters": filters,
        "problems": problems,
        "orders": found,
        "cursor": cursor,
        "statuses": [str(s) for s in OrderStatus],
    }
    return render(request, "console/orders.html", context, 422 if problems else 200)


@router.get("/orders/{order_id}")
def show_order(request: Request, order_id: str) -> Response:
    return order_page(request, order_id, allowed(request, Permission.ORDERS_READ))


@router.get("/invoices/{bill_id}")
def bill_page(request: Request, bill_id: str) -> Response:
    """An invoice or credit note as it prints: the seller, the buyer, each line with
    its tax, the tax by rate and the totals."""
    who = allowed(request, Permission.ORDERS_READ)
    try:
        bill = get_bill(bill_id, request.app.state.uow(), _orders(who))
    except OrdinoError as error:
        return render(request, "console/missing.html", {"who": who, "detail": str(error)}, 404)
    context = {"who": who, "csrf": csrf_token(request), "bill": bill, "section": "orders"}
    return render(request, "console/invoice.html", context)


@router.post("/orders/{order_id}/cancellations")
def cancel_lines(request: Request, order_id: str, form: Posted) -> Response:
    who = allowed(request, Permission.ORDERS_CANCEL)
    units, problem = _units(form)
    if problem is not None:
        return order_page(request, order_id, who, problem)
    reason = str(form.get("reason") or "")[:200] or None
    source, uow = Source(who.actor, request.app.state.clock(), reason), request.app.state.uow
    return acting(
        request,
        order_id,
        who,
        lambda: cancel_units(order_id, units, uow(), source, _orders(who)),
    )


@router.post("/orders/{order_id}/holds/{hold_id}/{action}")
def act_on_hold(
    request: Request, order_id: str, hold_id: str, action: str, form: Posted
) -> Response:
    who = allowed(request, Permission.HOLDS_MANAGE)
    act = {"release": release_hold, "cancel": cancel_from_hold}.get(action)
    if act is None:
        return order_page(request, order_id, who, f"no such action on a hold: {action}")
    note = str(form.get("note") or "")[:200] or None
    hold = HoldAction(order_id, hold_id, who.actor, note)
    state = request.app.state
    return acting(
        request,
        order_id,
        who,
        lambda: act(hold, state.uow(), state.clock(), _orders(who)),
    )


@router.post("/orders/{order_id}/appeasements")
def give_appeasement(request: Request, order_id: str, form: Posted) -> Response:
    """A goodwill refund without a return, within the role's limit on the order; done
    once per form drawn, however often it is sent."""
    who = allowed(request, Permission.PAYMENTS_REFUND)
    reason = str(form.get("reason") or "").strip()[:500]
    if not reason:
        return order_page(request, order_id, who, "reason: say why the customer is given it")
    cmd = Appease(
        order_id,
        str(form.get("amount") or "").strip()[:40],
        str(form.get("currency") or "").strip()[:3],
        reason,
        str(who.role),
    )
    state, once = request.app.state, done_once(who.id, form, request.url.path)
    return acting(
        request,
        order_id,
        who,
        lambda: appease(cmd, state.uow(), state.clock(), _orders(who), once),
    )


def acting(request: Request, order_id: str, who: Principal, action: Any) -> Response:
    """Do it, then show the order again (after a redirect); a refusal is shown on the
    order's page, and changed nothing."""
    try:
        action()
    except OrdinoError as error:
        return order_page(request, order_id, who, str(error))
    return RedirectResponse(f"/console/orders/{order_id}?done=1", status_code=303)


def order_page(
    request: Request, order_id: str, who: Principal, problem: str | None = None
) -> Response:
    try:
        found = notes.order_file(order_id, request.app.state.uow(), _orders(who))
    except OrdinoError as error:
        return render(request, "console/missing.html", {"who": who, "detail": str(error)}, 404)
    context = found | {
        "who": who,
        "csrf": csrf_token(request),
        "problem": problem,
        "done": request.query_params.get("done") == "1" and problem is None,
        "may_cancel": who.may(Permission.ORDERS_CANCEL),
        "may_hold": who.may(Permission.HOLDS_MANAGE),
        "may_service": who.may(Permission.ORDERS_SERVICE),
        "may_appease": who.may(Permission.PAYMENTS_REFUND),
        "may_see_returns": who.may(Permission.RETURNS_MANAGE),
        "once": once_token(),
        "link": _customer_link(request, order_id, who),
        "charges": [_charge_row(charge) for charge in found["order"]["charges"]],
    }
    return render(request, "console/order.html", context, 200 if problem is None else 422)


def _charge_row(charge: dict[str, Any]) -> dict[str, Any]:
    """A charge as the order's money table shows it: what was taken off and its tax."""
    tax = sum((Decimal(t["amount"]) for t in charge["taxes"]), Decimal(0))
    discount = Decimal(charge["price"]) - Decimal(charge["net"])
    return charge | {"discount": str(discount), "tax": str(tax)}


def _customer_link(request: Request, order_id: str, who: Principal) -> str | None:
    """The customer's own page, for an agent to send them."""
    if not who.may(Permission.ORDERS_SERVICE):
        return None
    state = request.app.state
    token = self_service.link_to(
        order_id, state.uow(), state.self_service, state.clock(), _orders(who)
    )
    return f"{request.base_url}my-order/{token}"


def _filters(request: Request) -> dict[str, str]:
    names = ("number", "email", "status", "channel", "location", "from", "to", "on_hold", "late")
    return {name: request.query_params.get(name, "").strip() for name in names}


def _query(filters: dict[str, str], who: Principal) -> tuple[OrderQuery, list[str]]:
    """The search as a query, and what in it is wrong (by field)."""
    problems: list[str] = []
    days: dict[str, date | None] = {}
    for name in ("from", "to"):
        try:
            days[name] = date.fromisoformat(filters[name]) if filters[name] else None
            _after(days[name])  # a day there is a next to
        except (ValueError, OverflowError):
            problems.append(name)
            days[name] = None
    status = filters["status"] or None
    if status is not None and status not in {str(s) for s in OrderStatus}:
        problems.append("status")
    query = OrderQuery(
        status=OrderStatus(status) if status and "status" not in problems else None,
        channel=who.channel or filters["channel"] or None,
        customer_email=filters["email"].lower() or None,
        created_from=_start(days.get("from")),
        created_to=_start(_after(days.get("to"))),
        location_id=who.location_id or filters["location"] or None,
        number=filters["number"] or None,
        on_hold=True if filters["on_hold"] else None,
        late=True if filters["late"] else None,
    )
    return query, problems


def _after(day: date | None) -> date | None:
    return None if day is None else day + timedelta(days=1)


def _start(day: date | None) -> datetime | None:
    return None if day is None else datetime(day.year, day.month, day.day, tzinfo=UTC)


def _units(form: Any) -> tuple[dict[int, int], str | None]:
    """line_no → units to cancel, from the form's `cancel-<line_no>` fields."""
    units: dict[int, int] = {}
    for name, value in form.multi_items():
        if not name.startswith("cancel-") or not str(value).strip():
            continue
        try:
            line_no, quantity = int(name.removeprefix("cancel-")), int(str(value))
        except ValueError:
            return {}, f"{name}: a whole number of units"
        if quantity < 0:
            return {}, f"{name}: must not be negative"
        if quantity:
            units[line_no] = quantity
    return units, None if units else "say how many units of which line to cancel"


def _orders(who: Principal) -> OrderScope:
    """The orders they may see, and their name on what they change."""
    return scope_of(who.access, who.actor)
