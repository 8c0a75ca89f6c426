"""What every POST that creates something shares: the Idempotency-Key it may carry,
and the 201 answer (or its replay) with the new thing's Location."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from fastapi import Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ordino.http.problems import MEDIA_TYPE
from ordino.kernel.domain.idempotency import IdempotencyKey
from ordino.kernel.domain.roles import ApiKey
from ordino.kernel.services.idempotency import Answer

IdempotencyHeader = Annotated[
    str | None,
    Header(
        min_length=1,
        max_length=255,
        description="A retried request with the same key and body gets the first answer",
    ),
]
# Where money moves (a refund, a gift card issued) the key is required: a retry
# without one could move it twice.
RequiredIdempotencyHeader = Annotated[
    str,
    Header(
        min_length=1,
        max_length=255,
        description="Required: a retried request with the same key gets the first answer",
    ),
]
PROBLEM: dict[str, Any] = {"content": {MEDIA_TYPE: {}}}


def idempotency(
    key: str | None, caller: ApiKey, body: BaseModel, path: str
) -> IdempotencyKey | None:
    """The key, scoped to the caller, with the fingerprint of the request it came with
    (its path, which names the order or account it is about, and its body): the
    same key on another path is another request, refused, not answered as the first.
    (Keys kept before 7 December 2026 fingerprinted the body alone: a retry sent
    across that upgrade is refused as another request, never answered as one.)"""
    return idempotency_of(caller.id, key, body, path)


def idempotency_of(
    sender: str, key: str | None, body: BaseModel, path: str
) -> IdempotencyKey | None:
    """`idempotency`'s key for a `sender` without an API key (a customer's link:
    "customer", kept per order by its use case)."""
    if key is None:
        return None
    request = path.encode() + b"\n" + body.model_dump_json().encode()
    return IdempotencyKey(sender, key, hashlib.sha256(request).hexdigest())


def accepted(answer: Answer) -> JSONResponse:
    """A request taken on (202, or whatever status its first answer had), saying when
    it is the first answer given again."""
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else None
    return JSONResponse(answer.body, status_code=answer.status, headers=headers)


def created(answer: Answer, location: str) -> JSONResponse:
    headers = {"Location": location}
    if answer.replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(answer.body, status_code=answer.status, headers=headers)
