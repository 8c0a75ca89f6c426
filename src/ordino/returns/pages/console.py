"""Customer service's returns on the console: the queue (the returns waiting for
someone, or of any state), a return's page (its lines and where each was routed,
what came back, its refunds and what one would give back now) with what the role
may do to it (authorise, decline, mark it on its way, close, withdraw, refund), and
Every action goes through the
returns' use cases, as the API's calls do; a refund and an appeasement are done once
per form drawn (`done_once`), however often it is sent. (The appeasement's form is
on the order's page: `ordino.servicing.pages.orders`.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ordino.console.rendering import render
from ordino.console.session import Posted, Principal, allowed, csrf_token, done_once, once_token
from ordino.kernel.domain import InvalidInput, OrdinoError, Permission
from ordino.orders.domain import OrderScope, scope_of
from ordino.returns.domain import ReturnStatus
from ordino.returns.services import (
    ReturnAction,
    act_on_return,
    refund_return,
    return_file,
    return_queue,
)

router = APIRouter(prefix="/console", include_in_schema=False)
PAGE = 25
WAITING = (  # the queue's default: the returns someone still has to do something about
    ReturnStatus.REQUESTED,
    ReturnStatus.AUTHORISED,
    ReturnStatus.IN_TRANSIT,
    ReturnStatus.RECEIVED_IN_PART,
    ReturnStatus.RECEIVED,
)
# The page's buttons: the action, the permission it asks for.
ACTIONS = {
    "authorise": (ReturnAction.AUTHORISE, Permission.RETURNS_MANAGE),
    "decline": (ReturnAction.DECLINE, Permission.RETURNS_MANAGE),
    "in-transit": (ReturnAction.HAND_OVER, Permission.RETURNS_MANAGE),
    "close": (ReturnAction.CLOSE, Permission.RETURNS_MANAGE),
    "cancel": (ReturnAction.CANCEL, Permission.RETURNS_CREATE),
}


@router.get("/returns")
def queue(request: Request) -> Response:
    who = allowed(request, Permission.RETURNS_MANAGE)
    status = request.query_params.get("status", "")
    before = request.query_params.get("before") or None
    problem = None
    if status and status not in {str(s) for s in ReturnStatus}:
        problem, status = "status", ""
    statuses = [ReturnStatus(status)] if status else list(WAITING)
    uow = request.app.state.uow
    try:
        found = return_queue(uow(), statuses, PAGE, before, _orders(who))
    except InvalidInput:  # a cursor not of a page
        problem, found = "before", return_queue(uow(), statuses, PAGE, None, _orders(who))
    context = {
        "who": who,
        "csrf": csrf_token(request),
        "returns": found["items"],
        "numbers": found["numbers"],
        "cursor": found["next_cursor"],
        "status": status,
        "statuses": [str(s) for s in ReturnStatus],
        "problem": problem,
    }
    return render(request, "console/returns.html", context, 422 if problem else 200)


@router.get("/returns/{return_id}")
def return_page(request: Request, return_id: str) -> Response:
    return _page(request, return_id, allowed(request, Permission.RETURNS_MANAGE))


@router.post("/returns/{return_id}/refund")
def refund(request: Request, return_id: str, form: Posted) -> Response:
    who = allowed(request, Permission.PAYMENTS_REFUND)
    state, once = request.app.state, done_once(who.id, form, request.url.path)
    return _acting(
        request,
        return_id,
        who,
        lambda: refund_return(return_id, state.uow(), state.clock(), _orders(who), once),
    )


@router.post("/returns/{return_id}/{action}")
def act(request: Request, return_id: str, action: str, form: Posted) -> Response:
    who = allowed(request, Permission.RETURNS_MANAGE)
    if action not in ACTIONS:
        return _page(request, return_id, who, f"no such action on a return: {action}")
    what, permission = ACTIONS[action]
    who = allowed(request, permission)
    reason = str(form.get("reason") or "").strip()[:500] or None
    state = request.app.state
    return _acting(
        request,
        return_id,
        who,
        lambda: act_on_return(return_id, what, state.uow(), state.clock(), _orders(who), reason),
    )


def _acting(
    request: Request, return_id: str, who: Principal, action: Callable[[], Any]
) -> Response:
    """Do it, then show the return again (after a redirect); a refusal is shown on
    the return's page, and changed nothing."""
    try:
        action()
    except OrdinoError as error:
        return _page(request, return_id, who, str(error))
    return RedirectResponse(f"/console/returns/{return_id}?done=1", status_code=303)


def _page(request: Request, return_id: str, who: Principal, problem: str | None = None) -> Response:
    try:
        found = return_file(return_id, request.app.state.uow(), _orders(who))
    except OrdinoError as error:
        return render(request, "console/missing.html", {"who": who, "detail": str(error)}, 404)
    status = ReturnStatus(found["return"]["status"])
    context = found | {
        "who": who,
        "csrf": csrf_token(request),
        "once": once_token(),
        "problem": problem,
        "done": request.query_params.get("done") == "1" and problem is None,
        "actions": _actions(status, who),
        "may_refund": who.may(Permission.PAYMENTS_REFUND),
    }
    return render(request, "console/return.html", context, 200 if problem is None else 422)


def _actions(status: ReturnStatus, who: Principal) -> list[str]:
    """The buttons the return's state and the role allow, in the order they are shown."""
    possible = {
        ReturnStatus.REQUESTED: ("authorise", "decline", "cancel"),
        ReturnStatus.AUTHORISED: ("in-transit", "close", "cancel"),
        ReturnStatus.IN_TRANSIT: ("close",),
        ReturnStatus.RECEIVED_IN_PART: ("close",),
        ReturnStatus.RECEIVED: ("close",),
    }.get(status, ())
    return [name for name in possible if who.may(ACTIONS[name][1])]


def _orders(who: Principal) -> OrderScope:
    """The orders they may see, and their name on what they change."""
    return scope_of(who.access, who.actor)
