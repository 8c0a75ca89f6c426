"""Pricing's pure model: an order's money, line by line, and its documents; EU VAT."""

from ordino.pricing.domain.documents import (
    charge_document,
    charge_from,
    discounts_from,
    line_money_document,
    money_document,
    parts_document,
    taxes_from,
)
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
    "charge_document",
    "charge_from",
    "discount_order",
    "discount_units",
    "discounts_from",
    "line_money_document",
    "money_document",
    "parse_rates",
    "parts_document",
    "rate_on",
    "tax_units",
    "taxes_from",
    "vat_due",
]
