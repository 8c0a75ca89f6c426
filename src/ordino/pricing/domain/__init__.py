"""Pricing's pure model: an order's money, line by line."""

from ordino.pricing.domain.order_money import (
    Adjustment,
    AdjustmentSource,
    Charge,
    Discount,
    OrderMoney,
    PricedLine,
    TaxLine,
    discount_order,
    discount_units,
    tax_units,
)

__all__ = [
    "Adjustment",
    "AdjustmentSource",
    "Charge",
    "Discount",
    "OrderMoney",
    "PricedLine",
    "TaxLine",
    "discount_order",
    "discount_units",
    "tax_units",
]
