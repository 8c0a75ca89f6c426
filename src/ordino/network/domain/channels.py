"""Sales channels: the web shop, the app, a marketplace, the stores' tills. A channel
is known when it is configured (`PUT /v1/channels/{name}`), and only a known channel
places orders, has a view of stock, a sourcing profile or a key scoped to it: any
other name is a typo, refused where it is given, never a new channel by accident.

A channel's settings say what its orders may ask: at most `max_line_quantity` units
of a line (a shop's customer does not buy 999,999 of a SKU; a B2B channel may); and
in which time zone its customers' days run (`time_zone`): "today" for a date an order
asks is the channel's today (at 20:30 in New York it is still the 2nd; in UTC it is
the 3rd already). And how it prices (`pricing`): whether its prices hold tax (gross)
or have it added (net); what happens when an order's unit price is not the
catalogue's (accepted, the order held for a person to look at, or refused); and
whether it is a marketplace, whose orders bring their own discounts, taxes and
charges, kept as given; and what its customers pay for shipping (`shipping`: rates
by currency and country, free from a value of the goods), which is not what the
carrier costs the retailer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from ordino.kernel.domain import FieldError, InvalidInput

DEFAULT_MAX_LINE_QUANTITY = 1_000
MAX_LINE_QUANTITY = 1_000_000  # what any channel may allow at most


class PriceBasis(StrEnum):
    GROSS = "gross"  # prices hold their tax (consumers in the EU)
    NET = "net"  # tax is added to the prices (B2B, the US)


class PriceMismatch(StrEnum):
    """What an order's unit price that is not the catalogue's does."""

    ACCEPT = "accept"  # the order is placed at it
    FLAG = "flag"  # placed, and held for a person to look at the price
    REFUSE = "refuse"  # the order is refused, naming the line's price


@dataclass(frozen=True)
class ShippingRate:
    """What a channel's customer pays to have an order shipped, in `currency`, to
    `countries` (none: anywhere): `price`, or nothing once the goods come to
    `free_from` (after their discounts)."""

    currency: str
    price: Decimal
    countries: frozenset[str] = frozenset()
    free_from: Decimal | None = None

    def serves(self, currency: str, country: str) -> bool:
        return self.currency == currency and (not self.countries or country in self.countries)


@dataclass(frozen=True)
class ChannelPricing:
    prices: PriceBasis = PriceBasis.GROSS
    mismatch: PriceMismatch = PriceMismatch.ACCEPT
    marketplace: bool = False  # its orders bring their discounts, taxes and charges
    shipping: tuple[ShippingRate, ...] = field(default=())  # the first that serves applies
    settlement_currency: str | None = None  # what its orders settle in; None: their own
    # Who pays the duties and import VAT of its parcels that cross a customs border:
    # DAP the receiver, DDP the sender (`ordino.pricing.domain.customs.Incoterm`).
    incoterm: str = "DAP"
    # The order in which a shipment's capture takes from an order's tenders, and a
    # refund gives back to them, by method (those not named after, in Ordino's
    # order: `ordino.payments.domain.tenders`); empty: Ordino's order.
    capture_order: tuple[str, ...] = ()
    refund_order: tuple[str, ...] = ()

    def shipping_rate(self, currency: str, country: str) -> ShippingRate | None:
        """The rate an order in `currency` to `country` pays; None: shipping is free."""
        return next((r for r in self.shipping if r.serves(currency, country)), None)


@dataclass(frozen=True)
class Channel:
    name: str
    max_line_quantity: int = DEFAULT_MAX_LINE_QUANTITY
    description: str | None = None
    time_zone: str = "UTC"  # an IANA zone
    pricing: ChannelPricing = ChannelPricing()

    def today(self, now: datetime) -> date:
        """The channel's date at `now`."""
        return now.astimezone(ZoneInfo(self.time_zone)).date()

    def line_problems(self, quantities: Sequence[int]) -> list[FieldError]:
        """Each line asking more units than the channel allows, by its field."""
        too_many = f"at most {self.max_line_quantity} units a line in channel {self.name}"
        return [
            FieldError(f"lines[{n}].quantity", too_many)
            for n, quantity in enumerate(quantities)
            if quantity > self.max_line_quantity
        ]


def channel_document(channel: Channel) -> dict[str, Any]:
    return {
        "max_line_quantity": channel.max_line_quantity,
        "description": channel.description,
        "time_zone": channel.time_zone,
        "pricing": {
            "prices": str(channel.pricing.prices),
            "price_mismatch": str(channel.pricing.mismatch),
            "marketplace": channel.pricing.marketplace,
            "shipping": [_rate_document(rate) for rate in channel.pricing.shipping],
            "settlement_currency": channel.pricing.settlement_currency,
            "incoterm": channel.pricing.incoterm,
            "tenders": {
                "capture": list(channel.pricing.capture_order),
                "refund": list(channel.pricing.refund_order),
            },
        },
    }


def _rate_document(rate: ShippingRate) -> dict[str, Any]:
    return {
        "currency": rate.currency,
        "price": str(rate.price),
        "countries": sorted(rate.countries),
        "free_from": None if rate.free_from is None else str(rate.free_from),
    }


def _rate(document: dict[str, Any]) -> ShippingRate:
    free_from = document["free_from"]
    return ShippingRate(
        document["currency"],
        Decimal(document["price"]),
        frozenset(document["countries"]),
        None if free_from is None else Decimal(free_from),
    )


def channel_from_document(name: str, document: dict[str, Any]) -> Channel:
    """A channel from its document (one written before channels priced has the
    defaults: gross prices, any price accepted, no marketplace, free shipping)."""
    pricing = document.get("pricing") or {}
    return Channel(
        name,
        int(document.get("max_line_quantity", DEFAULT_MAX_LINE_QUANTITY)),
        document.get("description"),
        document.get("time_zone", "UTC"),
        ChannelPricing(
            PriceBasis(pricing.get("prices", PriceBasis.GROSS)),
            PriceMismatch(pricing.get("price_mismatch", PriceMismatch.ACCEPT)),
            bool(pricing.get("marketplace", False)),
            tuple(_rate(rate) for rate in pricing.get("shipping", ())),
            pricing.get("settlement_currency"),
            pricing.get("incoterm", "DAP"),
            tuple((pricing.get("tenders") or {}).get("capture", ())),
            tuple((pricing.get("tenders") or {}).get("refund", ())),
        ),
    )


def known_channel(known: Mapping[str, Channel], name: str, field: str = "channel") -> Channel:
    """The channel of that name, or InvalidInput naming `field`."""
    channel = known.get(name)
    if channel is None:
        raise InvalidInput.of(field, unknown(name))
    return channel


def refuse_unknown_channels(known: Mapping[str, Channel], names: Iterable[str]) -> None:
    """Configuration listing channels (a view, a sourcing profile) lists known ones."""
    errors = [FieldError("channels", unknown(name)) for name in sorted(set(names) - set(known))]
    if errors:
        raise InvalidInput("unknown channels", errors=errors)


def unknown(name: str) -> str:
    return f"no channel {name!r} (configure it at PUT /v1/channels/{{name}})"
