"""The customer's own page, public (no sign-in): find an order by its number and
e-mail, or open it from a signed link; see where it stands, what was promised, the
parcels with tracking and what happened; and, while the policy allows, cancel
items or the order, change the address, collect at a store near them instead, or
move the collection; return what they received (the return's code, as a QR image
too, to show at a store or a carrier's point; its state and refund on the page).
Every change goes through the self-service use cases
(`ordino.servicing.services.self_service*`), which source and promise it again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ordino.console.rendering import render
from ordino.console.session import Posted, csrf_token, done_once, once_token
from ordino.kernel.domain import LinkExpired, LinkInvalid, NotFound, OrdinoError, TooManyAttempts
from ordino.returns.domain import RefundTo, ReturnLineRequest, ReturnMethod
from ordino.returns.services import code_image
from ordino.servicing.domain.self_service import CUSTOMER
from ordino.servicing.pages import forms
from ordino.servicing.services import changes, self_service

router = APIRouter(prefix="/my-order", include_in_schema=False)


@router.get("")
def find_page(request: Request) -> Response:
    return render(request, "customer/find.html", {"csrf": csrf_token(request), "wrong": False})


@router.post("")
def find(request: Request, form: Posted) -> Response:
    number, email = str(form.get("number") or ""), str(form.get("email") or "")
    state = request.app.state
    address = request.client.host if request.client else None
    context = {"csrf": csrf_token(request), "number": number, "email": email}
    try:
        found = self_service.find_order(
            number, email, state.uow(), state.self_service, state.clock(), address
        )
    except NotFound:
        return render(request, "customer/find.html", context | {"wrong": True}, 404)
    except TooManyAttempts as error:
        page = render(request, "customer/find.html", context | {"wait": error.retry_after}, 429)
        page.headers["Retry-After"] = str(error.retry_after)
        return page
    return RedirectResponse(f"/my-order/{found['token']}", status_code=303)


@router.get("/{token}")
def order_page(request: Request, token: str) -> Response:
    return _page(request, token)


@router.post("/{token}/cancel")
def cancel(request: Request, token: str, form: Posted) -> Response:
    state = request.app.state
    units = None if form.get("whole") else _units(form)
    if units is None and not form.get("whole"):
        return _page(request, token, "invalid-input")
    if units == {}:
        return _page(request, token, "nothing-chosen")
    return _doing(
        request,
        token,
        lambda: self_service.cancel(token, units, state.uow(), state.self_service, state.clock()),
    )


@router.post("/{token}/address")
def change_address(request: Request, token: str, form: Posted) -> Response:
    state = request.app.state

    given = forms.address(form)
    if given is None:
        return _page(request, token, "invalid-input")

    def change() -> Any:
        services = state.self_service
        return changes.change_address(token, given, None, state.uow(), services, state.clock())

    return _doing(request, token, change)


@router.get("/{token}/pickup")
def pickup_page(request: Request, token: str) -> Response:
    state = request.app.state
    try:
        order = self_service.order_for(token, state.uow(), state.self_service, state.clock())
        stores = changes.pickup_stores(token, state.uow(), state.self_service, state.clock())[
            "stores"
        ]
    except (LinkExpired, LinkInvalid) as error:
        return _bad_link(request, error)
    except OrdinoError as error:
        return _page(request, token, error.code)
    context = {"csrf": csrf_token(request), "token": token, "order": order, "stores": stores}
    return render(request, "customer/pickup.html", context, time_zone=order["time_zone"])


@router.post("/{token}/pickup")
def collect_at(request: Request, token: str, form: Posted) -> Response:
    state, store_id = request.app.state, str(form.get("store_id") or "")
    return _doing(
        request,
        token,
        lambda: changes.collect_at(token, store_id, state.uow(), state.self_service, state.clock()),
    )


@router.get("/{token}/return")
def return_page(request: Request, token: str) -> Response:
    return _return_form(request, token)


@router.post("/{token}/return")
def start_return(request: Request, token: str, form: Posted) -> Response:
    """Start a return of the units the form names (`return-<line_no>`, each with its
    `reason-<line_no>`, and the SKU it is exchanged for, `exchange-<line_no>`, if
    any), travelling as `method`, refunded to `refund_to`; back to the
    order's page, where its code is. A refusal is said on the form, changing nothing."""
    state = request.app.state
    asked = _returned(form)
    if asked is None:
        return _return_form(request, token, "invalid-input")
    if not asked:
        return _return_form(request, token, "nothing-to-return")
    try:
        method = ReturnMethod(str(form.get("method") or ""))
        refund_to = RefundTo(str(form.get("refund_to")))
    except ValueError:
        return _return_form(request, token, "invalid-input")
    once = done_once(CUSTOMER, form, "/my-order/return")  # kept per order, not per link
    try:
        self_service.start_return(
            token,
            self_service.ReturnAsked(asked, method, refund_to),
            state.uow(),
            state.self_service,
            state.clock(),
            once,
        )
    except (LinkExpired, LinkInvalid) as error:
        return _bad_link(request, error)
    except OrdinoError as error:
        return _return_form(request, token, error.code, error.extra.get("rule"))
    return RedirectResponse(f"/my-order/{token}?done=return", status_code=303)


