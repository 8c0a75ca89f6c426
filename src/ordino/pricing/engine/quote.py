"""A cart priced whole, the one way a quote and a capture price it: its lines at the
channel's prices (`price_cart`), then the promotions that apply (none of Ordino's to
a marketplace's cart, which keeps its own), then the taxes its provider works out
(none without one; a marketplace's kept as given).

What a quote shows and capture places are therefore the same money; they differ only
in what they do with a code that gives nothing: a quote says why, capture refuses.

Pure: the same cart, buyer, pricing and `now` give the same quote."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ordino.kernel.domain import FieldError, InvalidInput, fits, limit
from ordino.network.domain import Channel, PriceBasis, ProductFacts
from ordino.pricing.domain import Cart, OrderMoney, TaxClass, code_of
from ordino.pricing.engine.cart import PriceDifference, price_cart
from ordino.pricing.engine.promotions import CartFacts, CodeOutcome, Promoted, PromotionEngine
from ordino.pricing.engine.taxes import TaxProvider, TaxRequest


@dataclass(frozen=True)
class Buyer:
    """Whom a cart is for and where it goes: what promotions and tax ask of it."""

    country: str  # where the goods go
    email: str | None = None
    group: str | None = None
    vat_id: str | None = None  # a business buyer's, as given
    codes: tuple[str, ...] = ()  # promotion codes, as given


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
    promoted = _promoted(buyer, pricing, priced.money, now)
    if pricing.tax is None or channel.pricing.marketplace:
        return Quote(promoted.money, promoted, priced.differences, buyer.vat_id)
    gross = channel.pricing.prices is PriceBasis.GROSS
    day = channel.today(now)
    asked = TaxRequest(promoted.money, pricing.tax_classes, buyer.country, buyer.vat_id, day, gross)
    estimate = pricing.tax.estimate(asked)
    currency = cart.currency
    if not fits(estimate.money.total, currency):  # a net channel's VAT added
        limit_ = f"{limit(currency):f} {currency}"
        raise InvalidInput.of("lines", f"the total with its VAT must be below {limit_}")
    checked = estimate.buyer_vat_id or buyer.vat_id
    return Quote(estimate.money, promoted, priced.differences, checked)


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
