"""Invoices and credit notes: one per shipment, one per refund (docs/money.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ordino.http.creation import PROBLEM
from ordino.http.deps import unit_of_work
from ordino.http.security import require
from ordino.kernel.domain import ApiKey, Permission
from ordino.network.api import AddressOut
from ordino.orchestration.services import invoices
from ordino.orders.api import OrderIdPath
from ordino.orders.domain import scope_of

router = APIRouter(prefix="/v1")
Reader = Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))]


class BillAddressOut(AddressOut):
    name: str | None


class PartyOut(BaseModel):
    name: str | None
    country: str | None
    vat_id: str | None
    email: str | None
    address: BillAddressOut | None


class BilledTaxOut(BaseModel):
    jurisdiction: str
    rate: str = Field(description="As a fraction: 0.19 is 19 %")
    inclusive: bool = Field(description="Inside the net (a gross price), or added to it")
    amount: str


class BilledPartOut(BaseModel):
    ref: str = Field(description="line:<line_no> or charge:<index>: the same across documents")
    kind: str = Field(description="goods, or the charge's kind (shipping, fee)")
    line_no: int | None
    sku: str | None
    description: str | None = Field(
        default=None, description="What the goods are called, as the catalogue named them"
    )
    quantity: int | None = Field(description="Units invoiced; none on a credit note")
    unit_price: str | None
    discount: str
    net: str = Field(description="After discounts, with the taxes inside the price")
    taxes: list[BilledTaxOut]
    total: str


class TaxSummaryOut(BaseModel):
    jurisdiction: str
    rate: str
    base: str = Field(description="What is taxed at the rate, without tax")
    amount: str


class PaidWithOut(BaseModel):
    method: str = Field(description="card, gift_card, store_credit, invoice, marketplace")
    reference: str | None = Field(description="What it is paid from, as the order tells it")
    amount: str


class BillOut(BaseModel):
    id: str
    kind: str = Field(description="invoice or credit_note")
    number: str = Field(description="INV-<year>-<n> or CN-<year>-<n>, without gaps per entity")
    entity: str = Field(description="The selling entity whose series it is numbered in")
    order_id: str
    fulfillment_id: str | None = Field(description="An invoice's shipment")
    refund_id: str | None = Field(description="A credit note's refund")
    issued_at: str
    currency: str
    seller: PartyOut
    buyer: PartyOut
    tax_treatment: str | None
    note: str | None = Field(description="What the tax treatment requires an invoice to say")
    lines: list[BilledPartOut]
    charges: list[BilledPartOut]
    taxes: list[TaxSummaryOut]
    base: str
    tax: str
    total: str
    due_on: str | None = Field(
        default=None, description="An invoice bought on account: by when it is to be paid"
    )
    tenders: list[PaidWithOut] = Field(
        default=[],
        description="Which of the order's tenders paid it (an invoice) or took it back (a "
        "credit note); none on documents issued before orders had tenders",
    )


class BillList(BaseModel):
    items: list[BillOut]


@router.get(
    "/orders/{order_id}/invoices",
    response_model=BillList,
    responses={404: {"description": "No such order", **PROBLEM}},
)
def list_bills(order_id: OrderIdPath, request: Request, caller: Reader) -> Response:
    """The order's invoices (one per shipment, as its goods left) and credit notes
    (one per refund made), oldest first."""
    return JSONResponse(invoices.order_bills(order_id, unit_of_work(request), scope_of(caller)))


@router.get(
    "/invoices/{bill_id}",
    response_model=BillOut,
    responses={404: {"description": "No such invoice or credit note", **PROBLEM}},
)
def get_bill(
    bill_id: Annotated[str, Path(min_length=1, max_length=32)], request: Request, caller: Reader
) -> Response:
    """One invoice or credit note, by its id."""
    return JSONResponse(invoices.get_bill(bill_id, unit_of_work(request), scope_of(caller)))
