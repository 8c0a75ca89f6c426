"""Pricing's use cases and the port they speak to."""

from ordino.pricing.services.customs import load_customs_rates
from ordino.pricing.services.exchange import load_exchange_rates, settlement
from ordino.pricing.services.ports import PricingWork, Promotions, TaxRates
from ordino.pricing.services.promotions import (
    get_promotion,
    list_promotions,
    promotion_engine,
    put_promotion,
)
from ordino.pricing.services.quotes import AskQuote, QuoteLine, promotions_and_tax, quote
from ordino.pricing.services.tax import (
    TaxedFor,
    get_settings,
    list_rates,
    load_rates,
    put_settings,
    rates_changed,
    tax_provider,
    taxed_again,
)

__all__ = [
    "AskQuote",
    "PricingWork",
    "Promotions",
    "QuoteLine",
    "TaxRates",
    "TaxedFor",
    "get_promotion",
    "get_settings",
    "list_promotions",
    "list_rates",
    "load_customs_rates",
    "load_exchange_rates",
    "load_rates",
    "promotion_engine",
    "promotions_and_tax",
    "put_promotion",
    "put_settings",
    "quote",
    "rates_changed",
    "settlement",
    "tax_provider",
    "taxed_again",
]