def _return_form(
    request: Request, token: str, problem: str | None = None, rule: str | None = None
) -> Response:
    state = request.app.state
    try:
        options = self_service.return_options(token, state.uow(), state.self_service, state.clock())
    except (LinkExpired, LinkInvalid) as error:
        return _bad_link(request, error)
    order = options["order"]
    context = options | {"csrf": csrf_token(request), "token": token, "problem": problem}
    context["once"] = once_token()
    context["rule"] = rule
    status = 200 if problem is None else 409 if problem == "not-allowed" else 422
    return render(
        request, "customer/return.html", context, status, order["time_zone"], order["language"]
    )


def _returned(form: Any) -> list[ReturnLineRequest] | None:
    """The units to return, line by line, each with its reason (and the note, and
    what it is exchanged for); None
    when a count is not a whole number or a line to return has no reason."""
    asked: list[ReturnLineRequest] = []
    note = str(form.get("note") or "").strip()[:500] or None
    for name, value in form.multi_items():
        number, given = name.removeprefix("return-"), str(value).strip()
        if not name.startswith("return-") or not given or given == "0":
            continue
        if not (number.isascii() and number.isdigit() and given.isascii() and given.isdigit()):
            return None
        reason = str(form.get(f"reason-{number}") or "")
        if not reason or len(given) > 7:
            return None
        instead = str(form.get(f"exchange-{number}") or "").strip()[:64] or None
        asked.append(ReturnLineRequest(int(number), int(given), reason[:64], note, instead))
    return asked


def _doing(request: Request, token: str, change: Callable[[], Any]) -> Response:
    try:
        change()
    except (LinkExpired, LinkInvalid) as error:
        return _bad_link(request, error)
    except OrdinoError as error:
        return _page(request, token, error.code)
    return RedirectResponse(f"/my-order/{token}?done=1", status_code=303)


def _page(request: Request, token: str, problem: str | None = None) -> Response:
    """The order's page; `problem`: the code of what was refused (the page says it in
    the customer's language), and nothing was changed."""
    state = request.app.state
    try:
        order = self_service.order_for(token, state.uow(), state.self_service, state.clock())
    except (LinkExpired, LinkInvalid) as error:
        return _bad_link(request, error)
    done = request.query_params.get("done") if problem is None else None
    context = {
        "csrf": csrf_token(request),
        "token": token,
        "order": order,
        "problem": problem,
        "done": done == "1",
        "return_started": done == "return",
        "codes": {r["code"]: code_image(r["code"]) for r in order["returns"]},
        "line_names": {line["line_no"]: line["name"] for line in order["lines"]},
    }
    status = 200 if problem is None else 409
    return render(
        request, "customer/order.html", context, status, order["time_zone"], order["language"]
    )


def _bad_link(request: Request, error: OrdinoError) -> Response:
    context = {"csrf": csrf_token(request), "expired": isinstance(error, LinkExpired)}
    return render(request, "customer/bad_link.html", context, 403)


def _units(form: Any) -> dict[int, int] | None:
    """line_no → items to cancel, from the `cancel-<line_no>` fields; None when one is
    not a whole number."""
    units: dict[int, int] = {}
    for name, value in form.multi_items():
        number, given = name.removeprefix("cancel-"), str(value).strip()
        if not name.startswith("cancel-") or not given:
            continue
        if not (number.isascii() and number.isdigit() and given.isascii() and given.isdigit()):
            return None
        if int(given):
            units[int(number)] = int(given)
    return units
