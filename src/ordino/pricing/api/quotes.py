"""Quotes over HTTP: `POST /v1/quotes` prices a cart before capture, as capture will
price the order (docs/money.md, "Quotes"): its lines, the promotions applied and
passed with why, each code's outcome, its taxes and its total. Nothing is written."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, EmailStr, Field

from ordino.http.creation import PROBLEM
from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import (
    Amount,
    Country,
    Currency,
    Identifier,
    PositiveQuantity,
    PromotionCode,
    Strict,
)
from ordino.http.security import require
from ordino.kernel.domain import (
    ApiKey,
    BadAmount,
    FieldError,
    InvalidInput,
    Permission,
    parse_amount,
)
from ordino.pricing.api.schemas import ChargeOut, ExchangeOut, LineMoneyOut, OrderMoneyOut
from ordino.pricing.engine import Buyer
from ordino.pricing.services import AskQuote, QuoteLine, quote

router = APIRouter(prefix="/v1/quotes", tags=["quotes"])


class QuoteLineIn(Strict):
    sku: Identifier
    quantity: PositiveQuantity
    unit_price: Annotated[
        Amount | None, Field(description="What a unit sells for; none: the catalogue's price")
    ] = None


class QuoteShipToIn(Strict):
    country: Country


class QuoteCustomerIn(Strict):
    email: EmailStr | None = None
    group: Annotated[
        str | None, Field(min_length=1, max_length=32, pattern=r"^[a-z][a-z0-9_-]*$")
    ] = None
    vat_id: Annotated[str | None, Field(min_length=4, max_length=32)] = None


class QuoteIn(Strict):
    channel: Identifier
    currency: Currency
    lines: Annotated[list[QuoteLineIn], Field(min_length=1, max_length=500)]
    ship_to: QuoteShipToIn
    customer: QuoteCustomerIn = QuoteCustomerIn()
    codes: Annotated[
        list[PromotionCode],
        Field(max_length=10, description="Promotion codes the customer gave (any case)"),
    ] = []
    collect: Annotated[
        bool, Field(description="The customer collects at a store: no shipping charge")
    ] = False

    def to_domain(self) -> AskQuote:
        lines, errors, currency = [], [], self.currency
        for i, line in enumerate(self.lines):
            try:
                price = None if line.unit_price is None else parse_amount(line.unit_price, currency)
            except BadAmount as bad:
                errors.append(FieldError(f"lines[{i}].unit_price", str(bad)))
                continue
            lines.append(QuoteLine(line.sku, line.quantity, price))
        if errors:
            raise InvalidInput("invalid amounts", errors=errors)
        c = self.customer
        email = None if c.email is None else c.email.lower()
        codes = tuple(self.codes)
        buyer = Buyer(self.ship_to.country, email, c.group, c.vat_id, codes, self.collect)
        return AskQuote(self.channel, self.currency, tuple(lines), buyer)


class QuoteLineOut(LineMoneyOut):
    line_no: int
    sku: str
    quantity: int


class PassedOut(BaseModel):
    reference: str = Field(description="The promotion's id@version")
    reason: str


class PromotionsOut(BaseModel):
    applied: list[str] = Field(description="The promotions' id@version, in the order they applied")
    passed: list[PassedOut]


class CodeOut(BaseModel):
    code: str
    promotion: str | None = Field(
        description="The id@version it unlocks; none: no promotion has it"
    )
    applied: bool
    reason: str | None = Field(description="Why it gives nothing (an order with it is refused)")


class PriceDifferenceOut(BaseModel):
    line_no: int
    given: str
    catalogue: str


class QuoteOut(BaseModel):
    channel: str
    currency: str
    lines: list[QuoteLineOut]
    charges: list[ChargeOut]
    money: OrderMoneyOut
    tax_treatment: str | None
    vat_id: str | None = Field(description="The buyer's VAT id as checked")
    exchange: ExchangeOut | None = Field(
        description="The rate the order would be settled at (none: in its own currency)"
    )
    promotions: PromotionsOut
    codes: list[CodeOut]
    price_differences: list[PriceDifferenceOut] = Field(
        description="Prices not the catalogue's, which the channel flags: an order held"
    )


@router.post(
    "",
    response_model=QuoteOut,
    responses={422: {"description": "A cart that cannot be priced", **PROBLEM}},
)
def post_quote(
    body: QuoteIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_CREATE))],
) -> Response:
    """Price a cart as capture would price it now, without placing it."""
    caller.require_channel(body.channel)
    answer = quote(
        body.to_domain(), unit_of_work(request), request.app.state.capture.picture, clock(request)
    )
    return JSONResponse(answer)
