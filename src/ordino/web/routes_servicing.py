"""Customer service's actions on an order's page, besides cancelling and holds: a
note, the customer's last notification sent again, and a reroute away from a
location (the units sourced again without it). Each lands on the timeline."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ordino.domain.access import Permission
from ordino.services import rerouting, servicing
from ordino.web.routes_console import acting, order_page
from ordino.web.session import allowed, check_form

router = APIRouter(prefix="/console/orders", include_in_schema=False)


@router.post("/{order_id}/notes")
async def add_note(request: Request, order_id: str) -> Response:
    form = await request.form()
    check_form(request, form)
    who = allowed(request, Permission.ORDERS_SERVICE)
    state, note = request.app.state, str(form.get("note") or "")
    return acting(
        request,
        order_id,
        who,
        lambda: servicing.add_note(order_id, note, state.uow(), state.clock(), who.orders),
    )


@router.post("/{order_id}/notifications")
async def resend(request: Request, order_id: str) -> Response:
    check_form(request, await request.form())
    who = allowed(request, Permission.ORDERS_SERVICE)
    state = request.app.state
    return acting(
        request,
        order_id,
        who,
        lambda: servicing.resend_notification(order_id, state.uow(), state.clock(), who.orders),
    )


@router.post("/{order_id}/reroute")
async def reroute(request: Request, order_id: str) -> Response:
    form = await request.form()
    check_form(request, form)
    who = allowed(request, Permission.ORDERS_SERVICE)
    location_id = str(form.get("location_id") or "")
    reason = str(form.get("reason") or "other")
    if not location_id or reason not in rerouting.REJECTION_REASONS:
        return order_page(request, order_id, who, "say which location, and why")
    state = request.app.state
    rejection = rerouting.Rejection(order_id, location_id, reason)
    return acting(
        request,
        order_id,
        who,
        lambda: rerouting.reject_allocation(
            rejection, state.uow(), state.capture, state.clock(), who.orders
        ),
    )
