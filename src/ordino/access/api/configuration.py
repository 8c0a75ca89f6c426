"""The record of configuration: who changed which rule or policy, when, from what to
what (admins only: those who may change it)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ordino.http.deps import unit_of_work
from ordino.http.fields import MAX_ROW_ID, Strict
from ordino.http.security import require
from ordino.kernel.domain import ConfigurationKind, Permission
from ordino.kernel.services import list_changes

router = APIRouter(prefix="/v1", tags=["configuration"])


class ChangesQuery(Strict):
    kind: ConfigurationKind | None = None
    name: Annotated[str | None, Field(min_length=1, max_length=64)] = None
    cursor: Annotated[
        int | None, Field(ge=1, le=MAX_ROW_ID, description="next_cursor of the previous page")
    ] = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class DifferenceOut(BaseModel):
    path: str = Field(description="Where in the document: `slas.pickup_days`; lists whole")
    before: Any
    after: Any


class ChangeOut(BaseModel):
    id: int
    kind: str
    name: str
    action: str = Field(description="created, changed, removed")
    version: int | None
    by: str
    at: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    changes: list[DifferenceOut]


class ChangePage(BaseModel):
    items: list[ChangeOut]
    next_cursor: str | None


@router.get(
    "/configuration-changes",
    response_model=ChangePage,
    dependencies=[Depends(require(Permission.NETWORK_WRITE))],
)
def configuration_changes(request: Request, params: Annotated[ChangesQuery, Query()]) -> Response:
    """Every change of configuration (`kind`: locations, how they work and what they
    cost, carrier services, rate cards, channels, availability views, hold rules,
    order types, the self-service policy, sourcing profiles, API keys, webhooks,
    console users), the newest first: who (`key:<id>`, `user:<name>`, `cli:<user>`,
    `demo` for what the demo loads), when, the document before and after, and what
    differs (`changes`)."""
    answer = list_changes(
        unit_of_work(request), params.kind, params.name, params.limit, params.cursor
    )
    return JSONResponse(answer)
