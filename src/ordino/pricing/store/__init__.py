"""Pricing's storage: VAT rates, the tax settings, the promotions."""

from ordino.pricing.store.promotions import SqlPromotions
from ordino.pricing.store.rates import SqlTaxRates
from ordino.pricing.store.tables import promotion_versions, promotions, tax_rates, tax_settings

__all__ = [
    "SqlPromotions",
    "SqlTaxRates",
    "promotion_versions",
    "promotions",
    "tax_rates",
    "tax_settings",
]
