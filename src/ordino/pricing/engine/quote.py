"""A cart priced whole, the one way a quote and a capture price it: its lines at the
channel's prices (`price_cart`) and the channel's shipping charge (none to a
customer who collects), then the promotions that apply (none of Ordino's to a
marketplace's cart, which keeps its own), then shipping free from the rate's value
of the goods, then the taxes its provider works out (none without one; a
marketplace's kept as given).

What a quote shows and capture places are therefore the same money; they differ only
in what they do with a code that gives nothing: a quote says why, capture refuses.

Pure: the same cart, buyer, pricing and `now` give the same quote."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from ordino.kernel.domain import FieldError, InvalidInput, fits, limit
from ordino.network.domain import Channel, PriceBasis, ProductFacts, ShippingRate
from ordino.pricing.domain import (
    Adjustment,
    AdjustmentSource,
    Cart,
    Charge,
    OrderMoney,
    TaxClass,
    code_of,
    discount_units,
)
from ordino.pricing.engine.cart import PriceDifference, price_cart
from ordino.pricing.engine.promotions import CartFacts, CodeOutcome, Promoted, PromotionEngine
from ordino.pricing.engine.taxes import TaxProvider, TaxRequest

SHIPPING = "shipping"  # the kind of the charge a channel's shipping rate adds


@dataclass(frozen=True)
class Buyer:
    """Whom a cart is for and where it goes: what promotions and tax ask of it."""

    country: str  # where the goods go
    email: str | None = None
    group: str | None = None
    vat_id: str | None = None  # a business buyer's, as given
    codes: tuple[str, ...] = ()  # promotion codes, as given
    collects: bool = False  # no shipping charge: at a store (or an exchange's)


@dataclass(frozen=True)
class Pricing:
    """What a cart is priced with: its channel, the catalogue's prices in the cart's
    currency and the tax classes (by SKU), the promotions (with the uses of those with
    limits, as read), the tax provider (None: Ordino works out no tax)."""

    channel: Channel
    catalogue: Mapping[str, Decimal]
    tax_classes: Mapping[str, TaxClass]
    promotions: PromotionEngine | None
    tax: TaxProvider | None


def refuse_unpriced(
    skus: Sequence[str], products: Mapping[str, ProductFacts], currency: str
) -> None:
    """Each known SKU the catalogue prices has a price in `currency` (unknown ones are
    refused as such elsewhere), or InvalidInput naming each line's `lines[i].sku`."""
    errors = [
        FieldError(f"lines[{n}].sku", f"{sku} has no price in {currency} (it has {has})")
        for n, sku in enumerate(skus)
        if (facts := products.get(sku)) and facts.currencies and currency not in facts.currencies
        for has in [", ".join(sorted(facts.currencies))]
    ]
    if errors:
        raise InvalidInput(f"products without a price in {currency}", errors=errors)


def pricing_with(
    channel: Channel,
    products: Mapping[str, ProductFacts],
    currency: str,
    promotions: PromotionEngine | None,
    tax: TaxProvider | None,
) -> Pricing:
    """What a cart in `currency` is priced with, from the facts of its known products."""
    catalogue = {
        sku: price
        for sku, facts in products.items()
        if (price := facts.prices.get(currency)) is not None
    }
    classes = {sku: TaxClass(facts.tax_class) for sku, facts in products.items()}
    return Pricing(channel, catalogue, classes, promotions, tax)


@dataclass(frozen=True)
class Quote:
    money: OrderMoney  # priced, promoted, taxed
    promoted: Promoted  # the promotions applied and passed (and why), each code's outcome
    differences: tuple[PriceDifference, ...] = ()  # prices not the catalogue's (flagged)
    buyer_vat_id: str | None = None  # as the tax provider checked it


