"""A store receiving returned goods, on the associate's phone: the return found by
the code the customer shows (typed, or scanned by a scanner that types it), or the
order's returns by its number (with the customer's e-mail, any order's, as on the
customer's own page); then, line by line, the units received, their condition and
what becomes of them (back on this store's shelf, sent on to where the return was
routed, back to the vendor, refurbished, written off), and the units the parcel
lacked. The receipt goes through the returns' use case, as the API's does; a form
drawn once receives once, however often it is sent."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ordino.console.rendering import render
from ordino.console.session import Posted, Principal, allowed, csrf_token, done_once, once_token
from ordino.kernel.domain import InvalidInput, NotFound, OrdinoError, Permission, TooManyAttempts
from ordino.orders.domain import OrderScope, scope_of
from ordino.returns.domain import (
    Condition,
    Disposition,
    Initiator,
    ReceivedUnits,
    RefundTo,
    ReturnLineRequest,
    ReturnMethod,
)
from ordino.returns.services import (
    ReceiveReturn,
    StartReturn,
    counter_return,
    receive_return,
    return_file_by_code,
    returns_of_order_number,
    start_return,
)

router = APIRouter(prefix="/console/store/returns", include_in_schema=False)


@router.get("")
def find_page(request: Request) -> Response:
    """The form to find a return; a scanned code's link (`?code=`) straight to it."""
    who = allowed(request, Permission.RETURNS_RECEIVE)
    return _find(request, who, {"code": request.query_params.get("code", "").strip()[:200]})


@router.post("")
def find(request: Request, form: Posted) -> Response:
    """Find the return to receive: by its code straight to it, by the order's number
    to a list of the order's returns (posted: the customer's e-mail stays out of
    addresses and logs)."""
    who = allowed(request, Permission.RETURNS_RECEIVE)
    asked = {k: str(form.get(k) or "").strip()[:200] for k in ("code", "number", "email")}
    return _find(request, who, asked, str(form.get("location") or ""))


def _find(request: Request, who: Principal, asked: dict[str, str], at: str = "") -> Response:
    location_id = who.location_id or at or request.query_params.get("location", "")
    asked = {"code": "", "number": "", "email": ""} | asked
    context: dict[str, Any] = {
        "who": who,
        "csrf": csrf_token(request),
        "asked": asked,
        "location_id": location_id,
        "found": None,
        "orders": [],
        "problem": None,
    }
    uow, now = request.app.state.uow, request.app.state.clock()
    if asked["code"]:
        try:
            found = return_file_by_code(asked["code"], uow(), _orders(who))
        except OrdinoError:
            return render(request, "console/store_returns.html", context | {"problem": "code"}, 404)
        code = found["return"]["code"]
        return RedirectResponse(_receiving(code, location_id), status_code=303)
    if not asked["number"]:
        return render(request, "console/store_returns.html", context)
    address = request.client.host if request.client else None
    try:
        found = returns_of_order_number(
            asked["number"], asked["email"] or None, uow(), now, _orders(who), address
        )
    except TooManyAttempts as error:
        context |= {"problem": "wait", "wait": error.retry_after}
        page = render(request, "console/store_returns.html", context, 429)
        page.headers["Retry-After"] = str(error.retry_after)
        return page
    anything = found["returns"] or found["orders"]
    context |= {
        "found": found["returns"],
        "orders": found["orders"],
        "problem": None if anything else "number",
    }
    return render(request, "console/store_returns.html", context, 200 if anything else 404)


@router.post("/orders/{order_id}/lines")
def counter_page(request: Request, order_id: str, form: Posted) -> Response:
    """Start a return at the counter of an order the store did not serve (bought
    online, or at another store), found by its number and the customer's e-mail: the
    e-mail goes along in the posted forms, never in an address or the cookie."""
    who = allowed(request, Permission.RETURNS_CREATE)
    return _counter(request, who, order_id, form)


@router.post("/orders/{order_id}")
def start_at_counter(request: Request, order_id: str, form: Posted) -> Response:
    """The return started here, dropped off here (the goods are in the associate's
    hands): then to its page, to receive them (once authorised)."""
    who = allowed(request, Permission.RETURNS_CREATE)
    location_id = who.location_id or str(form.get("location") or "") or None
    state = request.app.state
    try:
        asked = _asked(form)
        refund_to = RefundTo(str(form.get("refund_to") or RefundTo.ORIGINAL))
        cmd = StartReturn(
            order_id,
            asked,
            ReturnMethod.STORE,
            Initiator.STORE if location_id else Initiator.AGENT,
            location_id,
            refund_to,
            _email(form),
        )
        once = done_once(who.id, form, request.url.path)
        answer = start_return(cmd, state.uow(), state.clock(), _orders(who), once)
    except ValueError:
        return _counter(request, who, order_id, form, "refund_to: original or store_credit")
    except OrdinoError as error:
        return _counter(request, who, order_id, form, str(error))
    return RedirectResponse(_receiving(answer.body["code"], location_id or ""), status_code=303)


def _email(form: Any) -> str | None:
    return str(form.get("email") or "").strip()[:200] or None


