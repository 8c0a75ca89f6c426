"""A quote: a cart priced before capture, by the same pricing capture places the order
with (`ordino.pricing.engine.quote_cart`) over the same data (the process's picture
of the channels and products, the promotions with their uses counted now, the tax
provider): its lines, the promotions applied and those passed with why, each code's
outcome, its taxes and its total. Nothing is written; a quote holds nothing back
(a code's use is taken by the order, when it is placed)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from ordino.inventory.services import StockPicture
from ordino.kernel.domain import FieldError, InvalidInput
from ordino.network.domain import known_channel, refuse_unknown_skus, refuse_unserved
from ordino.pricing.domain import (
    Cart,
    CartLine,
    GivenCharge,
    Promotion,
    charge_document,
    conversion_document,
    line_money_document,
    money_document,
)
from ordino.pricing.engine import (
    Buyer,
    PromotionEngine,
    Quote,
    TaxProvider,
    pricing_with,
    quote_cart,
    refuse_unpriced,
)
from ordino.pricing.services.exchange import settlement
from ordino.pricing.services.ports import PricingWork
from ordino.pricing.services.promotions import promotion_engine
from ordino.pricing.services.tax import tax_provider


@dataclass(frozen=True)
class QuoteLine:
    sku: str
    quantity: int
    unit_price: Decimal | None = None  # None: the catalogue's


@dataclass(frozen=True)
class AskQuote:
    channel: str
    currency: str
    lines: tuple[QuoteLine, ...]
    buyer: Buyer
    charges: tuple[GivenCharge, ...] = ()  # a marketplace's, as given


def quote(ask: AskQuote, uow: PricingWork, picture: StockPicture, now: datetime) -> dict[str, Any]:
    """The cart priced as capture would price it now, or InvalidInput naming the
    field that keeps it from being priced."""
    with uow:
        channel = known_channel(picture.channels(uow), ask.channel)
        if problems := channel.line_problems([line.quantity for line in ask.lines]):
            raise InvalidInput(f"lines larger than channel {channel.name} allows", errors=problems)
        skus = [line.sku for line in ask.lines]
        products = picture.products(uow, skus)
        refuse_unknown_skus(skus, products.keys(), "the cart")
        refuse_unpriced(skus, products, ask.currency)
        if not ask.buyer.collects:  # as capture refuses it
            refuse_unserved(picture.carriers(uow), ask.buyer.country)
        promotions, tax = promotions_and_tax(uow, picture, ask.buyer, now)
        # As capture refuses an order it cannot settle in its channel's currency.
        exchange = settlement(uow, picture, channel, ask.currency, channel.today(now))
        pricing = pricing_with(channel, products, ask.currency, promotions, tax)
    lines = []
    for i, line in enumerate(ask.lines):
        price = line.unit_price if line.unit_price is not None else pricing.catalogue.get(line.sku)
        if price is None:
            why = f"the catalogue has no price of {line.sku} in {ask.currency}: give one"
            raise InvalidInput(
                "a line without a price", errors=[FieldError(f"lines[{i}].unit_price", why)]
            )
        lines.append(CartLine(line.sku, line.quantity, price))
    cart = Cart(ask.channel, ask.currency, tuple(lines), ask.charges)
    quoted = quote_cart(cart, ask.buyer, pricing, now)
    return quote_document(cart, replace(quoted, money=replace(quoted.money, exchange=exchange)))


def promotions_and_tax(
    uow: PricingWork, picture: StockPicture, buyer: Buyer, now: datetime, *, fresh: bool = False
) -> tuple[PromotionEngine, TaxProvider | None]:
    """What a cart for `buyer` is promoted and taxed with (in an entered unit of work):
    every promotion there is, as the picture keeps them (`fresh`: as the database
    does: a capture's retry, after a promotion changed), with the uses of those with
    limits counted now; the tax provider for the buyer's country, kept by the picture
    with the other settings (tax settings and rates count as the network's: a change
    forgets it)."""

    def read() -> tuple[Promotion, ...]:
        return tuple(uow.promotions.all())

    promotions = read() if fresh else picture.derived("promotions", read)
    [tax] = picture.derived(("tax", buyer.country), lambda: (tax_provider(uow, buyer.country),))
    return promotion_engine(uow, promotions, buyer, now), tax


def quote_document(cart: Cart, quoted: Quote) -> dict[str, Any]:
    money, promoted = quoted.money, quoted.promoted
    return {
        "channel": cart.channel,
        "currency": cart.currency,
        "lines": [
            {"line_no": line.line_no, "sku": line.sku, "quantity": line.quantity}
            | line_money_document(line)
            for line in money.lines
        ],
        "charges": [charge_document(charge) for charge in money.charges],
        "money": money_document(money),
        "tax_treatment": money.tax_treatment,
        "vat_id": quoted.buyer_vat_id,
        "exchange": None
        if money.exchange is None
        else (
            conversion_document(money.exchange)
            | {"settlement_total": str(money.exchange.settle(money.total))}
        ),
        "promotions": {
            "applied": list(promoted.applied),
            "passed": [{"reference": p.reference, "reason": p.reason} for p in promoted.passed],
        },
        "codes": [
            {"code": c.code, "promotion": c.reference, "applied": c.applied, "reason": c.reason}
            for c in promoted.codes
        ],
        "price_differences": [
            {"line_no": d.line_no, "given": str(d.given), "catalogue": str(d.catalogue)}
            for d in quoted.differences
        ],
    }
