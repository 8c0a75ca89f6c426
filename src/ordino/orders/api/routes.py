"""Orders: capture, read, list, cancel, and the sourcing decisions of each (what is
done to an order as it goes: `ordino.orchestration.api.orders`; serving its
customer: `ordino.servicing.api.orders`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field

from ordino.http.creation import PROBLEM, IdempotencyHeader, created, idempotency
from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import Instant, Strict
from ordino.http.security import require
from ordino.kernel.domain import ApiKey, Permission
from ordino.orders.api.schemas import (
    CancelIn,
    OrderIdPath,
    OrderIn,
    OrderOut,
    OrderPage,
    SourcingOut,
)
from ordino.orders.domain.commands import OrderQuery
from ordino.orders.domain.orders import scope_of
from ordino.orders.domain.status import OrderStatus
from ordino.orders.services import capture, decisions, orders

router = APIRouter(prefix="/v1/orders")


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
    answer = capture.place_order(
        cmd,
        unit_of_work(request),
        request.app.state.capture,
        clock(request),
        idempotency(idempotency_key, caller, body, request.url.path),
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


@router.get("/{order_id}/sourcing", response_model=SourcingOut)
def get_sourcing(
    order_id: OrderIdPath,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    """Every sourcing decision of the order (at capture, after each rejection, as
    supply arrived): the profile version and strategy that decided, the candidates
    weighed, what each rule excluded, the chosen plan's cost and the alternatives'."""
    return JSONResponse(decisions.get_sourcing(order_id, unit_of_work(request), scope_of(caller)))
