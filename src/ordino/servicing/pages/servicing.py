"""Customer service's actions on an order's page, besides cancelling and holds: a
note, the customer's last notification sent again, a reroute away from a location
(the units sourced again without it), another delivery address, collection at a
store near the customer. Each lands on the timeline. The address and the store go
through the customer's own use cases (`self_service_changes`), for the agent: the
self-service policy does not bind them, the order's state does (before release)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ordino.console.rendering import render
from ordino.console.session import CHECKED, Posted, Principal, allowed, csrf_token
from ordino.kernel.domain import OrdinoError, Permission
from ordino.orchestration.services import REJECTION_REASONS, Rejection, reject_allocation
from ordino.servicing.pages import forms
from ordino.servicing.pages.orders import _orders, acting, order_page
from ordino.servicing.services import changes as self_service_changes
from ordino.servicing.services import notes as servicing

router = APIRouter(prefix="/console/orders", include_in_schema=False)


@router.post("/{order_id}/notes")
def add_note(request: Request, order_id: str, form: Posted) -> Response:
    who = allowed(request, Permission.ORDERS_SERVICE)
    state, note = request.app.state, str(form.get("note") or "")
    return acting(
        request,
        order_id,
        who,
        lambda: servicing.add_note(order_id, note, state.uow(), state.clock(), _orders(who)),
    )


@router.post("/{order_id}/notifications", dependencies=[CHECKED])
def resend(request: Request, order_id: str) -> Response:
    who = allowed(request, Permission.ORDERS_SERVICE)
    state = request.app.state
    return acting(
        request,
        order_id,
        who,
        lambda: servicing.resend_notification(order_id, state.uow(), state.clock(), _orders(who)),
    )


@router.post("/{order_id}/reroute")
def reroute(request: Request, order_id: str, form: Posted) -> Response:
    who = allowed(request, Permission.ORDERS_SERVICE)
    location_id = str(form.get("location_id") or "")
    reason = str(form.get("reason") or "other")[:32]
    if not location_id or reason not in REJECTION_REASONS:
        return order_page(request, order_id, who, "say which location, and why")
    state = request.app.state
    rejection = Rejection(order_id, location_id, reason)
    return acting(
        request,
        order_id,
        who,
        lambda: reject_allocation(
            rejection, state.uow(), state.capture, state.clock(), _orders(who)
        ),
    )


def _asking(who: Principal) -> self_service_changes.Asking:
    return self_service_changes.Asking(_orders(who), by_policy=False)


@router.post("/{order_id}/address")
def change_address(request: Request, order_id: str, form: Posted) -> Response:
    who = allowed(request, Permission.ORDERS_SERVICE)
    given = forms.address(form)
    if given is None:
        problem = "the address needs a street, postal code, city and a country code"
        return order_page(request, order_id, who, problem)
    state = request.app.state
    return acting(
        request,
        order_id,
        who,
        lambda: self_service_changes.move_delivery(
            order_id, (given, None), state.uow(), state.self_service, state.clock(), _asking(who)
        ),
    )


@router.get("/{order_id}/pickup")
def pickup_stores(request: Request, order_id: str) -> Response:
    who = allowed(request, Permission.ORDERS_SERVICE)
    state = request.app.state
    try:
        found = self_service_changes.stores_for(
            order_id, state.uow(), state.self_service, state.clock(), _asking(who)
        )
    except OrdinoError as error:
        return order_page(request, order_id, who, str(error))
    context = {"who": who, "csrf": csrf_token(request), "order_id": order_id}
    return render(request, "console/pickup.html", context | found)


@router.post("/{order_id}/pickup")
def collect_at(request: Request, order_id: str, form: Posted) -> Response:
    who = allowed(request, Permission.ORDERS_SERVICE)
    state, store_id = request.app.state, str(form.get("store_id") or "")
    return acting(
        request,
        order_id,
        who,
        lambda: self_service_changes.move_collection(
            order_id, store_id, state.uow(), state.self_service, state.clock(), _asking(who)
        ),
    )
