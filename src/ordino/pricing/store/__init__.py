"""Pricing's storage: VAT rates, the tax settings, the promotions."""

from ordino.pricing.store.promotions import SqlPromotions
from ordino.pricing.store.rates import SqlTaxRates
from ordino.pricing.store.tables import (
    promotion_redemptions,
    promotion_uses,
    promotion_versions,
    promotions,
    tax_rates,
    tax_settings,
)
from ordino.pricing.store.uses import SqlPromotionUses

__all__ = [
    "SqlPromotionUses",
    "SqlPromotions",
    "SqlTaxRates",
    "promotion_redemptions",
    "promotion_uses",
    "promotion_versions",
    "promotions",
    "tax_rates",
    "tax_settings",
]
