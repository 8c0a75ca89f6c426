"""Pricing's engines: a cart priced as an order's money."""

from ordino.pricing.engine.cart import Cart, CartLine, price_cart

__all__ = ["Cart", "CartLine", "price_cart"]
