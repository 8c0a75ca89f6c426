"""Pricing's engines: a cart priced as an order's money."""

from ordino.pricing.engine.cart import PricedCart, PriceDifference, price_cart
from ordino.pricing.engine.promotions import (
    BuiltInPromotions,
    CartFacts,
    Passed,
    Promoted,
    PromotionEngine,
)
from ordino.pricing.engine.taxes import (
    EuVat,
    TaxEstimate,
    TaxProvider,
    TaxRequest,
    countries_taxed,
)

__all__ = [
    "BuiltInPromotions",
    "CartFacts",
    "EuVat",
    "Passed",
    "PriceDifference",
    "PricedCart",
    "Promoted",
    "PromotionEngine",
    "TaxEstimate",
    "TaxProvider",
    "TaxRequest",
    "countries_taxed",
    "price_cart",
]
