"""A cart priced: lines at the caller's prices with the catalogue's as list prices; a
price that is not the catalogue's accepted, flagged or refused by the channel's
policy; a marketplace's discounts, taxes and charges kept as given, another
channel's refused by their fields."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.kernel.domain import InvalidInput
from ordino.network.domain import ChannelPricing, PriceMismatch
from ordino.pricing.domain import (
    AdjustmentSource,
    Cart,
    CartLine,
    GivenCharge,
    GivenDiscount,
    GivenTax,
)
from ordino.pricing.engine import PriceDifference, price_cart

CATALOGUE = {"SKU-1": Decimal("59.90"), "SKU-2": Decimal("19.90")}
MARKETPLACE = ChannelPricing(marketplace=True)


def vat(amount: str) -> GivenTax:
    return GivenTax("DE", Decimal("0.19"), Decimal(amount), inclusive=True)


def a_cart(*lines: CartLine, charges: tuple[GivenCharge, ...] = ()) -> Cart:
    return Cart("amazon", "EUR", lines, charges)


def refused_fields(cart: Cart, pricing: ChannelPricing) -> list[str]:
    with pytest.raises(InvalidInput) as refused:
        price_cart(cart, pricing, CATALOGUE)
    return [error.field for error in refused.value.errors]


def test_a_line_lists_the_catalogues_price_and_sells_at_the_callers() -> None:
    cart = a_cart(CartLine("SKU-1", 2, Decimal("49.90")), CartLine("SKU-9", 1, Decimal("5.00")))

    priced = price_cart(cart, ChannelPricing(), CATALOGUE)

    first, unknown = priced.money.lines
    assert (first.list_price, first.sale_price, first.total) == (
        Decimal("59.90"),
        Decimal("49.90"),
        Decimal("99.80"),
    )
    assert unknown.list_price == unknown.sale_price == Decimal("5.00")  # none in the catalogue
    assert priced.differences == ()  # accepted: nothing to look at


def test_a_channel_that_refuses_other_prices_names_each_line_that_has_one() -> None:
    cart = a_cart(CartLine("SKU-1", 1, Decimal("59.90")), CartLine("SKU-2", 1, Decimal("9.90")))

    assert refused_fields(cart, ChannelPricing(mismatch=PriceMismatch.REFUSE)) == [
        "lines[1].unit_price"
    ]


def test_a_channel_that_flags_other_prices_says_which() -> None:
    cart = a_cart(CartLine("SKU-2", 1, Decimal("9.90")))

    priced = price_cart(cart, ChannelPricing(mismatch=PriceMismatch.FLAG), CATALOGUE)

    assert priced.differences == (PriceDifference(1, Decimal("9.90"), Decimal("19.90")),)
    assert str(priced.differences[0]) == "line 1: 9.90 given, 19.90 in the catalogue"


def test_a_marketplaces_discounts_taxes_and_charges_are_kept_as_given() -> None:
    coupon = GivenDiscount(Decimal("10.00"), "AMZ-COUPON-7", "Lightning deal")
    vat = GivenTax("DE", Decimal("0.19"), Decimal("15.53"), inclusive=True)
    shipping = GivenCharge(
        "shipping",
        Decimal("4.99"),
        (GivenDiscount(Decimal("4.99"), "PRIME"),),
        (GivenTax("DE", Decimal("0.19"), Decimal("0.00"), inclusive=True),),
    )
    cart = a_cart(CartLine("SKU-1", 2, Decimal("59.90"), (coupon,), (vat,)), charges=(shipping,))

    money = price_cart(cart, MARKETPLACE, CATALOGUE).money

    [line] = money.lines
    [discount] = line.discounts
    assert discount.adjustment.source is AdjustmentSource.MARKETPLACE
    assert (discount.adjustment.reference, discount.adjustment.reason) == (
        "AMZ-COUPON-7",
        "Lightning deal",
    )
    assert (line.net, line.tax, line.total) == (
        Decimal("109.80"),
        Decimal("15.53"),  # as the marketplace worked it out, not recomputed
        Decimal("109.80"),
    )
    assert [line.unit_paid(0), line.unit_paid(1)] == [Decimal("54.90"), Decimal("54.90")]
    assert money.charges[0].net == Decimal("0.00")  # shipping free with Prime
    assert money.charges[0].discounts[0].adjustment.reason == "given by amazon"
    assert money.total == Decimal("109.80")


def test_an_exclusive_tax_given_is_added_to_the_total() -> None:
    sales_tax = GivenTax("US-CA", Decimal("0.0725"), Decimal("4.34"), inclusive=False)
    cart = Cart("amazon", "USD", (CartLine("SKU-1", 1, Decimal("59.90"), (), (sales_tax,)),))

    money = price_cart(cart, MARKETPLACE, {}).money

    assert money.total == Decimal("64.24")


def test_another_channels_order_brings_no_discounts_taxes_or_charges() -> None:
    cart = a_cart(
        CartLine("SKU-1", 1, Decimal("59.90"), (GivenDiscount(Decimal("1.00")),)),
        CartLine("SKU-2", 1, Decimal("19.90"), (), (vat("3.18"),)),
        charges=(GivenCharge("shipping", Decimal("4.99")),),
    )

    assert refused_fields(cart, ChannelPricing()) == [
        "lines[0].discounts",
        "lines[1].taxes",
        "charges",
    ]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (CartLine("SKU-1", 1, Decimal("59.90"), (GivenDiscount(Decimal("59.91")),)),
         "lines[0].discounts[0].amount"),
        (CartLine("SKU-1", 1, Decimal("59.90"), (), (vat("60.00"),)), "lines[0].taxes[0].amount"),
        (CartLine("SKU-1", 1, Decimal("59.90"), (), (vat("40.00"),) * 2), "lines[0].taxes"),
    ],
)  # fmt: skip
def test_what_a_marketplace_gives_that_no_line_can_hold_is_refused_by_its_field(
    line: CartLine, field: str
) -> None:
    assert refused_fields(a_cart(line), MARKETPLACE) == [field]