def quote_cart(cart: Cart, buyer: Buyer, pricing: Pricing, now: datetime) -> Quote:
    """The cart's money, or InvalidInput naming the field that keeps it from being
    priced (a price the channel refuses, a country or class without a rate, a code
    given to a marketplace's cart, …)."""
    channel = pricing.channel
    priced = price_cart(cart, channel.pricing, pricing.catalogue)
    rate = _shipping_rate(cart, buyer, channel)
    money = priced.money
    if rate is not None and rate.price:
        charge = Charge(SHIPPING, rate.price, cart.currency)
        money = replace(money, charges=(*money.charges, charge))
    promoted = _promoted(buyer, pricing, money, now)
    if _ships_free(promoted.money, rate):
        # Free by the channel: so before the promotions, which then find no shipping
        # to take off (taking no use, budget or exclusive place for it); unless the
        # goods, promoted otherwise, would then no longer reach the threshold.
        again = _promoted(buyer, pricing, _free_shipping(money, rate, channel.name), now)
        promoted = again if _ships_free(again.money, rate) else promoted
    money = _free_shipping(promoted.money, rate, channel.name)
    checked = buyer.vat_id
    if pricing.tax is not None and not channel.pricing.marketplace:
        gross = channel.pricing.prices is PriceBasis.GROSS
        day = channel.today(now)
        asked = TaxRequest(money, pricing.tax_classes, buyer.country, buyer.vat_id, day, gross)
        estimate = pricing.tax.estimate(asked)
        money, checked = estimate.money, estimate.buyer_vat_id or buyer.vat_id
    if not fits(money.total, cart.currency):  # with its shipping, a net channel's VAT
        limit_ = f"{limit(cart.currency):f} {cart.currency}"
        raise InvalidInput.of("lines", f"the total must be below {limit_}")
    return Quote(money, promoted, priced.differences, checked)


def _shipping_rate(cart: Cart, buyer: Buyer, channel: Channel) -> ShippingRate | None:
    """The channel's shipping rate the cart pays: none for a marketplace's (it brings
    its own charges) or one the customer collects."""
    if channel.pricing.marketplace or buyer.collects:
        return None
    return channel.pricing.shipping_rate(cart.currency, buyer.country)


def _ships_free(money: OrderMoney, rate: ShippingRate | None) -> bool:
    """The goods, after their discounts, come to the rate's `free_from`."""
    if rate is None or rate.free_from is None:
        return False
    return sum((line.net for line in money.lines), Decimal(0)) >= rate.free_from


def _free_shipping(money: OrderMoney, rate: ShippingRate | None, channel: str) -> OrderMoney:
    """The shipping charge free (what is left of it) once the goods come to the
    rate's `free_from`, after their discounts."""
    if rate is None or rate.free_from is None or not _ships_free(money, rate):
        return money
    why = Adjustment(AdjustmentSource.CHANNEL, channel, f"free shipping from {rate.free_from}")
    charges = tuple(
        replace(c, discounts=(*c.discounts, discount_units(c, c.net, why, f"charges[{k}]")))
        if c.kind == SHIPPING and c.net > 0
        else c
        for k, c in enumerate(money.charges)
    )
    return replace(money, charges=charges)


def _promoted(buyer: Buyer, pricing: Pricing, money: OrderMoney, now: datetime) -> Promoted:
    """The money with the promotions that apply; a marketplace's cart keeps its own
    discounts and takes none of Ordino's (nor codes)."""
    channel = pricing.channel
    if channel.pricing.marketplace:
        if buyer.codes:
            raise InvalidInput.of("codes", "a marketplace's order takes no promotion codes")
        return Promoted(money)
    if pricing.promotions is None:
        return Promoted(money, codes=tuple(_unknown(code) for code in buyer.codes))
    facts = CartFacts(channel.name, buyer.email, buyer.group, buyer.country)
    return pricing.promotions.apply(money, facts, buyer.codes, now)


def _unknown(code: str) -> CodeOutcome:
    return CodeOutcome(code_of(code), None, False, "no promotion has this code")
