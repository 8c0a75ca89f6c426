"""RFC 9457 problem details: every error the API gives is one of these, and the
OpenAPI document says so for every operation.

The status of each error code is decided here, in one table, and nowhere else.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from ordino.kernel.domain.errors import (
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
    TooLarge,
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
    TooLarge: 413,
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
    return answer_to(error)


def answer_to(error: OrdinoError) -> JSONResponse:
    """The problem document of one of Ordino's errors, at its status."""
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
    return invalid([_field_error(e) for e in error.errors()])


def invalid(errors: list[dict[str, str]]) -> JSONResponse:
    """422 naming each field: `{field, in, message}` (`in`: body, query, path, header)."""
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
    app.openapi = lambda: openapi(app)  # type: ignore[method-assign]


# The OpenAPI document: what each operation can answer, decided here for all of them.


class FieldProblem(BaseModel):
    field: str = Field(description="A path into the request: `lines[0].quantity`, `cursor`")
    in_: str | None = Field(None, alias="in", description="body, query, path or header")
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details; some problems carry more members (`shortfalls`,
    `limit`, `offered`, …)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="/problems/<code>")
    title: str
    status: int
    detail: str
    code: str = Field(description="Stable, for machines: invalid-input, not-found, …")
    errors: list[FieldProblem] | None = Field(None, description="invalid-input: each field")


ANSWERS = {
    "400": "The body could not be read (not UTF-8, a malformed form)",
    "401": "No valid API key: send `Authorization: Bearer <key>`",
    "403": "The key's role or scope may not do this",
    "404": "Not found",
    "409": "Conflicts with the current state (a version changed since it was read, the "
    "state forbids it, an Idempotency-Key reused with another body)",
    "413": "The body is over its limit (`limit`, in bytes)",
    "422": "Invalid input: `errors` names each field",
}
WRITES = frozenset({"post", "put", "patch", "delete"})
# A PUT creates what its path names (201) or replaces it (200); these name a
# document that always exists (its defaults until first replaced): 200 only.
REPLACE_ONLY = frozenset({"/v1/self-service-policy", "/v1/return-policy"})
PROBLEM_CONTENT = {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with the problems every operation can answer added."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(problem_schema.pop("$defs", {}))
        components["Problem"] = problem_schema
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                _document(path, method, operation)
        app.openapi_schema = schema
    return app.openapi_schema


def _document(path: str, method: str, operation: dict[str, Any]) -> None:
    answers = operation.setdefault("responses", {})
    for status in sorted(_problems(method, operation)):
        answers.setdefault(status, {"description": ANSWERS[status]})
    for status, answer in answers.items():
        if status[0] in "45":
            answer["content"] = PROBLEM_CONTENT
    if method == "put" and path not in REPLACE_ONLY:
        answers["201"] = {**answers["200"], "description": "Created"}
        answers["200"] = {**answers["200"], "description": "Replaced"}


def _problems(method: str, operation: dict[str, Any]) -> set[str]:
    """What an operation can answer, by what it takes. Any request may carry a NUL
    in its query (ordino.http.request_guard): every operation can answer 422."""
    problems = {"422"}
    if "security" in operation:
        problems |= {"401", "403"}
    if any(p["in"] == "path" for p in operation.get("parameters", [])):
        problems.add("404")
    if method in WRITES:
        problems.add("409")
    if "requestBody" in operation:
        problems |= {"400", "413"}
    return problems
