"""What is to be priced: a cart (a quote's, or an order's at capture), its lines at
the caller's prices, and what a marketplace's order brings priced already: its
discounts, taxes and charges, kept as given."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class GivenDiscount:
    """An amount a marketplace took off a line or charge (all its units together)."""

    amount: Decimal
    reference: str | None = None  # the marketplace's name for it (a coupon, a deal)
    reason: str | None = None


@dataclass(frozen=True)
class GivenTax:
    """A tax a marketplace worked out, as it did: its amount on the line or charge."""

    jurisdiction: str
    rate: Decimal  # 0.19 for 19 %
    amount: Decimal
    inclusive: bool


@dataclass(frozen=True)
class GivenCharge:
    kind: str  # "shipping", "fee"
    price: Decimal
    discounts: tuple[GivenDiscount, ...] = ()
    taxes: tuple[GivenTax, ...] = ()


@dataclass(frozen=True)
class CartLine:
    sku: str
    quantity: int
    unit_price: Decimal  # the caller's sale price of one unit
    discounts: tuple[GivenDiscount, ...] = ()  # a marketplace's, as given
    taxes: tuple[GivenTax, ...] = ()  # a marketplace's, as given


@dataclass(frozen=True)
class Cart:
    """What is to be priced: lines numbered from 1 in their order, and a
    marketplace's charges."""

    channel: str
    currency: str
    lines: tuple[CartLine, ...]
    charges: tuple[GivenCharge, ...] = ()
    # A return's exchange order (placed by Ordino): its lines' discounts, as given, are
    # what the returned units' took off (an even exchange costs what they paid).
    exchange: bool = False
