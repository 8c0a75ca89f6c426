"""What every request passes before a route sees it, the API's and the pages' alike:
one place, so no route can forget it.

- A request to the API with a body names a valid key before its body is read: an
  unknown caller gets 401 and costs no reading or parsing (the routes' own check,
  `ordino.http.security.caller`, takes the key found here). The customer's routes
  (`PUBLIC_PATHS`) take no key.
- A body is no larger than its limit (`Limits`: ORDINO_MAX_BODY_BYTES, and for the
  stock feeds ORDINO_MAX_FEED_BODY_BYTES): refused with 413 before it is read when
  its Content-Length says so, and as soon as it passes the limit when it streams in
  chunks. (FastAPI's own `max_body_size` answers a plain-text 413 whenever the
  Content-Length is over, replacing any other answer: every answer of the API is a
  problem document.)
- No NUL character in any text it sends: the path, a query parameter, a header (the
  API stores some: Idempotency-Key), a JSON body's strings and keys however deep, a
  form's fields. PostgreSQL can neither store nor compare one (SQLite can: a route
  that forgot would work there and fail in production). A NUL in the path, query or
  headers is refused before any route runs; one in the body when the route has read
  it, before it parsed it. Either way nothing is read from or written to the
  database: a 422 problem naming the field for the API, a page naming it for the
  pages.

Plain ASGI, and lazy: a JSON body streams through to the route as it comes, each
chunk counted and searched for the bytes of a NUL (`\\u0000`, however the chunks cut
it; or a zero byte, which every body in UTF-16 or UTF-32 has, JSON allowing both);
only a body that has them is parsed here, to name the field. A form is always
parsed here as the route will parse it: its charset (`utf-7`: `+AAA-`) may write a
NUL in bytes of its own. Forms are the pages' and small.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI
from python_multipart.multipart import parse_options_header
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ordino.http.problems import answer_to, invalid
from ordino.http.security import KEY_STATE, PUBLIC_PATHS, bearer_secret, key_of
from ordino.kernel.domain.errors import TooLarge, Unauthenticated

NUL = "\x00"
NO_NUL = "must not contain NUL characters"
# How a JSON body in UTF-8 writes a NUL; a zero byte, in UTF-16 and UTF-32 in every
# body (then parsed, to look for one).
JSON_NUL, ZERO = b"\\u0000", b"\x00"
FORMS = (b"application/x-www-form-urlencoded", b"multipart/form-data")

# How the pages answer a bad text: (request, field) -> their page.
PageRefusal = Callable[[Request, str], Response]


class BadText(HTTPException):
    """A NUL in `field` (`lines[0].sku`, `email`) of the request's `part` (path, query,
    body)."""

    def __init__(self, field: str, part: str) -> None:
        super().__init__(422, NO_NUL)
        self.field, self.part = field, part


class BodyTooLarge(HTTPException):
    """Raised from `receive` as a streamed body passes its limit (an HTTPException, so
    the route reading the body lets it through to its handler)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, "Request body too large")
        self.limit = limit


@dataclass(frozen=True)
class Limits:
    """The largest body taken (bytes), and the stock feeds' (`feed_paths`)."""

    body: int
    feed_body: int
    feed_paths: tuple[str, ...] = ()

    def of(self, path: str) -> int:
        return self.feed_body if path in self.feed_paths else self.body


class RequestGuard:
    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = await self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        limit = self.limits.of(scope["path"]) if _has_body(scope) else 0
        await self.app(scope, watching(scope, receive, limit), send)

    async def _refusal(self, scope: Scope) -> Response | None:
        """What refuses the request before anything of its body is read, if anything."""
        if (bad := nul_in_url(scope) or nul_in_headers(scope)) is not None:
            return answer(Request(scope), bad)
        if not _has_body(scope):
            return None
        if _needs_key(scope["path"]):
            headers = Request(scope).headers
            try:
                key = await key_of(scope["app"].state, bearer_secret(headers.get("authorization")))
            except Unauthenticated as error:
                return answer_to(error)
            scope.setdefault("state", {})[KEY_STATE] = key
        limit = self.limits.of(scope["path"])
        if _declared_length(scope) > limit:
            return too_large(limit)
        return None


def install(app: FastAPI, pages: tuple[str, ...], refuse_page: PageRefusal, limits: Limits) -> None:
    """The guard, and the answers to what it finds in a body: a NUL (the pages'
    refusal on `pages`, a problem elsewhere), a body over its limit."""
    app.state.refuse_page = (pages, refuse_page)
    app.add_middleware(RequestGuard, limits=limits)
    app.add_exception_handler(BadText, _bad_text)
    app.add_exception_handler(BodyTooLarge, _too_large)


def too_large(limit: int) -> Response:
    detail = f"the request's body is over this route's limit of {limit} bytes"
    return answer_to(TooLarge(detail, extra={"limit": limit}))


def _too_large(_request: Request, error: Exception) -> Response:
    assert isinstance(error, BodyTooLarge)
    return too_large(error.limit)


