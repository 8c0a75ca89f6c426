"""How an order's money is answered: each line's prices, discounts and taxes (each
per unit, as runs of units paying the same), the charges, and the totals derived
from them. Amounts are decimal strings in the order's currency."""

from __future__ import annotations

from pydantic import BaseModel, Field


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


class OrderMoneyOut(BaseModel):
    goods: str = Field(description="The lines' gross")
    discount: str = Field(description="Taken off the lines and the charges")
    charges: str = Field(description="The charges' prices")
    tax: str = Field(description="Every tax, in the prices or added")
    total: str = Field(description="What the customer pays")
