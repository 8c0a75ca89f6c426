"""Pricing's use cases and the port they speak to."""

from ordino.pricing.services.ports import PricingWork, Promotions, TaxRates
from ordino.pricing.services.promotions import (
    get_promotion,
    list_promotions,
    promotion_engine,
    put_promotion,
)
from ordino.pricing.services.tax import (
    get_settings,
    list_rates,
    load_rates,
    put_settings,
    tax_provider,
)

__all__ = [
    "PricingWork",
    "Promotions",
    "TaxRates",
    "get_promotion",
    "get_settings",
    "list_promotions",
    "list_rates",
    "load_rates",
    "promotion_engine",
    "put_promotion",
    "put_settings",
    "tax_provider",
]
