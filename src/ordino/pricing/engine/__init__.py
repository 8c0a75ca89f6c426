"""Pricing's engines: a cart priced as an order's money."""

from ordino.pricing.engine.cart import PricedCart, PriceDifference, price_cart

__all__ = ["PriceDifference", "PricedCart", "price_cart"]
