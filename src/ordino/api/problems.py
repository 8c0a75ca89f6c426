"""RFC 9457 problem details: every error the API gives is one of these.

The status of each error code is decided here, in one table, and nowhere else.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ordino.errors import (
    AlreadyExists,
    BelowReserved,
    Conflict,
    DuplicateOrder,
    Forbidden,
    IdempotencyKeyReused,
    IllegalTransition,
    InsufficientStock,
    InvalidInput,
    LinkExpired,
    LinkInvalid,
    NotAllowed,
    NotFound,
    OrdinoError,
    PromiseUnavailable,
    TooManyAttempts,
    Unauthenticated,
)

log = logging.getLogger("ordino.api")

MEDIA_TYPE = "application/problem+json"

STATUS: dict[type[OrdinoError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    Conflict: 409,
    InsufficientStock: 409,
    IllegalTransition: 409,
    IdempotencyKeyReused: 409,
    DuplicateOrder: 409,
    BelowReserved: 409,
    PromiseUnavailable: 409,
    AlreadyExists: 409,
    NotAllowed: 409,
    Unauthenticated: 401,
    TooManyAttempts: 429,
    Forbidden: 403,
    LinkExpired: 403,
    LinkInvalid: 403,
}


def problem(
    status: int, code: str, title: str, detail: str, extra: dict[str, Any] | None = None
) -> JSONResponse:
    """A problem document; the members RFC 9457 defines win over extras of the same name."""
    body = {
        **(extra or {}),
        "type": f"/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def field_path(location: tuple[Any, ...]) -> str:
    """`("body", "lines", 0, "sku")` -> `lines[0].sku`; query and path parameters by name."""
    path = ""
    for part in location[1:]:
        if part == "[key]":  # a dict key failed: `prices.ZZZ`, as for its value
            continue
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or str(location[0])


def _ordino_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, OrdinoError)
    status = STATUS[next(cls for cls in type(error).__mro__ if cls in STATUS)]
    extra = dict(error.extra)
    if isinstance(error, InvalidInput):
        extra["errors"] = [{"field": e.field, "message": e.message} for e in error.errors]
    response = problem(status, error.code, error.title, error.detail, extra)
    if isinstance(error, TooManyAttempts):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    errors = [_field_error(e) for e in error.errors()]
    fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
    detail = f"invalid {fields}"
    return problem(422, InvalidInput.code, InvalidInput.title, detail, {"errors": errors})


def _field_error(error: Any) -> dict[str, str]:
    location = tuple(error["loc"])
    if error["type"] == "json_invalid":
        reason = error.get("ctx", {}).get("error", "malformed JSON")
        return {"field": "body", "in": "body", "message": f"{reason} at {location[-1]}"}
    return {"field": field_path(location), "in": str(location[0]), "message": error["msg"]}


def _http_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    code = {404: "not-found", 405: "method-not-allowed"}.get(error.status_code, "http-error")
    response = problem(error.status_code, code, str(error.detail), str(error.detail))
    response.headers.update(error.headers or {})  # 405 names the methods it would take: Allow
    return response


def _unexpected(_request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=error)
    return problem(
        500,
        "internal-error",
        "Internal error",
        "the request failed unexpectedly; nothing was changed",
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(OrdinoError, _ordino_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
