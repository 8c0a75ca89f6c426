"""Pricing's pure model: an order's money, line by line; EU VAT."""

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
from ordino.pricing.domain.tax import (
    TaxClass,
    Treatment,
    VatDue,
    VatRate,
    parse_rates,
    rate_on,
    vat_due,
)

__all__ = [
    "Adjustment",
    "AdjustmentSource",
    "Charge",
    "Discount",
    "OrderMoney",
    "PricedLine",
    "TaxClass",
    "TaxLine",
    "Treatment",
    "VatDue",
    "VatRate",
    "discount_order",
    "discount_units",
    "parse_rates",
    "rate_on",
    "tax_units",
    "vat_due",
]
