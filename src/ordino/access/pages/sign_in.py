"""Signing in to the console and out, and where each role starts: a user's password
(hashed on the hashing executor, the guesses counted) or an API key.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from ordino.access.domain.throttling import sign_in_subjects
from ordino.access.pages.hashing import Busy, turned_away
from ordino.access.services import keys, throttling, users
from ordino.console.menu import home_of
from ordino.console.rendering import render
from ordino.console.session import (
    CHECKED,
    Posted,
    Principal,
    csrf_token,
    principal,
    sign_in,
    sign_out,
)
from ordino.kernel.domain import TooManyAttempts

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("")
def home(request: Request) -> Response:
    """Where the signed-in person starts (a store associate: their queue)."""
    return RedirectResponse(home_of(principal(request).role), status_code=303)


@router.get("/sign-in")
def sign_in_page(request: Request, next: str = "/console") -> Response:
    context = {"next": _local(next), "failed": False, "csrf": csrf_token(request)}
    return render(request, "console/sign_in.html", context)


@router.post("/sign-in")
async def sign_in_submit(request: Request, form: Posted) -> Response:
    """Async, so that each step runs where it belongs: the database's in the API's
    threads, the password's hash on the hashing executor (never holding one of
    those threads). Guessing is limited per user name and per client address."""
    state, target = request.app.state, _local(str(form.get("next") or "/console"))
    username, secret = str(form.get("username") or ""), str(form.get("password") or "")
    address = request.client.host if request.client else None
    subjects = sign_in_subjects(username or None, address)
    if username and state.hashing.full:  # turned away before any work (no count to write)
        await turned_away()
        return _refused_sign_in(request, target, username, busy=True)
    try:
        await run_in_threadpool(throttling.attempt, subjects, state.uow(), state.clock(), "sign in")
    except TooManyAttempts as error:
        return _refused_sign_in(request, target, username, error.retry_after)
    try:
        found = await _who(request, username, secret)
    except Busy:  # not tried: it does not count against anyone
        await run_in_threadpool(throttling.succeeded, subjects, state.uow())
        await turned_away()
        return _refused_sign_in(request, target, username, busy=True)
    if found is None:
        return _refused_sign_in(request, target, username)
    await run_in_threadpool(throttling.succeeded, subjects, state.uow())
    await run_in_threadpool(sign_in, request, found)
    return RedirectResponse(target, status_code=303)


async def _who(request: Request, username: str, secret: str) -> Principal | None:
    """Who the form's user name and password (or key alone) are, if they match."""
    state = request.app.state
    if username:
        user, stored = await run_in_threadpool(users.password_of, username, state.uow())
        matches = await state.hashing.verify(users.verify, stored, secret)
        return Principal.of(user, f"user:{username}") if matches and user else None
    if secret:
        admin_key = state.settings.admin_key
        key = await run_in_threadpool(keys.authenticate, secret, state.uow(), admin_key)
        return None if key is None else Principal.of(key, f"key:{key.id}")
    return None


def _refused_sign_in(
    request: Request, target: str, username: str, wait: int | None = None, busy: bool = False
) -> Response:
    """The sign-in page again: it did not match (401), too many tries (429), or too
    many sign-ins wait for the hashing already (503)."""
    failed = wait is None and not busy
    context = {"next": target, "failed": failed, "wait": wait, "busy": busy, "username": username}
    context["csrf"] = csrf_token(request)
    status = 503 if busy else 401 if wait is None else 429
    page = render(request, "console/sign_in.html", context, status)
    if wait is not None or busy:
        page.headers["Retry-After"] = str(wait or 1)
    return page


@router.post("/sign-out", dependencies=[CHECKED])
def sign_out_submit(request: Request) -> Response:
    sign_out(request)
    return RedirectResponse("/console/sign-in", status_code=303)


def _local(target: str) -> str:
    """Only a path of this site to go back to (never another site: an open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") else "/console"
