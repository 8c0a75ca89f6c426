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
from ordino.pricing.engine.quote import (
    Buyer,
    Pricing,
    Quote,
    pricing_with,
    quote_cart,
    refuse_unpriced,
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
    "Buyer",
    "CartFacts",
    "CodeOutcome",
    "EuVat",
    "Passed",
    "PriceDifference",
    "PricedCart",
    "Pricing",
    "Promoted",
    "PromotionEngine",
    "PromotionUse",
    "Quote",
    "TaxEstimate",
    "TaxProvider",
    "TaxRequest",
    "Usage",
    "UsageKey",
    "countries_taxed",
    "customer_key",
    "price_cart",
    "pricing_with",
    "quote_cart",
    "refuse_unpriced",
]
