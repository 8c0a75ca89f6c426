"""Pricing's use cases and the port they speak to."""

from ordino.pricing.services.ports import PricingWork, TaxRates
from ordino.pricing.services.tax import (
    get_settings,
    list_rates,
    load_rates,
    put_settings,
    tax_provider,
)

__all__ = [
    "PricingWork",
    "TaxRates",
    "get_settings",
    "list_rates",
    "load_rates",
    "put_settings",
    "tax_provider",
]
