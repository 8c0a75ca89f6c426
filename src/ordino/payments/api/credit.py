"""Credit accounts of businesses buying on account: their limit and terms set, read
with what they owe and its entries, and the payments they made recorded (once per
Idempotency-Key)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ordino.http.creation import PROBLEM, RequiredIdempotencyHeader, created, idempotency
from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import Amount, Currency, OptionalText, Strict
from ordino.http.security import require
from ordino.kernel.domain import ApiKey, Permission
from ordino.payments.services import (
    AccountPayment,
    CreditTerms,
    credit_account,
    put_credit_account,
    record_account_payment,
)

router = APIRouter(prefix="/v1/credit-accounts", tags=["payments"])
AccountPath = Annotated[
    str, Path(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._@+-]*$")
]


class CreditAccountIn(Strict):
    currency: Currency
    credit_limit: Annotated[
        Amount, Field(description="What it may owe at most; an order past it is held")
    ]
    terms_days: Annotated[
        int, Field(strict=True, ge=0, le=365, description="Days it has to pay an invoice")
    ] = 30


class AccountPaymentIn(Strict):
    amount: Amount
    currency: Currency
    reference: OptionalText = None


class AccountEntryOut(BaseModel):
    kind: str = Field(description="charged (an order), released, refunded, paid")
    amount: str = Field(description="Added to what it owes; below zero: taken off it")
    order_id: str | None
    note: str | None
    at: str


class CreditAccountOut(BaseModel):
    account: str
    currency: str
    credit_limit: str
    open: str = Field(description="What it owes now (below zero: paid beyond it)")
    available: str
    terms_days: int
    entries: list[AccountEntryOut]


@router.put(
    "/{account}",
    response_model=CreditAccountOut,
    responses={422: {"description": "Invalid terms, or another currency", **PROBLEM}},
)
def put_account(
    account: AccountPath,
    body: CreditAccountIn,
    request: Request,
    _caller: Annotated[ApiKey, Depends(require(Permission.NETWORK_WRITE))],
) -> Response:
    """Set a business's credit limit and payment terms (the account is what its
    orders' `invoice` tender names; docs/money.md)."""
    terms = CreditTerms(body.currency, body.credit_limit, body.terms_days)
    created, answer = put_credit_account(account, terms, unit_of_work(request), clock(request))
    return JSONResponse(answer, status_code=201 if created else 200)


@router.get(
    "/{account}",
    response_model=CreditAccountOut,
    responses={404: {"description": "No such credit account", **PROBLEM}},
)
def read_account(
    account: AccountPath,
    request: Request,
    _caller: Annotated[ApiKey, Depends(require(Permission.PAYMENTS_REFUND))],
) -> Response:
    """A business's credit account: its limit, what it owes, and each change of it."""
    return JSONResponse(credit_account(account, unit_of_work(request)))


@router.post(
    "/{account}/payments",
    status_code=201,
    response_model=CreditAccountOut,
    responses={
        404: {"description": "No such credit account", **PROBLEM},
        409: {"description": "The key reused with another body", **PROBLEM},
        422: {"description": "Invalid amount or currency, the key missing", **PROBLEM},
    },
)
def pay(
    account: AccountPath,
    body: AccountPaymentIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.PAYMENTS_REFUND))],
    idempotency_key: RequiredIdempotencyHeader,
) -> Response:
    """Record a payment the business made of what it owes."""
    answer = record_account_payment(
        account,
        AccountPayment(body.amount, body.currency, body.reference),
        unit_of_work(request),
        clock(request),
        f"key:{caller.id}",
        idempotency(idempotency_key, caller, body, request.url.path),
    )
    return created(answer, f"/v1/credit-accounts/{account}")
