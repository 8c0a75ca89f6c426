"""The store associate's view, made for a phone: the store's fulfilment queue (to
accept, to pick, to hand over or ship, parcels arriving from a warehouse, ready for
pickup; late ones marked; each only where its next step is this location's word) and
the steps they take on it: accept, reject with a reason, picked, ready for pickup (a
parcel that arrived too), handed over (only with the customer's pickup code), not
collected (asked first, as a rejection is), shipped. Each goes through the
fulfilment services, as the API's calls do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ordino.console.rendering import render
from ordino.console.session import Posted, Principal, allowed, csrf_token
from ordino.inventory.domain import Source
from ordino.kernel.domain import InvalidInput, NotFound, OrdinoError, Permission
from ordino.network.services import get_location
from ordino.orchestration.services import fulfillment, timers
from ordino.orchestration.services.ports import OrchestrationWork
from ordino.orders.domain import FulfillmentStatus, OrderScope, Shipment, scope_of

router = APIRouter(prefix="/console/store", include_in_schema=False)
REASONS = ("not-found", "damaged", "no-capacity", "other")
SECTIONS = (
    ("to_accept", (FulfillmentStatus.RELEASED,)),
    ("to_pick", (FulfillmentStatus.ACCEPTED,)),
    ("to_finish", (FulfillmentStatus.PICKED, FulfillmentStatus.PACKED)),
    ("arriving", (FulfillmentStatus.SHIPPED,)),  # shipped here from elsewhere, to collect
    ("ready", (FulfillmentStatus.READY,)),
)
# Steps that cannot be taken back, each asked on a page of its own first.
CONFIRMED_FIRST = {
    "reject": "console/store_reject.html",
    "not-collected": "console/store_not_collected.html",
}
Step = Callable[[str, Any, Source, Principal, Request], dict[str, Any]]


@router.get("")
def queue(request: Request, location: str = "") -> Response:
    who = allowed(request, Permission.ORDERS_READ)
    location_id = who.location_id or location
    if not location_id:
        context = {"who": who, "csrf": csrf_token(request)}
        return render(request, "console/store_pick.html", context)
    return _queue(request, who, location_id)


@router.post("/fulfillments/{fulfillment_id}/{action}")
def act(request: Request, fulfillment_id: str, action: str, form: Posted) -> Response:
    who = allowed(request, Permission.FULFILLMENT_WRITE)
    location_id = who.location_id or str(form.get("location") or "")
    step = STEPS.get(action)
    if step is None:
        return _queue(request, who, location_id, f"no such step: {action}")
    source = Source(who.actor, request.app.state.clock(), None)
    try:
        if action in CONFIRMED_FIRST and form.get("confirmed") != "1":
            return _confirm(request, who, location_id, fulfillment_id, action, form)
        step(fulfillment_id, form, source, who, request)
    except OrdinoError as error:
        return _queue(request, who, location_id, str(error))
    return RedirectResponse(f"/console/store?location={location_id}&done=1", status_code=303)


def _queue(
    request: Request, who: Principal, location_id: str, problem: str | None = None
) -> Response:
    uow = request.app.state.uow
    late = {
        b["fulfillment_id"]
        for b in timers.exceptions(uow(), 500)["breaches"]
        if b["location_id"] == location_id
    }
    sections = {
        name: fulfillment.location_queue(
            location_id, statuses, 100, uow(), _orders(who), work_only=True
        )
        for name, statuses in SECTIONS
    }
    context = {
        "who": who,
        "csrf": csrf_token(request),
        "location_id": location_id,
        "location_name": _name_of(location_id, uow()),
        "sections": sections,
        "late": late,
        "reasons": REASONS,
        "problem": problem,
        "done": request.query_params.get("done") == "1" and problem is None,
        "may_act": who.may(Permission.FULFILLMENT_WRITE),
        "may_receive": who.may(Permission.RETURNS_RECEIVE),
    }
    return render(request, "console/store.html", context, 200 if problem is None else 422)


def _name_of(location_id: str, uow: OrchestrationWork) -> str | None:
    try:
        return str(get_location(location_id, uow)["name"])
    except NotFound:
        return None


def _confirm(
    request: Request,
    who: Principal,
    location_id: str,
    fulfillment_id: str,
    action: str,
    form: Any,
) -> Response:
    """A rejection, or a parcel not collected (cancelled, back on the shelf), cannot
    be taken back: the page asks first (no script needed), then the same form comes
    again with `confirmed`. Nothing is done until then."""
    reason = _reason(form) if action == "reject" else None
    fo = fulfillment.get_fulfillment(fulfillment_id, request.app.state.uow(), _orders(who))
    context = {
        "who": who,
        "csrf": csrf_token(request),
        "location_id": location_id,
        "fo": fo,
        "reason": reason,
    }
    return render(request, CONFIRMED_FIRST[action], context)


def _reason(form: Any) -> str:
    reason = str(form.get("reason") or "")
    if reason not in REASONS:
        raise InvalidInput.of("reason", f"one of {', '.join(REASONS)}")
    return reason


def _accept(fo: str, _form: Any, source: Source, who: Principal, request: Request) -> Any:
    state = request.app.state
    return fulfillment.accept(fo, None, state.uow(), state.capture, source, _orders(who))


def _reject(fo: str, form: Any, source: Source, who: Principal, request: Request) -> Any:
    reason = _reason(form)
    state = request.app.state
    why = Source(source.actor, source.now, reason)
    return fulfillment.reject(fo, reason, state.uow(), state.capture, why, _orders(who))


def _picked(fo: str, _form: Any, source: Source, who: Principal, request: Request) -> Any:
    uow = request.app.state.uow()
    return fulfillment.progress(fo, FulfillmentStatus.PICKED, uow, source, _orders(who))


def _ready(fo: str, _form: Any, source: Source, who: Principal, request: Request) -> Any:
    return fulfillment.ready(fo, request.app.state.uow(), source, _orders(who))


def _handed_over(fo: str, form: Any, source: Source, who: Principal, request: Request) -> Any:
    code = str(form.get("code") or "").strip()
    return fulfillment.pick_up(fo, code, request.app.state.uow(), source, _orders(who))


def _not_collected(fo: str, _form: Any, source: Source, who: Principal, request: Request) -> Any:
    return fulfillment.not_collected(fo, request.app.state.uow(), source, _orders(who))


def _shipped(fo: str, form: Any, source: Source, who: Principal, request: Request) -> Any:
    carrier = str(form.get("carrier") or "").strip()
    tracking = str(form.get("tracking_number") or "").strip()
    if not carrier or not tracking:
        raise InvalidInput.of("tracking_number", "the carrier and tracking number are needed")
    parcel = Shipment(carrier, tracking)
    return fulfillment.ship(fo, parcel, request.app.state.uow(), source, _orders(who))


STEPS: dict[str, Step] = {
    "accept": _accept,
    "reject": _reject,
    "picked": _picked,
    "ready": _ready,
    "picked-up": _handed_over,
    "not-collected": _not_collected,
    "shipped": _shipped,
}


def _orders(who: Principal) -> OrderScope:
    """The orders they may see, and their name on what they change."""
    return scope_of(who.access, who.actor)
