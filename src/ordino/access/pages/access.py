"""Access on the console, an admin's: every console user and API key with their open
sessions; end a person's sessions, disable a user, revoke a key. Each takes effect
at the person's next request (sessions are checked on every one)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ordino.access.services import keys as access
from ordino.access.services import sessions, users
from ordino.console.rendering import render
from ordino.console.session import CHECKED, Principal, allowed, csrf_token
from ordino.kernel.domain import NotFound, Permission

router = APIRouter(prefix="/console/access", include_in_schema=False)


@router.get("")
def access_page(request: Request) -> Response:
    return _page(request, allowed(request, Permission.ACCESS_ADMIN))


@router.post("/users/{username}/end-sessions", dependencies=[CHECKED])
def end_user_sessions(request: Request, username: str) -> Response:
    state = request.app.state
    return _acting(request, lambda _: users.end_sessions(username, state.uow(), state.clock()))


@router.post("/users/{username}/disable", dependencies=[CHECKED])
def disable_user(request: Request, username: str) -> Response:
    state = request.app.state
    return _acting(
        request, lambda who: users.disable_user(username, state.uow(), state.clock(), who.actor)
    )


@router.post("/keys/{key_id}/end-sessions", dependencies=[CHECKED])
def end_key_sessions(request: Request, key_id: str) -> Response:
    state = request.app.state
    return _acting(request, lambda _: sessions.end_all(key_id, state.uow(), state.clock()))


@router.post("/keys/{key_id}/revoke", dependencies=[CHECKED])
def revoke_key(request: Request, key_id: str) -> Response:
    state = request.app.state
    return _acting(
        request, lambda who: access.revoke_key(key_id, state.uow(), state.clock(), who.actor)
    )


def _acting(request: Request, action: Callable[[Principal], object]) -> Response:
    """An admin's action (as that admin), then the page again (after a redirect); an
    unknown user or key is said on the page, and nothing was done."""
    who = allowed(request, Permission.ACCESS_ADMIN)
    try:
        action(who)
    except NotFound as error:
        return _page(request, who, str(error), 404)
    return RedirectResponse("/console/access?done=1", status_code=303)


def _page(
    request: Request, who: Principal, problem: str | None = None, status: int = 200
) -> Response:
    state = request.app.state
    context = sessions.overview(state.uow(), state.clock()) | {
        "who": who,
        "csrf": csrf_token(request),
        "problem": problem,
        "done": request.query_params.get("done") == "1" and problem is None,
    }
    return render(request, "console/access.html", context, status)