def _asked(form: Any) -> tuple[ReturnLineRequest, ...]:
    """The units the form returns (`return-<n>`, each with its `reason-<n>`)."""
    asked = []
    for name in form.keys():  # noqa: SIM118 (a form's keys, once each)
        number = name.removeprefix("return-")
        if not name.startswith("return-") or not number.isascii() or not number.isdigit():
            continue
        if units := _count(form, name):
            reason = str(form.get(f"reason-{number}") or "")[:64]
            asked.append(ReturnLineRequest(int(number), units, reason))
    if not asked:
        raise InvalidInput.of("return", "say how many units of which line come back")
    return tuple(asked)


def _counter(
    request: Request, who: Principal, order_id: str, form: Any, problem: str | None = None
) -> Response:
    email = _email(form)
    try:
        if email is None:
            raise NotFound(f"no order {order_id}: look it up by its number and e-mail first")
        found = counter_return(order_id, email, request.app.state.uow(), _orders(who))
    except OrdinoError as error:
        return render(request, "console/missing.html", {"who": who, "detail": str(error)}, 404)
    context = {
        "who": who,
        "csrf": csrf_token(request),
        "once": once_token(),
        "order": found,
        "email": email,
        "problem": problem,
        "location_id": who.location_id or str(form.get("location") or ""),
    }
    return render(request, "console/store_counter.html", context, 200 if problem is None else 422)


@router.get("/{code}")
def receiving(request: Request, code: str) -> Response:
    who = allowed(request, Permission.RETURNS_RECEIVE)
    location_id = who.location_id or request.query_params.get("location", "")
    return _page(request, who, code, location_id)


@router.post("/{code}/receipts")
def receive(request: Request, code: str, form: Posted) -> Response:
    who = allowed(request, Permission.RETURNS_RECEIVE)
    location_id = who.location_id or str(form.get("location") or "")
    state = request.app.state
    try:
        if not location_id:
            raise InvalidInput.of("location", "say which location received the goods")
        found = return_file_by_code(code, state.uow(), _orders(who))
        lines, missing = _received(form, found["return"]["lines"])
        cmd = ReceiveReturn(found["return"]["id"], location_id, lines, missing, code)
        once = done_once(who.id, form, request.url.path)
        receive_return(cmd, state.uow(), state.clock(), _orders(who), once)
    except OrdinoError as error:
        return _page(request, who, code, location_id, str(error))
    return RedirectResponse(_receiving(code, location_id) + "&done=1", status_code=303)


def _received(
    form: Any, lines: list[dict[str, Any]]
) -> tuple[tuple[ReceivedUnits, ...], tuple[tuple[int, int], ...]]:
    """What the form says came back of each line (`received-<n>`, `condition-<n>`,
    `disposition-<n>`) and what was missing (`missing-<n>`); a field that is not a
    count, condition or disposition is refused by its name."""
    received: list[ReceivedUnits] = []
    missing: list[tuple[int, int]] = []
    for line in lines:
        no = line["line_no"]
        units = _count(form, f"received-{no}")
        if units:
            condition = Condition(_choice(form, f"condition-{no}", Condition))
            disposition = Disposition(_choice(form, f"disposition-{no}", Disposition))
            received.append(ReceivedUnits(no, units, condition, disposition))
        if lacking := _count(form, f"missing-{no}"):
            missing.append((no, lacking))
    if not received and not missing:
        raise InvalidInput.of("received", "say how many units of which line came back")
    return tuple(received), tuple(missing)


def _count(form: Any, name: str) -> int:
    given = str(form.get(name) or "").strip()
    if not given:
        return 0
    if not (given.isascii() and given.isdigit()) or len(given) > 7:
        raise InvalidInput.of(name, "a whole number of units")
    return int(given)


def _choice(form: Any, name: str, kind: type[Condition] | type[Disposition]) -> str:
    given = str(form.get(name) or "")
    if given not in {str(k) for k in kind}:
        raise InvalidInput.of(name, f"one of {', '.join(str(k) for k in kind)}")
    return given


def _page(
    request: Request, who: Principal, code: str, location_id: str, problem: str | None = None
) -> Response:
    try:
        found = return_file_by_code(code, request.app.state.uow(), _orders(who))
    except OrdinoError as error:
        return render(request, "console/missing.html", {"who": who, "detail": str(error)}, 404)
    context = found | {
        "who": who,
        "csrf": csrf_token(request),
        "once": once_token(),
        "location_id": location_id,
        "problem": problem,
        "done": request.query_params.get("done") == "1" and problem is None,
        "conditions": [str(c) for c in Condition],
        "dispositions": [str(d) for d in Disposition],
    }
    return render(request, "console/store_return.html", context, 200 if problem is None else 422)


def _receiving(code: str, location_id: str) -> str:
    return f"/console/store/returns/{quote(code, safe='')}?location={quote(location_id, safe='')}"


def _orders(who: Principal) -> OrderScope:
    """The orders they may see, and their name on what they change."""
    return scope_of(who.access, who.actor)
