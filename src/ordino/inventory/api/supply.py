"""Inbound supply: purchase orders and transfers, their receipts and changes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field

from ordino.http.creation import PROBLEM, IdempotencyHeader, created, idempotency
from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import ID_PATTERN, Strict
from ordino.http.security import require
from ordino.inventory.api.supply_schemas import (
    ReceiptIn,
    ReceiptOut,
    RescheduleIn,
    SupplyCancelIn,
    SupplyIn,
    SupplyOut,
    SupplyPage,
)
from ordino.inventory.domain.feeds import Source
from ordino.inventory.domain.supply import SupplyKind, SupplyQuery
from ordino.inventory.services import supply
from ordino.kernel.domain import ApiKey, Permission

router = APIRouter(prefix="/v1/supply")

SupplyIdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]


@router.post(
    "",
    response_model=SupplyOut,
    status_code=201,
    responses={
        409: {"description": "The id exists, or a transfer would take reserved stock", **PROBLEM}
    },
)
def create_supply(
    body: SupplyIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.SUPPLY_WRITE))],
    idempotency_key: IdempotencyHeader = None,
) -> Response:
    """A purchase order, or a transfer: a transfer ships from its source at once."""
    source = Source(f"key:{caller.id}", clock(request))
    key = idempotency(idempotency_key, caller, body, request.url.path)
    answer = supply.create_supply(body.to_command(), source, unit_of_work(request), key)
    return created(answer, f"/v1/supply/{answer.body['id']}")


Reader = Annotated[ApiKey, Depends(require(Permission.SUPPLY_READ))]


@router.get("/{supply_id}", response_model=SupplyOut)
def get_supply(supply_id: SupplyIdPath, request: Request, caller: Reader) -> Response:
    """A purchase order or transfer (a store key: one to or from its own location)."""
    found = supply.get_supply(supply_id, unit_of_work(request))
    if caller.location_id not in (found["location_id"], found["source_location_id"]):
        caller.require_locations([found["location_id"]])
    return JSONResponse(found)


class SupplyListQuery(Strict):
    location_id: Annotated[str | None, Field(max_length=64)] = None
    sku: Annotated[str | None, Field(max_length=64)] = None
    kind: SupplyKind | None = None
    open: Annotated[bool, Field(description="Only orders with something still to arrive")] = False
    cursor: Annotated[
        str | None, Field(max_length=64, description="next_cursor of the previous page")
    ] = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


@router.get("", response_model=SupplyPage)
def list_supply(
    request: Request, params: Annotated[SupplyListQuery, Query()], caller: Reader
) -> Response:
    """Supply by destination, SKU, kind (a store key: to its own location)."""
    location_id = caller.location_id or params.location_id
    if params.location_id is not None:
        caller.require_locations([params.location_id])
    query = SupplyQuery(location_id, params.sku, params.kind, params.open, params.cursor)
    items, cursor = supply.list_supply(query, params.limit, unit_of_work(request))
    return JSONResponse({"items": items, "next_cursor": cursor})


@router.post("/{supply_id}/receipts", response_model=ReceiptOut)
def receive_supply(
    supply_id: SupplyIdPath,
    body: ReceiptIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.INVENTORY_WRITE))],
) -> Response:
    """What arrived goes on hand at the destination; a receipt id is applied once."""
    uow = unit_of_work(request)
    caller.require_locations([supply.get_supply(supply_id, uow)["location_id"]])
    source = Source(f"key:{caller.id}", clock(request))
    return JSONResponse(supply.receive_supply(supply_id, body.to_domain(), source, uow))


@router.post(
    "/{supply_id}/cancel",
    response_model=SupplyOut,
    dependencies=[Depends(require(Permission.SUPPLY_WRITE))],
)
def cancel_supply(
    supply_id: SupplyIdPath, request: Request, body: SupplyCancelIn | None = None
) -> Response:
    """Cancel what has not arrived yet (of the SKUs given, or of every line)."""
    body = body or SupplyCancelIn()
    uow, now = unit_of_work(request), clock(request)
    return JSONResponse(supply.cancel_supply(supply_id, body.skus, body.reason, uow, now))


@router.patch(
    "/{supply_id}",
    response_model=SupplyOut,
    dependencies=[Depends(require(Permission.SUPPLY_WRITE))],
)
def reschedule_supply(supply_id: SupplyIdPath, body: RescheduleIn, request: Request) -> Response:
    """A new expected date for what has not arrived yet."""
    uow, now = unit_of_work(request), clock(request)
    return JSONResponse(supply.reschedule_supply(supply_id, body.expected_at, uow, now))
