"""API keys, an admin's: create one (the key is shown in that answer only), list
them (never a key or its hash), revoke one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ordino.access.services import keys as access
from ordino.http.creation import PROBLEM
from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import ID_PATTERN, OptionalText, Strict
from ordino.http.security import require
from ordino.kernel.domain import ApiKey, Permission, Role

router = APIRouter(prefix="/v1/keys", dependencies=[Depends(require(Permission.ACCESS_ADMIN))])

Admin = Annotated[ApiKey, Depends(require(Permission.ACCESS_ADMIN))]
KeyIdPath = Annotated[str, Path(min_length=1, max_length=32, pattern=ID_PATTERN)]
Scope = Annotated[str | None, Field(min_length=1, max_length=64, pattern=ID_PATTERN)]


class KeyIn(Strict):
    role: Role
    name: OptionalText = None
    channel: Scope = None
    location_id: Scope = None


class KeyOut(BaseModel):
    id: str
    role: str
    name: str | None
    channel: str | None
    location_id: str | None
    created_at: str
    revoked_at: str | None


class NewKeyOut(KeyOut):
    key: str = Field(description="The key itself, in this answer only")


class KeyList(BaseModel):
    items: list[KeyOut]


@router.post(
    "",
    status_code=201,
    response_model=NewKeyOut,
    responses={422: {"description": "Invalid", **PROBLEM}},
)
def create_key(body: KeyIn, request: Request, caller: Admin) -> Response:
    """A new key. The answer holds the key itself (`key`), this once: only its hash is
    stored. No Idempotency-Key here: a stored answer would keep the key."""
    new = access.NewKey(body.role, body.name, body.channel, body.location_id)
    answer = access.issue_key(new, unit_of_work(request), clock(request), f"key:{caller.id}")
    return JSONResponse(answer, status_code=201, headers={"Location": f"/v1/keys/{answer['id']}"})


@router.get("", response_model=KeyList)
def list_keys(request: Request) -> Response:
    """Every key, oldest first, the revoked ones with when: never a key or its hash."""
    return JSONResponse({"items": access.list_keys(unit_of_work(request))})


@router.delete(
    "/{key_id}", status_code=204, responses={404: {"description": "No such key", **PROBLEM}}
)
def revoke_key(key_id: KeyIdPath, request: Request, caller: Admin) -> Response:
    """The key stops working: at once in this process, in the others as soon as they
    hear of it (docs/security.md); its console sessions end. Revoking again is a 204."""
    access.revoke_key(key_id, unit_of_work(request), clock(request), f"key:{caller.id}")
    return Response(status_code=204)
