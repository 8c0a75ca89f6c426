"""Pricing's engines: a cart priced as an order's money."""

from ordino.pricing.engine.cart import PricedCart, PriceDifference, price_cart
from ordino.pricing.engine.promotions import (
    EVERYONE,
    BuiltInPromotions,
    CartFacts,
    CodeOutcome,
    Passed,
    Promoted,
    PromotionEngine,
    PromotionUse,
    Usage,
    UsageKey,
    customer_key,
)
from ordino.pricing.engine.taxes import (
    EuVat,
    TaxEstimate,
    TaxProvider,
    TaxRequest,
    countries_taxed,
)

__all__ = [
    "EVERYONE",
    "BuiltInPromotions",
    "CartFacts",
    "CodeOutcome",
    "EuVat",
    "Passed",
    "PriceDifference",
    "PricedCart",
    "Promoted",
    "PromotionEngine",
    "PromotionUse",
    "TaxEstimate",
    "TaxProvider",
    "TaxRequest",
    "Usage",
    "UsageKey",
    "countries_taxed",
    "customer_key",
    "price_cart",
]
