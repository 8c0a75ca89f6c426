"""Pricing's storage: VAT rates and the tax settings."""

from ordino.pricing.store.rates import SqlTaxRates
from ordino.pricing.store.tables import tax_rates, tax_settings

__all__ = ["SqlTaxRates", "tax_rates", "tax_settings"]
