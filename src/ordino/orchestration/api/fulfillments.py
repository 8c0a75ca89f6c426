"""Fulfillment orders: a location's queue, and its updates of each one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field

from ordino.http.creation import PROBLEM
from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import ID_PATTERN, Strict
from ordino.http.security import require
from ordino.inventory.domain import Source
from ordino.kernel.domain import ApiKey, InvalidInput, Permission
from ordino.orchestration.api.fulfillment_schemas import (
    AcceptIn,
    DeclarationOut,
    DeliveredIn,
    FulfillmentPage,
    FulfillmentUpdateOut,
    PickedUpIn,
    QueuedFulfillmentOut,
    RejectIn,
    ShippedIn,
    by_line,
)
from ordino.orchestration.services import fulfillment
from ordino.orders.domain import FulfillmentStatus, scope_of

router = APIRouter(prefix="/v1/fulfillments")

FulfillmentIdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]
Updater = Annotated[ApiKey, Depends(require(Permission.FULFILLMENT_WRITE))]
UPDATE = {
    "response_model": FulfillmentUpdateOut,
    "responses": {
        404: {"description": "No such fulfillment order (for this key)", **PROBLEM},
        409: {"description": "Its state does not allow this step", **PROBLEM},
        422: {"description": "Invalid body", **PROBLEM},
    },
}


def _source(request: Request, caller: ApiKey, reason: str | None = None) -> Source:
    return Source(f"key:{caller.id}", clock(request), reason)


class QueueQuery(Strict):
    location_id: Annotated[str | None, Field(max_length=64, pattern=ID_PATTERN)] = None
    status: Annotated[
        list[FulfillmentStatus] | None,
        Field(description="Only these states; none: those still to do"),
    ] = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


TO_DO = (
    FulfillmentStatus.RELEASED,
    FulfillmentStatus.ACCEPTED,
    FulfillmentStatus.PICKED,
    FulfillmentStatus.PACKED,
    FulfillmentStatus.READY,
)


@router.get("", response_model=FulfillmentPage)
def location_queue(
    request: Request,
    params: Annotated[QueueQuery, Query()],
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    """A location's fulfillment orders (a store key: its own store's), oldest order
    first: by default what it still has to do."""
    location_id = caller.location_id or params.location_id
    if location_id is None:
        raise InvalidInput.of("location_id", "name the location whose queue to list")
    caller.require_locations([location_id])
    items = fulfillment.location_queue(
        location_id, params.status or TO_DO, params.limit, unit_of_work(request), scope_of(caller)
    )
    return JSONResponse({"items": items})


@router.get(
    "/{fulfillment_id}/customs",
    response_model=DeclarationOut,
    responses={
        404: {"description": "No such fulfillment order, or it crosses no border", **PROBLEM}
    },
)
def get_customs(
    fulfillment_id: FulfillmentIdPath,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    """The customs declaration of a parcel that crosses a customs border: as made when
    it shipped (`declared`), or as it would be made now (`preview`, for the papers)."""
    uow = unit_of_work(request)
    return JSONResponse(fulfillment.get_customs(fulfillment_id, uow, scope_of(caller)))


@router.get("/{fulfillment_id}", response_model=QueuedFulfillmentOut)
def get_fulfillment(
    fulfillment_id: FulfillmentIdPath,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    uow = unit_of_work(request)
    return JSONResponse(fulfillment.get_fulfillment(fulfillment_id, uow, scope_of(caller)))


@router.post("/{fulfillment_id}/accept", **UPDATE)  # type: ignore[arg-type]
def accept(
    fulfillment_id: FulfillmentIdPath,
    request: Request,
    caller: Updater,
    body: AcceptIn | None = None,
) -> Response:
    """The location takes it on. With `lines`, only those units: the rest is split
    off, turned down and sourced again elsewhere."""
    keep = by_line(body.lines) if body else None
    uow, capture = unit_of_work(request), request.app.state.capture
    source = _source(request, caller)
    return JSONResponse(
        fulfillment.accept(fulfillment_id, keep, uow, capture, source, scope_of(caller))
    )


@router.post("/{fulfillment_id}/reject", **UPDATE)  # type: ignore[arg-type]
def reject(
    fulfillment_id: FulfillmentIdPath, body: RejectIn, request: Request, caller: Updater
) -> Response:
    """The location turns it down: its units are sourced again by the order's
    profile, never from this location, keeping the promised date when one can."""
    uow, capture = unit_of_work(request), request.app.state.capture
    source = _source(request, caller, body.reason)
    return JSONResponse(
        fulfillment.reject(fulfillment_id, body.reason, uow, capture, source, scope_of(caller))
    )


@router.post("/{fulfillment_id}/picked", **UPDATE)  # type: ignore[arg-type]
def picked(fulfillment_id: FulfillmentIdPath, request: Request, caller: Updater) -> Response:
    uow, source = unit_of_work(request), _source(request, caller)
    return JSONResponse(
        fulfillment.progress(
            fulfillment_id, FulfillmentStatus.PICKED, uow, source, scope_of(caller)
        )
    )


@router.post("/{fulfillment_id}/packed", **UPDATE)  # type: ignore[arg-type]
def packed(fulfillment_id: FulfillmentIdPath, request: Request, caller: Updater) -> Response:
    uow, source = unit_of_work(request), _source(request, caller)
    return JSONResponse(
        fulfillment.progress(
            fulfillment_id, FulfillmentStatus.PACKED, uow, source, scope_of(caller)
        )
    )


@router.post("/{fulfillment_id}/shipped", **UPDATE)  # type: ignore[arg-type]
def shipped(
    fulfillment_id: FulfillmentIdPath, body: ShippedIn, request: Request, caller: Updater
) -> Response:
    """Handed to the carrier, with its tracking number. With `lines`, only those
    units went: the fulfillment order is split, the rest stays to ship later."""
    uow, source = unit_of_work(request), _source(request, caller)
    return JSONResponse(
        fulfillment.ship(fulfillment_id, body.to_shipment(), uow, source, scope_of(caller))
    )


@router.post("/{fulfillment_id}/delivered", **UPDATE)  # type: ignore[arg-type]
def delivered(
    fulfillment_id: FulfillmentIdPath, body: DeliveredIn, request: Request, caller: Updater
) -> Response:
    uow, source = unit_of_work(request), _source(request, caller)
    return JSONResponse(
        fulfillment.deliver(fulfillment_id, body.delivered_at, uow, source, scope_of(caller))
    )


@router.post("/{fulfillment_id}/ready", **UPDATE)  # type: ignore[arg-type]
def ready(fulfillment_id: FulfillmentIdPath, request: Request, caller: Updater) -> Response:
    """Ready at the store: the customer is sent a pickup code (in the
    `fulfillment.ready_for_pickup` event, never in this answer)."""
    uow, source = unit_of_work(request), _source(request, caller)
    return JSONResponse(fulfillment.ready(fulfillment_id, uow, source, scope_of(caller)))


@router.post("/{fulfillment_id}/picked-up", **UPDATE)  # type: ignore[arg-type]
def picked_up(
    fulfillment_id: FulfillmentIdPath, body: PickedUpIn, request: Request, caller: Updater
) -> Response:
    """Handed over to the customer, who gave the code they were sent."""
    uow, source = unit_of_work(request), _source(request, caller)
    return JSONResponse(
        fulfillment.pick_up(fulfillment_id, body.code, uow, source, scope_of(caller))
    )


@router.post("/{fulfillment_id}/not-collected", **UPDATE)  # type: ignore[arg-type]
def not_collected(fulfillment_id: FulfillmentIdPath, request: Request, caller: Updater) -> Response:
    """The customer did not come: the units are cancelled and go back to stock."""
    uow, source = unit_of_work(request), _source(request, caller, "not collected")
    return JSONResponse(fulfillment.not_collected(fulfillment_id, uow, source, scope_of(caller)))
