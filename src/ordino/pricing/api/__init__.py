"""Pricing's answers: an order's money as the API shows it."""

from ordino.pricing.api.schemas import (
    ChargeOut,
    DiscountOut,
    LineMoneyOut,
    OrderMoneyOut,
    TaxLineOut,
    UnitRunOut,
)

__all__ = ["ChargeOut", "DiscountOut", "LineMoneyOut", "OrderMoneyOut", "TaxLineOut", "UnitRunOut"]
