"""Pricing's answers: an order's money as the API shows it."""

from ordino.pricing.api.schemas import (
    ChargeIn,
    ChargeOut,
    DiscountOut,
    ExchangeOut,
    GivenDiscountIn,
    GivenTaxIn,
    LineMoneyOut,
    OrderMoneyOut,
    TaxLineOut,
    UnitRunOut,
    given_discounts,
    given_taxes,
)

__all__ = [
    "ChargeIn",
    "ChargeOut",
    "DiscountOut",
    "ExchangeOut",
    "GivenDiscountIn",
    "GivenTaxIn",
    "LineMoneyOut",
    "OrderMoneyOut",
    "TaxLineOut",
    "UnitRunOut",
    "given_discounts",
    "given_taxes",
]
