"""A cart priced: the lines a caller asks for, at the prices they give, as the
order's money (`ordino.pricing.domain.OrderMoney`). The same pricing serves a quote
and a capture, so what a customer was quoted is what the order is placed at.

Pure: the same cart gives the same money."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ordino.pricing.domain import OrderMoney, PricedLine


@dataclass(frozen=True)
class CartLine:
    sku: str
    quantity: int
    unit_price: Decimal  # the caller's sale price of one unit


@dataclass(frozen=True)
class Cart:
    """What is to be priced: lines numbered from 1 in their order."""

    channel: str
    currency: str
    lines: tuple[CartLine, ...]


def price_cart(cart: Cart) -> OrderMoney:
    """Each line at the caller's price (the list price too, until the catalogue's
    is known), nothing taken off, no tax, no charge."""
    lines = tuple(
        PricedLine.plain(no, line.sku, line.quantity, line.unit_price, cart.currency)
        for no, line in enumerate(cart.lines, start=1)
    )
    return OrderMoney(cart.currency, lines)
