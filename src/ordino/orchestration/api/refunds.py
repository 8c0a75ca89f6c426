"""Refunds of an order's card payment: asked for here, made by the worker."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ordino.http.creation import PROBLEM, RequiredIdempotencyHeader, accepted, idempotency
from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import Amount, Currency, Strict, Text
from ordino.http.security import require
from ordino.kernel.domain import ApiKey, Permission
from ordino.orchestration.services import refunds
from ordino.orders.api import OrderIdPath
from ordino.orders.domain import scope_of

router = APIRouter(prefix="/v1/orders")


class RefundIn(Strict):
    amount: Amount
    currency: Currency
    reason: Text


class RefundOut(BaseModel):
    id: str
    status: str = Field(description="pending, refunded, declined, partly refunded")
    currency: str
    amount: str
    refunded: str
    requested_at: str


class RefundList(BaseModel):
    items: list[RefundOut]


@router.post(
    "/{order_id}/refunds",
    status_code=202,
    response_model=RefundOut,
    responses={
        404: {"description": "No such order", **PROBLEM},
        409: {
            "description": "More than may still be refunded, an order not paid by card, "
            "or the Idempotency-Key reused with another body",
            **PROBLEM,
        },
        422: {"description": "Invalid refund (amount, currency, the key missing)", **PROBLEM},
    },
)
def request_refund(
    order_id: OrderIdPath,
    body: RefundIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.PAYMENTS_REFUND_ANY))],
    idempotency_key: RequiredIdempotencyHeader,
) -> Response:
    """Refund part or all of what the order paid (captured, less what was refunded or
    is being refunded), an admin's: customer service gives appeasements within their
    role's limit (`POST /v1/orders/{id}/appeasements`). `202` with the refund, made
    by the worker; the order's timeline gets `payment.refund_requested`, then
    `payment.refunded` (or `payment.refund_declined`)."""
    ask = refunds.RefundRequest(order_id, body.amount, body.currency, body.reason)
    answer = refunds.request_refund(
        ask,
        unit_of_work(request),
        clock(request),
        scope_of(caller),
        idempotency(idempotency_key, caller, body, request.url.path),
    )
    return accepted(answer)


@router.get("/{order_id}/refunds", response_model=RefundList)
def list_refunds(
    order_id: OrderIdPath,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    """The order's refunds, oldest first: asked, refunded, and their status
    (pending, refunded, declined, partly refunded)."""
    return JSONResponse(refunds.refunds(order_id, unit_of_work(request), scope_of(caller)))
