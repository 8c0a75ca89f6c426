"""Pricing's storage: VAT rates, the tax settings, the promotions, exchange rates,
invoices and credit notes."""

from ordino.pricing.store.customs import SqlCustomsRates, SqlDeclarations
from ordino.pricing.store.exchange import SqlExchangeRates
from ordino.pricing.store.invoices import SqlBills
from ordino.pricing.store.promotions import SqlPromotions
from ordino.pricing.store.rates import SqlTaxRates
from ordino.pricing.store.tables import (
    bill_series,
    bills,
    customs_declarations,
    customs_rates,
    exchange_rates,
    promotion_redemptions,
    promotion_uses,
    promotion_versions,
    promotions,
    tax_rates,
    tax_settings,
)
from ordino.pricing.store.uses import SqlPromotionUses

__all__ = [
    "SqlBills",
    "SqlCustomsRates",
    "SqlDeclarations",
    "SqlExchangeRates",
    "SqlPromotionUses",
    "SqlPromotions",
    "SqlTaxRates",
    "bill_series",
    "bills",
    "customs_declarations",
    "customs_rates",
    "exchange_rates",
    "promotion_redemptions",
    "promotion_uses",
    "promotion_versions",
    "promotions",
    "tax_rates",
    "tax_settings",
]
