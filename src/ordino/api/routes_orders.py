"""Orders: capture, read, list, cancel; their sourcing and rejections."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field

from ordino.api.creation import PROBLEM, IdempotencyHeader, created, idempotency
from ordino.api.deps import clock, unit_of_work
from ordino.api.fields import ID_PATTERN, Instant, OptionalText, Strict, Text
from ordino.api.fulfillment_schemas import CancellationIn, by_line
from ordino.api.order_schemas import CancelIn, CardToken, OrderIn, OrderOut, OrderPage
from ordino.api.security import require
from ordino.inventory.domain.feeds import Source
from ordino.kernel.domain.errors import Forbidden
from ordino.kernel.domain.roles import ApiKey, Permission
from ordino.orchestration.services import fulfillment, pipelines, rerouting
from ordino.orders.domain.commands import OrderQuery
from ordino.orders.domain.orders import scope_of
from ordino.orders.domain.status import OrderStatus
from ordino.orders.services import decisions, orders
from ordino.servicing.services import notes as servicing
from ordino.servicing.services import self_service, timeline

router = APIRouter(prefix="/v1/orders")

OrderIdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]


@router.post(
    "",
    response_model=OrderOut,
    status_code=201,
    responses={
        409: {
            "description": "Insufficient stock, duplicate order, or an "
            "Idempotency-Key reused with another body",
            **PROBLEM,
        },
        422: {"description": "Invalid order", **PROBLEM},
    },
)
def place_order(
    body: OrderIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_CREATE))],
    idempotency_key: IdempotencyHeader = None,
) -> Response:
    caller.require_channel(body.channel)
    cmd = replace(body.to_command(), placed_by=f"key:{caller.id}")
    answer = orders.place_order(
        cmd,
        unit_of_work(request),
        request.app.state.capture,
        clock(request),
        idempotency(idempotency_key, caller, body),
    )
    return created(answer, f"/v1/orders/{answer.body['id']}")


@router.get("/{order_id}", response_model=OrderOut)
def get_order(
    order_id: OrderIdPath,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    return JSONResponse(orders.get_order(order_id, unit_of_work(request), scope_of(caller)))


class OrderListQuery(Strict):
    status: OrderStatus | None = None
    channel: Annotated[str | None, Field(max_length=64)] = None
    customer_email: Annotated[str | None, Field(max_length=254)] = None
    created_from: Annotated[
        Instant | None, Field(description="Created at or after (RFC 3339 with offset)")
    ] = None
    created_to: Annotated[Instant | None, Field(description="Created before (exclusive)")] = None
    cursor: Annotated[
        str | None, Field(max_length=32, description="next_cursor of the previous page")
    ] = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50

    def to_domain(self) -> OrderQuery:
        email = self.customer_email.lower() if self.customer_email else None
        return OrderQuery(
            self.status, self.channel, email, self.created_from, self.created_to, self.cursor
        )


@router.get("", response_model=OrderPage)
def list_orders(
    request: Request,
    params: Annotated[OrderListQuery, Query()],
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    if caller.channel is not None:
        caller.require_channel(params.channel or caller.channel)
        params = params.model_copy(update={"channel": caller.channel})
    query, uow = params.to_domain(), unit_of_work(request)
    if caller.location_id is not None:  # a store sees the orders allocated to it
        query = replace(query, location_id=caller.location_id)
    items, next_cursor = orders.list_orders(query, params.limit, uow)
    return JSONResponse({"items": items, "next_cursor": next_cursor})


@router.post("/{order_id}/cancel", response_model=OrderOut)
def cancel_order(
    order_id: OrderIdPath,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_CANCEL))],
    body: CancelIn | None = None,
) -> Response:
    reason = body.reason if body else None
    uow, now = unit_of_work(request), clock(request)
    return JSONResponse(orders.cancel_order(order_id, uow, now, reason, scope_of(caller)))


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


@router.post("/{order_id}/holds", status_code=201)
def hold_order(order_id: OrderIdPath, body: HoldIn, request: Request, caller: Holder) -> Response:
    """Hold the order by hand: nothing more of it is released until the hold is."""
    uow, now = unit_of_work(request), clock(request)
    answer = pipelines.hold_order(
        order_id, body.reason, f"key:{caller.id}", uow, now, scope_of(caller)
    )
    return JSONResponse(answer, status_code=201)


@router.post("/{order_id}/holds/{hold_id}/release")
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


@router.post("/{order_id}/holds/{hold_id}/cancel")
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


class NoteIn(Strict):
    note: Annotated[str, Field(min_length=1, max_length=2000)]


Servicer = Annotated[ApiKey, Depends(require(Permission.ORDERS_SERVICE))]


@router.post("/{order_id}/notes", status_code=201)
def add_note(order_id: OrderIdPath, body: NoteIn, request: Request, caller: Servicer) -> Response:
    """A note for colleagues, on the order's timeline (`order.note_added`)."""
    uow, now = unit_of_work(request), clock(request)
    answer = servicing.add_note(order_id, body.note, uow, now, scope_of(caller))
    return JSONResponse(answer, status_code=201)


@router.post("/{order_id}/notifications", status_code=201)
def resend_notification(order_id: OrderIdPath, request: Request, caller: Servicer) -> Response:
    """Tell the customer again what they were last told (`order.notification_resent`
    carries that event, for the notifying service to send)."""
    uow, now = unit_of_work(request), clock(request)
    answer = servicing.resend_notification(order_id, uow, now, scope_of(caller))
    return JSONResponse(answer, status_code=201)


@router.get("/{order_id}/self-service-link")
def self_service_link(order_id: OrderIdPath, request: Request, caller: Servicer) -> Response:
    """A signed link for the order's customer to open their page with (`/my-order/
    <token>`): for a notification to carry, or an agent to send. It lives the
    self-service policy's `link_hours`."""
    state = request.app.state
    token = self_service.link_to(
        order_id, state.uow(), state.self_service, clock(request), scope_of(caller)
    )
    return JSONResponse({"order_id": order_id, "token": token, "path": f"/my-order/{token}"})


@router.get("/{order_id}/timeline")
def get_timeline(
    order_id: OrderIdPath,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    """Every change of the order, oldest first: when, what (the event), who made it
    (`key:<id>`, `ordino` itself, the payment `gateway`), why, and the order's
    status after it."""
    return JSONResponse(timeline.timeline(order_id, unit_of_work(request), scope_of(caller)))


@router.get("/{order_id}/sourcing")
def get_sourcing(
    order_id: OrderIdPath,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    """Every sourcing decision of the order (at capture, after each rejection, as
    supply arrived): the profile version and strategy that decided, the candidates
    weighed, what each rule excluded, the chosen plan's cost and the alternatives'."""
    return JSONResponse(decisions.get_sourcing(order_id, unit_of_work(request), scope_of(caller)))


class RejectionIn(Strict):
    location_id: Annotated[str, Field(min_length=1, max_length=64, pattern=ID_PATTERN)]
    reason: Literal["not-found", "damaged", "no-capacity", "other"]


@router.post(
    "/{order_id}/rejections",
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
