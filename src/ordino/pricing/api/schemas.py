"""What a marketplace's order brings priced, and how an order's money is answered:
each line's prices, discounts and taxes (each per unit, as runs of units paying the
same), the charges, and the totals derived from them. Amounts are decimal strings in
the order's currency."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from ordino.http.fields import Amount, OptionalText, Strict
from ordino.kernel.domain import BadAmount, FieldError, parse_amount
from ordino.pricing.domain import GivenCharge, GivenDiscount, GivenTax


class UnitRunOut(BaseModel):
    amount: str
    units: int = Field(description="How many units, one after another, carry this amount")


class DiscountOut(BaseModel):
    source: str = Field(description="promotion, channel, marketplace or correction")
    reference: str = Field(description="Which one: a promotion's id@version, a channel, …")
    reason: str
    amount: str
    per_unit: list[UnitRunOut]


class TaxLineOut(BaseModel):
    jurisdiction: str
    rate: str = Field(description="As a fraction: 0.19 is 19 %")
    inclusive: bool = Field(description="In the price (true) or added to it")
    amount: str
    per_unit: list[UnitRunOut]
    base: str | None = Field(
        description="What it taxes, without tax, when a share of the value (shipping taxed "
        "as the goods at several rates); none: all of it"
    )


class LineMoneyOut(BaseModel):
    list_price: str = Field(description="The catalogue's price of a unit")
    unit_price: str = Field(description="What a unit sells for, before discounts")
    gross: str
    discount: str
    net: str = Field(description="gross less discount")
    tax: str
    total: str = Field(description="net plus the taxes not in the price")
    discounts: list[DiscountOut]
    taxes: list[TaxLineOut]


class ChargeOut(BaseModel):
    kind: str = Field(description="shipping, fee")
    price: str
    net: str
    total: str
    discounts: list[DiscountOut]
    taxes: list[TaxLineOut]


class ExchangeOut(BaseModel):
    presentment: str = Field(description="The order's currency: what the customer pays in")
    settlement: str
    rate: str = Field(description="One presentment unit in the settlement currency")
    date: str = Field(description="The day of the rate")
    source: str
    settlement_total: str


class OrderMoneyOut(BaseModel):
    goods: str = Field(description="The lines' gross")
    discount: str = Field(description="Taken off the lines and the charges")
    charges: str = Field(description="The charges' prices")
    tax: str = Field(description="Every tax, in the prices or added")
    total: str = Field(description="What the customer pays")


# What a marketplace's order brings priced already (only a marketplace channel's
# order may: `ordino.pricing.engine.cart`). Amounts in the order's currency.


class GivenDiscountIn(Strict):
    amount: Annotated[Amount, Field(description="Taken off the line (all its units) or charge")]
    reference: OptionalText = None  # the marketplace's name for it: a coupon, a deal
    reason: OptionalText = None

    def to_domain(self, currency: str, field: str, errors: list[FieldError]) -> GivenDiscount:
        amount = _amount(self.amount, currency, f"{field}.amount", errors)
        return GivenDiscount(amount, self.reference or None, self.reason or None)


class GivenTaxIn(Strict):
    jurisdiction: Annotated[
        str,
        Field(
            pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,6})?$",
            description="A country (DE), or a region of one (US-CA)",
        ),
    ]
    rate: Annotated[
        str,
        Field(
            pattern=r"^(0(\.[0-9]{1,6})?|1(\.0{1,6})?)$",
            description="As a fraction from 0 to 1, at most 6 decimals: 0.19 for 19 %",
        ),
    ]
    amount: Amount
    inclusive: bool = Field(description="In the price (true), or added to it")

    def to_domain(self, currency: str, field: str, errors: list[FieldError]) -> GivenTax:
        amount = _amount(self.amount, currency, f"{field}.amount", errors)
        return GivenTax(self.jurisdiction, Decimal(self.rate), amount, self.inclusive)


class ChargeIn(Strict):
    kind: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$", description="shipping, fee")]
    price: Amount
    discounts: Annotated[list[GivenDiscountIn], Field(max_length=10)] = []
    taxes: Annotated[list[GivenTaxIn], Field(max_length=5)] = []

    def to_domain(self, currency: str, field: str, errors: list[FieldError]) -> GivenCharge:
        return GivenCharge(
            self.kind,
            _amount(self.price, currency, f"{field}.price", errors),
            given_discounts(self.discounts, currency, field, errors),
            given_taxes(self.taxes, currency, field, errors),
        )


def given_discounts(
    given: list[GivenDiscountIn], currency: str, field: str, errors: list[FieldError]
) -> tuple[GivenDiscount, ...]:
    return tuple(
        d.to_domain(currency, f"{field}.discounts[{j}]", errors) for j, d in enumerate(given)
    )


def given_taxes(
    given: list[GivenTaxIn], currency: str, field: str, errors: list[FieldError]
) -> tuple[GivenTax, ...]:
    return tuple(t.to_domain(currency, f"{field}.taxes[{j}]", errors) for j, t in enumerate(given))


def _amount(text: str, currency: str, field: str, errors: list[FieldError]) -> Decimal:
    """The amount in the currency's digits; a bad one noted by its field (zero kept
    in its place, so the other fields are checked too)."""
    try:
        return parse_amount(text, currency)
    except BadAmount as bad:
        errors.append(FieldError(field, str(bad)))
        return Decimal(0)
