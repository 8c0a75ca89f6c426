"""Balances Ordino keeps: gift cards issued and store credit granted (once per
Idempotency-Key), and either read with its entries."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ordino.http.creation import PROBLEM, RequiredIdempotencyHeader, created, idempotency
from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import Amount, Currency, OptionalText, Strict
from ordino.http.security import require
from ordino.kernel.domain import ApiKey, Permission
from ordino.payments.services import (
    GiftCardIssue,
    StoreCreditGrant,
    gift_card,
    grant_store_credit,
    issue_gift_card,
    store_credit,
)

router = APIRouter(prefix="/v1/gift-cards", tags=["payments"])
credit_router = APIRouter(prefix="/v1/store-credit", tags=["payments"])
CodePath = Annotated[str, Path(min_length=1, max_length=40)]


class GiftCardIn(Strict):
    amount: Amount
    currency: Currency
    code: Annotated[
        str | None,
        Field(
            min_length=4,
            max_length=40,
            description="Letters, digits and dashes, kept in capitals; none: Ordino makes one up",
        ),
    ] = None


class EntryOut(BaseModel):
    kind: str = Field(description="issued, held, released, refunded")
    amount: str = Field(description="Put on the balance; below zero: taken off it")
    order_id: str | None
    note: str | None = Field(description="Why, as the one who put it on said")
    at: str


class GiftCardOut(BaseModel):
    code: str
    currency: str
    balance: str
    entries: list[EntryOut]


class StoreCreditIn(Strict):
    email: Annotated[str, Field(min_length=3, max_length=254, description="The customer's")]
    amount: Amount
    currency: Currency
    reason: OptionalText = None


class StoreCreditOut(BaseModel):
    email: str
    currency: str
    balance: str
    entries: list[EntryOut]


@router.post(
    "",
    status_code=201,
    response_model=GiftCardOut,
    responses={
        409: {"description": "The code is taken, or the key reused with another body", **PROBLEM},
        422: {"description": "Invalid card (amount, currency, code, the key missing)", **PROBLEM},
    },
)
def issue(
    body: GiftCardIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.PAYMENTS_REFUND))],
    idempotency_key: RequiredIdempotencyHeader,
) -> Response:
    """Issue a gift card with its balance (to spend on orders: docs/money.md)."""
    answer = issue_gift_card(
        GiftCardIssue(body.amount, body.currency, body.code),
        unit_of_work(request),
        clock(request),
        f"key:{caller.id}",
        idempotency(idempotency_key, caller, body, request.url.path),
    )
    return created(answer, f"/v1/gift-cards/{answer.body['code']}")


@router.get(
    "/{code}",
    response_model=GiftCardOut,
    responses={404: {"description": "No such gift card", **PROBLEM}},
)
def read(
    code: CodePath,
    request: Request,
    _caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_CREATE))],
) -> Response:
    """A gift card's balance, and what was put on and taken off it."""
    return JSONResponse(gift_card(code, unit_of_work(request)))


@credit_router.post(
    "",
    status_code=201,
    response_model=StoreCreditOut,
    responses={
        409: {"description": "The key reused with another body", **PROBLEM},
        422: {
            "description": "Invalid credit (email, amount, a currency not the balance's, "
            "the key missing)",
            **PROBLEM,
        },
    },
)
def grant(
    body: StoreCreditIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.PAYMENTS_REFUND))],
    idempotency_key: RequiredIdempotencyHeader,
) -> Response:
    """Put store credit on a customer's balance (by their email), for their orders
    to spend (docs/money.md)."""
    answer = grant_store_credit(
        StoreCreditGrant(body.email, body.amount, body.currency, body.reason),
        unit_of_work(request),
        clock(request),
        f"key:{caller.id}",
        idempotency(idempotency_key, caller, body, request.url.path),
    )
    return created(answer, f"/v1/store-credit?{urlencode({'email': answer.body['email']})}")


@credit_router.get(
    "",
    response_model=StoreCreditOut,
    responses={404: {"description": "The customer has no store credit", **PROBLEM}},
)
def read_credit(
    request: Request,
    _caller: Annotated[ApiKey, Depends(require(Permission.PAYMENTS_REFUND))],
    email: Annotated[str, Query(min_length=3, max_length=254)],
) -> Response:
    """A customer's store credit, and what was put on and taken off it."""
    return JSONResponse(store_credit(email, unit_of_work(request)))
