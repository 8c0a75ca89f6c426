"""What is done to an order as it goes: units cancelled, holds put and released, a
location's rejection of what it was given (the order's own routes: `ordino.orders.api`)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field

from ordino.http.creation import PROBLEM
from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import ID_PATTERN, OptionalText, Strict, Text
from ordino.http.security import require
from ordino.inventory.domain import Source
from ordino.kernel.domain import ApiKey, Forbidden, Permission
from ordino.orchestration.api.fulfillment_schemas import (
    CancellationIn,
    HoldChangeOut,
    RejectionOut,
    by_line,
)
from ordino.orchestration.services import fulfillment, pipelines, rerouting
from ordino.orders.api import CardToken, OrderOut
from ordino.orders.domain import scope_of

router = APIRouter(prefix="/v1/orders")

OrderIdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]


@router.post(
    "/{order_id}/cancellations",
    response_model=OrderOut,
    responses={
        404: {"description": "No such order", **PROBLEM},
        422: {"description": "Units that cannot be cancelled", **PROBLEM},
    },
)
def cancel_units(
    order_id: OrderIdPath,
    body: CancellationIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_CANCEL))],
) -> Response:
    """Cancel some units of some lines: first those waiting for supply, then those
    held and not released, then released ones (their fulfillment orders shrink or
    are cancelled). Units that left a location cannot be cancelled."""
    uow = unit_of_work(request)
    source = Source(f"key:{caller.id}", clock(request), body.reason)
    units = by_line(body.lines) or {}
    return JSONResponse(fulfillment.cancel_units(order_id, units, uow, source, scope_of(caller)))


class HoldIn(Strict):
    reason: Text


class HoldActionIn(Strict):
    note: OptionalText = None


class ReleaseIn(HoldActionIn):
    """Releasing a payment hold, `token` is the customer's new card (the gateway's
    token): it is authorised in place of the declined one."""

    token: CardToken = None


HoldIdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]
Holder = Annotated[ApiKey, Depends(require(Permission.HOLDS_MANAGE))]


@router.post("/{order_id}/holds", status_code=201, response_model=HoldChangeOut)
def hold_order(order_id: OrderIdPath, body: HoldIn, request: Request, caller: Holder) -> Response:
    """Hold the order by hand: nothing more of it is released until the hold is."""
    uow, now = unit_of_work(request), clock(request)
    answer = pipelines.hold_order(
        order_id, body.reason, f"key:{caller.id}", uow, now, scope_of(caller)
    )
    return JSONResponse(answer, status_code=201)


@router.post("/{order_id}/holds/{hold_id}/release", response_model=HoldChangeOut)
def release_hold(
    order_id: OrderIdPath,
    hold_id: HoldIdPath,
    request: Request,
    caller: Holder,
    body: ReleaseIn | None = None,
) -> Response:
    """Release the hold; with no other, the order goes on through its pipeline. A
    payment hold's release authorises the card again, or the new one given."""
    body = body or ReleaseIn()
    action = pipelines.HoldAction(order_id, hold_id, f"key:{caller.id}", body.note, body.token)
    uow, now = unit_of_work(request), clock(request)
    return JSONResponse(pipelines.release_hold(action, uow, now, scope_of(caller)))


@router.post("/{order_id}/holds/{hold_id}/cancel", response_model=HoldChangeOut)
def cancel_from_hold(
    order_id: OrderIdPath,
    hold_id: HoldIdPath,
    request: Request,
    caller: Holder,
    body: HoldActionIn | None = None,
) -> Response:
    """Cancel the order from the hold (fraud confirmed, credit refused): every unit
    not gone is let go, and its holds are resolved as cancelled."""
    action = pipelines.HoldAction(
        order_id, hold_id, f"key:{caller.id}", body.note if body else None
    )
    uow, now = unit_of_work(request), clock(request)
    return JSONResponse(pipelines.cancel_from_hold(action, uow, now, scope_of(caller)))


class RejectionIn(Strict):
    location_id: Annotated[str, Field(min_length=1, max_length=64, pattern=ID_PATTERN)]
    reason: Literal["not-found", "damaged", "no-capacity", "other"]


@router.post(
    "/{order_id}/rejections",
    response_model=RejectionOut,
    responses={404: {"description": "No such order or allocation", **PROBLEM}},
)
def reject_allocation(
    order_id: OrderIdPath,
    body: RejectionIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.FULFILLMENT_WRITE))],
) -> Response:
    """A location turns down what the order allocated there: it is released and the
    units sourced again by the order's profile, never from that location again,
    keeping the promised date when some location can; what none can take waits for
    supply. A store's key rejects for its own store only."""
    if caller.location_id is not None and caller.location_id != body.location_id:
        raise Forbidden(
            f"this key acts for location {caller.location_id}",
            extra={"location_id": body.location_id},
        )
    answer = rerouting.reject_allocation(
        rerouting.Rejection(order_id, body.location_id, body.reason),
        unit_of_work(request),
        request.app.state.capture,
        clock(request),
        scope_of(caller),
    )
    return JSONResponse(answer)
