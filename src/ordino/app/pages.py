"""The pages' wiring: the session cookie, the files they load (served here: no
CDN), their routes, and what a page does when no one is signed in, the role may
not, or a form's CSRF token is wrong."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ordino.access.pages import access as access_pages
from ordino.access.pages import configuration as configuration_pages
from ordino.access.pages import sign_in as sign_in_pages
from ordino.access.pages.hashing import Hashing
from ordino.analytics.pages import dashboard as dashboard_pages
from ordino.console import home as home_page
from ordino.console.rendering import STATIC, render
from ordino.console.session import SESSION_SECONDS, BadForm, NotAllowed, SignInNeeded
from ordino.inventory.pages import stock as stock_pages
from ordino.orchestration.pages import store_queue as store_queue_pages
from ordino.returns.pages import console as return_pages
from ordino.returns.pages import store as store_return_pages
from ordino.servicing.pages import customer as customer_pages
from ordino.servicing.pages import exceptions as exceptions_pages
from ordino.servicing.pages import orders as order_pages
from ordino.servicing.pages import servicing as servicing_pages

PAGES = ("/console", "/my-order")
# The pages hold people's data and the customer's link is in its URL: not cached,
# not framed by another site, the link not sent on to another site as a referrer.
HEADERS = [
    (b"cache-control", b"no-store"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
]


class Pages:
    """The pages' own layer: their session cookie and HEADERS. Every other path (the
    API's hot ones, the static files) passes straight through: plain ASGI, a path
    check and nothing more.

    The cookie is `Secure` when the request came over https: directly, or through a
    proxy uvicorn trusts (FORWARDED_ALLOW_IPS) saying so in X-Forwarded-Proto; or
    always, with `secure` (ORDINO_SECURE_COOKIES). HttpOnly and SameSite=Lax always."""

    def __init__(self, app: ASGIApp, secret: str, secure: bool) -> None:
        self.app = app
        self.secure = secure
        self.with_session, self.with_secure_session = (
            SessionMiddleware(
                self._with_headers,
                secret_key=secret,
                session_cookie="ordino_session",
                max_age=SESSION_SECONDS,
                same_site="lax",
                https_only=https_only,
            )
            for https_only in (False, True)
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PAGES):
            await self.app(scope, receive, send)
        elif self.secure or scope.get("scheme") == "https":
            await self.with_secure_session(scope, receive, send)
        else:
            await self.with_session(scope, receive, send)

    async def _with_headers(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.app(scope, receive, sending)


def install(app: FastAPI, secret: str) -> None:
    """`secret` signs the session cookies (ORDINO_SECRET_KEY, or the process's own).

    Console passwords are verified on an executor of their own (`hashing`): argon2
    is slow on purpose, and a flood of sign-ins must never take the threads (and
    database connections) the API's routes run on, nor queue without bound."""
    app.state.hashing = Hashing(app.state.settings.password_threads)
    app.add_middleware(Pages, secret=secret, secure=app.state.settings.secure_cookies)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(sign_in_pages.router)
    app.include_router(order_pages.router)
    app.include_router(servicing_pages.router)
    app.include_router(store_queue_pages.router)
    app.include_router(return_pages.router)
    app.include_router(store_return_pages.router)
    app.include_router(exceptions_pages.router)
    app.include_router(stock_pages.router)
    app.include_router(configuration_pages.router)
    app.include_router(dashboard_pages.router)
    app.include_router(customer_pages.router)
    app.include_router(home_page.router)
    app.include_router(access_pages.router)
    app.add_exception_handler(SignInNeeded, _to_sign_in)
    app.add_exception_handler(NotAllowed, _not_allowed)
    app.add_exception_handler(BadForm, _bad_form)


def bad_text(request: Request, field: str) -> Response:
    """The answer to a text no page can take (a NUL character, which the database
    cannot store): the field named, nothing done (`ordino.http.request_guard`)."""
    customer = request.url.path.startswith("/my-order")
    template = "customer/bad_text.html" if customer else "console/refused.html"
    return render(request, template, {"reason": "text", "field": field, "detail": ""}, 422)


async def _to_sign_in(request: Request, _: Exception) -> Response:
    back = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return RedirectResponse(f"/console/sign-in?next={back}", status_code=303)


async def _not_allowed(request: Request, error: Exception) -> Response:
    return render(request, "console/refused.html", {"reason": "role", "detail": str(error)}, 403)


async def _bad_form(request: Request, _: Exception) -> Response:
    if request.url.path.startswith("/my-order"):
        return render(request, "customer/expired_form.html", {}, 403)
    return render(request, "console/refused.html", {"reason": "csrf", "detail": ""}, 403)