def _bad_text(request: Request, error: Exception) -> Response:
    assert isinstance(error, BadText)
    return answer(request, error)


def answer(request: Request, bad: BadText) -> Response:
    pages: tuple[str, ...]
    refuse_page: PageRefusal
    pages, refuse_page = request.app.state.refuse_page
    if request.url.path.startswith(pages):
        return refuse_page(request, bad.field)
    return invalid([{"field": bad.field, "in": bad.part, "message": NO_NUL}])


def nul_in_url(scope: Scope) -> BadText | None:
    """The path, or the first query parameter whose name or value holds a NUL."""
    if NUL in scope["path"]:
        return BadText(_path_parameter(scope), "path")
    query: bytes = scope["query_string"]
    if b"%00" not in query and b"\x00" not in query:
        return None
    for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if NUL in name or NUL in value:
            return BadText(name, "query")
    return None


def nul_in_headers(scope: Scope) -> BadText | None:
    """The first header whose value holds a NUL (no header may: RFC 9110, 5.5)."""
    for name, value in scope["headers"]:
        if ZERO in value:
            return BadText(name.decode("latin-1").lower(), "header")
    return None


def watching(scope: Scope, receive: Receive, limit: int) -> Receive:
    """`receive` for the app: each chunk of the body counted against `limit` and
    searched for a NUL's bytes as it passes; with the last, a body that had some (or
    a form's) is parsed, and a NUL in it raised as BadText (the route reading the
    body stops there)."""
    chunks: list[bytes] = []
    suspect, size, tail = _is_form(scope), 0, b""

    async def watched() -> Message:
        nonlocal suspect, size, tail
        message = await receive()
        if message["type"] != "http.request":
            return message
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit)
        # An escaped NUL may be cut over any number of chunks: the body's last bytes
        # before this chunk are searched with it, however short the chunks were.
        window = tail + chunk
        suspect = suspect or JSON_NUL in window or ZERO in chunk
        tail = window[-(len(JSON_NUL) - 1) :]
        chunks.append(chunk)
        if message.get("more_body", False):
            return message
        body = b"".join(chunks) if suspect else b""
        chunks.clear()  # the route holds the body now: not kept here as well
        if suspect and (bad := await nul_in_body(scope, body)) is not None:
            raise bad
        return message

    return watched


async def nul_in_body(scope: Scope, body: bytes) -> BadText | None:
    """The first field of a form or a JSON body (in any of the encodings JSON allows,
    as the route reads it) that holds a NUL."""
    if _is_form(scope):
        return await _nul_in_form(scope, body)
    try:
        path = nul_path(json.loads(body))
    except (ValueError, RecursionError):  # not JSON: the route answers it as such
        return None
    return None if path is None else BadText(path or "body", "body")


def nul_path(value: Any, path: str = "") -> str | None:
    """The path (`lines[0].sku`) to the first string or key holding a NUL ("" for
    the document itself), or None."""
    if isinstance(value, str):
        return path if NUL in value else None
    if isinstance(value, list):
        for index, item in enumerate(value):
            if (found := nul_path(item, f"{path}[{index}]")) is not None:
                return found
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else key
            if NUL in key:
                return here
            if (found := nul_path(item, here)) is not None:
                return found
    return None


async def _nul_in_form(scope: Scope, body: bytes) -> BadText | None:
    """A form's fields, read by Starlette's own parser (as the route will read them)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(scope, replay).form()
    except HTTPException:  # malformed: the route answers it as such
        return None
    try:
        for name, value in form.multi_items():
            if NUL in name or (not isinstance(value, UploadFile) and NUL in value):
                return BadText(name, "body")
    finally:
        await form.close()
    return None


def _path_parameter(scope: Scope) -> str:
    """The name of the path's parameter that holds the NUL, as the routes name it
    (`sku`), or `path` if no route takes the path."""
    for route in every_route(scope["app"].router.routes):
        match, child = route.matches(scope)
        if match is not Match.NONE:  # PARTIAL: the path, with another method
            for name, value in child.get("path_params", {}).items():
                if isinstance(value, str) and NUL in value:
                    return str(name)
    return "path"


def every_route(routes: list[Any]) -> list[Any]:
    """The routes, those of included routers among them."""
    found = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        found += every_route(inner.routes) if inner is not None else [route]
    return found


def _needs_key(path: str) -> bool:
    return path.startswith("/v1/") and not path.startswith(PUBLIC_PATHS)


def _is_form(scope: Scope) -> bool:
    """A form, by Starlette's own reading of the Content-Type (`Multipart/Form-Data `
    is one)."""
    kind, _ = parse_options_header(Request(scope).headers.get("content-type", ""))
    return kind in FORMS


def _has_body(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return bool(value != b"0")
        if name == b"transfer-encoding":
            return True
    return False


def _declared_length(scope: Scope) -> int:
    """The body's Content-Length (0 if none or not a number: then it is counted)."""
    length = Request(scope).headers.get("content-length", "")
    return int(length) if length.isascii() and length.isdigit() else 0
