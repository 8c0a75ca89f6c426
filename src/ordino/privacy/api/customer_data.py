"""A customer's personal data, on their request: exported as JSON, or erased from
everything Ordino keeps (admins only). docs/security.md#personal-data."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, EmailStr, Field, model_validator

from ordino.http.creation import PROBLEM
from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import ID_PATTERN, Strict
from ordino.http.security import require
from ordino.kernel.domain import ApiKey, Permission
from ordino.orders.api import OrderOut, PaymentOut
from ordino.privacy.services import customer_data
from ordino.privacy.services.customer_data import CustomerRef
from ordino.returns.api import ReturnOut
from ordino.servicing.api import TimelineEntryOut

router = APIRouter(prefix="/v1/customer-data", tags=["personal data"])

Admin = Annotated[ApiKey, Depends(require(Permission.PERSONAL_DATA))]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No order of that customer", **PROBLEM}
}


class CustomerIn(Strict):
    """The customer, by e-mail or by one of their orders (its e-mail then)."""

    email: EmailStr | None = None
    order_id: Annotated[str | None, Field(min_length=1, max_length=64, pattern=ID_PATTERN)] = None

    @model_validator(mode="after")
    def _one_of(self) -> CustomerIn:
        if (self.email is None) == (self.order_id is None):
            raise ValueError("give the customer's email, or order_id: one of them")
        return self

    def to_domain(self) -> CustomerRef:
        return CustomerRef(None if self.email is None else str(self.email), self.order_id)


class PageQuery(Strict):
    cursor: Annotated[
        str | None,
        Field(max_length=32, pattern=ID_PATTERN, description="next_cursor of the previous page"),
    ] = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class ExportedOrderOut(OrderOut):
    tenders: list[PaymentOut]
    timeline: list[TimelineEntryOut]
    returns: list[ReturnOut] = Field(description="Its returns, oldest first")


class ExportOut(BaseModel):
    email: str
    exported_at: str
    orders: list[ExportedOrderOut] = Field(description="Newest first")


class ExportRecordOut(BaseModel):
    id: str
    by: str
    at: str
    orders: list[str]


class ExportPage(BaseModel):
    items: list[ExportRecordOut]
    next_cursor: str | None


class ErasureOut(ExportRecordOut):
    records: dict[str, int] = Field(description="How many records were erased, by kind")


class ErasurePage(BaseModel):
    items: list[ErasureOut]
    next_cursor: str | None


@router.post("/exports", response_model=ExportOut, responses=NOT_FOUND)
def export(body: CustomerIn, request: Request, caller: Admin) -> Response:
    """Every order of the customer, newest first, with their data, tenders and whole
    timeline: what Ordino holds about them. Recorded (who, when, the orders)."""
    uow, now = unit_of_work(request), clock(request)
    answer = customer_data.export_customer(body.to_domain(), uow, now, f"key:{caller.id}")
    return JSONResponse(answer)


@router.get(
    "/exports",
    response_model=ExportPage,
    dependencies=[Depends(require(Permission.PERSONAL_DATA))],
)
def exports(request: Request, params: Annotated[PageQuery, Query()]) -> Response:
    """Every export, the newest first, a page at a time: who asked, when, the orders."""
    uow = unit_of_work(request)
    return JSONResponse(customer_data.list_exports(uow, params.limit, params.cursor))


@router.post(
    "/erasures",
    status_code=201,
    response_model=ErasureOut,
    responses=NOT_FOUND
    | {409: {"description": "An order of the customer is still open", **PROBLEM}},
)
def erase(body: CustomerIn, request: Request, caller: Admin) -> Response:
    """Erase the customer's names, addresses, e-mail and phone (and notes and reasons
    about their orders) wherever Ordino keeps them, keeping amounts, SKUs, dates,
    country and postal area. Refused (409, changing nothing) while an order of theirs
    is open. Recorded (who, when, how many records) and told as `customer.erased`."""
    uow, now = unit_of_work(request), clock(request)
    answer = customer_data.erase_customer(body.to_domain(), uow, now, f"key:{caller.id}")
    return JSONResponse(answer, status_code=201)


@router.get(
    "/erasures",
    response_model=ErasurePage,
    dependencies=[Depends(require(Permission.PERSONAL_DATA))],
)
def erasures(request: Request, params: Annotated[PageQuery, Query()]) -> Response:
    """Every erasure, the newest first, a page at a time: who asked, when, the
    orders, how many records."""
    uow = unit_of_work(request)
    return JSONResponse(customer_data.list_erasures(uow, params.limit, params.cursor))
