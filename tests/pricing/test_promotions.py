"""Promotions applied: percent or amount off the order, lines, units or shipping; buy X
get Y; thresholds, dates, codes, currencies and CEL conditions; priority and
stacking (an exclusive promotion applies alone); each discount names the version
that gave it, each promotion that did not apply says why; what is no promotion is
refused by its fields."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.kernel.domain import FieldError, InvalidInput
from ordino.pricing.domain import (
    Adjustment,
    AdjustmentSource,
    Benefit,
    Charge,
    OrderMoney,
    PricedLine,
    Promotion,
    Stacking,
    discount_units,
)
from ordino.pricing.engine import BuiltInPromotions, CartFacts, CodeOutcome

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)
WEB = CartFacts("web", "ada@example.com", "vip", "DE")
SPRING_SALE = Adjustment(AdjustmentSource.CHANNEL, "web", "spring sale")


def a_cart(*, shipping: str | None = None) -> OrderMoney:
    """Two jackets at 50.00 and three socks at 5.00: 115.00."""
    lines = (
        PricedLine.plain(1, "JACKET", 2, Decimal("50.00"), "EUR"),
        PricedLine.plain(2, "SOCKS", 3, Decimal("5.00"), "EUR"),
    )
    charges = () if shipping is None else (Charge("shipping", Decimal(shipping), "EUR"),)
    return OrderMoney("EUR", lines, charges)


def promo(benefit: Benefit, value: str, **fields: Any) -> Promotion:
    fields.setdefault("currency", "EUR")
    return Promotion(
        fields.pop("id", "p1"), fields.pop("name", "a deal"), benefit, Decimal(value), **fields
    )


def applied(*promotions: Promotion, codes: tuple[str, ...] = (), **cart: Any) -> Any:
    return BuiltInPromotions(promotions).apply(a_cart(**cart), WEB, codes, NOW)


def off(money: OrderMoney) -> list[str]:
    return [str(line.discount) for line in money.lines]


def test_ten_percent_off_the_order_is_spread_over_its_lines_by_value() -> None:
    promoted = applied(promo(Benefit.ORDER_PERCENT, "10", name="10 % off everything"))

    assert off(promoted.money) == ["10.00", "1.50"]
    [discount] = promoted.money.lines[0].discounts
    assert (discount.adjustment.reference, discount.adjustment.reason) == (
        "p1@1",
        "10 % off everything",
    )
    assert promoted.applied == ("p1@1",)


def test_amounts_off_the_order_lines_and_units() -> None:
    socks = frozenset({"SOCKS"})

    assert off(applied(promo(Benefit.ORDER_AMOUNT, "23.00")).money) == ["20.00", "3.00"]
    assert off(applied(promo(Benefit.LINE_PERCENT, "20", skus=socks)).money) == ["0.00", "3.00"]
    assert off(applied(promo(Benefit.UNIT_AMOUNT, "1.50", skus=socks)).money) == ["0.00", "4.50"]
    # never more than the goods are worth
    assert off(applied(promo(Benefit.ORDER_AMOUNT, "500.00")).money) == ["100.00", "15.00"]


def test_buy_two_socks_get_the_third_free() -> None:
    socks = frozenset({"SOCKS"})

    promoted = applied(promo(Benefit.BUY_X_GET_Y, "100", skus=socks, buy=2, get=1))

    assert off(promoted.money) == ["0.00", "5.00"]


def test_free_shipping_above_a_threshold() -> None:
    free = promo(Benefit.SHIPPING_PERCENT, "100", threshold=Decimal("100.00"))

    money = applied(free, shipping="4.90").money
    below = applied(
        promo(Benefit.SHIPPING_PERCENT, "100", threshold=Decimal("200.00")), shipping="4.90"
    )

    assert (money.charges[0].net, money.total) == (Decimal("0.00"), Decimal("115.00"))
    assert below.passed[0].reason == "its lines come to 115.00, below 200.00"


def test_an_exclusive_promotion_applies_alone_and_first_by_priority() -> None:
    big = promo(Benefit.ORDER_PERCENT, "20", id="big", priority=1, stacking=Stacking.EXCLUSIVE)
    small = promo(Benefit.ORDER_AMOUNT, "5.00", id="small", priority=2)

    promoted = applied(small, big)

    assert promoted.applied == ("big@1",)
    assert [(p.reference, p.reason) for p in promoted.passed] == [
        ("small@1", "not combined with big@1")
    ]


def test_stackable_promotions_apply_one_after_another() -> None:
    first = promo(Benefit.ORDER_PERCENT, "10", id="a", priority=1)
    then = promo(Benefit.ORDER_AMOUNT, "10.35", id="b", priority=2)
    late = promo(Benefit.ORDER_PERCENT, "50", id="c", priority=3, stacking=Stacking.EXCLUSIVE)

    promoted = applied(late, then, first)

    # 10 % of 115.00 = 11.50, then 10.35 off the 103.50 left: 21.85 in all
    assert promoted.money.discount == Decimal("21.85")
    assert promoted.applied == ("a@1", "b@1")
    assert promoted.passed[0].reason == "not combined with a@1, b@1"


@pytest.mark.parametrize(
    ("promotion", "reason"),
    [
        (promo(Benefit.ORDER_PERCENT, "10", condition='customer.group == "staff"'),
         "its condition does not hold"),
        (promo(Benefit.ORDER_PERCENT, "10", condition="cart.no_such_fact > 1"),
         "its condition cannot be evaluated"),
        (promo(Benefit.ORDER_PERCENT, "10", codes=frozenset({"HI"})), "its code was not given"),
        (promo(Benefit.ORDER_PERCENT, "10", ends_at=NOW), "not running now"),
        (promo(Benefit.ORDER_AMOUNT, "10.00", currency="CHF"), "for CHF carts"),
        (promo(Benefit.LINE_PERCENT, "10", skus=frozenset({"HAT"})), "no line it takes"),
    ],
)  # fmt: skip
def test_a_promotion_that_does_not_apply_says_why(promotion: Promotion, reason: str) -> None:
    promoted = applied(promotion)

    assert promoted.money.discount == 0
    assert promoted.passed[0].reason.startswith(reason)


def test_a_code_unlocks_its_promotion_and_a_condition_can_name_the_cart() -> None:
    condition = 'cart.channel == "web" && "SOCKS" in cart.skus && cart.subtotal > 100.0'
    coded = promo(Benefit.ORDER_PERCENT, "10", codes=frozenset({"HELLO"}), condition=condition)

    promoted = applied(coded, codes=(" hello",))  # any case, spaces around

    assert promoted.applied == ("p1@1",)
    assert promoted.money.lines[0].discounts[0].adjustment.reason == "a deal (code HELLO)"
    assert promoted.codes == (CodeOutcome("HELLO", "p1@1", True),)


@given(
    st.lists(st.sampled_from(["10", "25", "33.33", "50", "100"]), min_size=1, max_size=4),
    st.lists(st.sampled_from(["0.01", "3.00", "17.50", "99.99"]), max_size=3),
)
def test_no_promotions_take_more_than_the_goods_or_leave_a_unit_below_zero(
    percents: list[str], amounts: list[str]
) -> None:
    promotions = [promo(Benefit.ORDER_PERCENT, p, id=f"p{n}") for n, p in enumerate(percents)] + [
        promo(Benefit.UNIT_AMOUNT, a, id=f"a{n}") for n, a in enumerate(amounts)
    ]

    money = BuiltInPromotions(promotions).apply(a_cart(), WEB, (), NOW).money

    assert Decimal(0) <= money.discount <= Decimal("115.00")
    for line in money.lines:  # a unit below zero would not even be made
        assert line.paid_over(0, line.quantity) == line.total


@pytest.mark.parametrize(
    ("promotion", "field"),
    [
        (promo(Benefit.ORDER_PERCENT, "0"), "value"),
        (promo(Benefit.ORDER_PERCENT, "101"), "value"),
        (promo(Benefit.ORDER_AMOUNT, "5.001"), "value"),
        (promo(Benefit.ORDER_AMOUNT, "5.00", currency=None), "currency"),
        (promo(Benefit.BUY_X_GET_Y, "100", buy=2), "buy"),
        (promo(Benefit.ORDER_PERCENT, "10", starts_at=NOW, ends_at=NOW), "ends_at"),
        (promo(Benefit.ORDER_PERCENT, "10", condition="cart.subtotal >"), "condition"),
        (promo(Benefit.ORDER_PERCENT, "10", condition="cart.subtotal"), "condition"),
    ],
)
def test_what_is_no_promotion_is_refused_by_its_field(promotion: Promotion, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        promotion.refuse_problems()

    assert refused.value.errors[0].field == field


def test_a_promotion_that_gives_nothing_is_passed_and_keeps_no_other_from_applying() -> None:
    nothing = promo(Benefit.BUY_X_GET_Y, "100", id="bogo", skus=frozenset({"JACKET"}),
                    buy=2, get=1, priority=1, stacking=Stacking.EXCLUSIVE)  # fmt: skip
    ten = promo(Benefit.ORDER_PERCENT, "10", id="ten", priority=2)
    no_hat = promo(Benefit.SHIPPING_PERCENT, "100", id="hat", skus=frozenset({"HAT"}))

    promoted = applied(nothing, ten, no_hat, shipping="4.90")

    assert promoted.applied == ("ten@1",)  # two jackets are no three
    assert {p.reference: p.reason for p in promoted.passed} == {
        "bogo@1": "gives nothing to this cart",
        "hat@1": "no line it takes",  # free shipping with a hat: no hat, no free shipping
    }
    assert promoted.money.charges[0].net == Decimal("4.90")


def test_buy_x_get_y_takes_the_cheapest_units() -> None:
    line = PricedLine.plain(1, "SOCKS", 3, Decimal("0.02"), "EUR")
    cheaper = discount_units(line, Decimal("0.01"), SPRING_SALE, "d")  # 0.01, 0.02, 0.02
    money = OrderMoney("EUR", (replace(line, discounts=(cheaper,)),))
    bogo = promo(Benefit.BUY_X_GET_Y, "100", buy=2, get=1)

    promoted = BuiltInPromotions([bogo]).apply(money, WEB, (), NOW)

    assert promoted.money.lines[0].discount == Decimal("0.02")  # 0.01, then the 0.01 unit


def test_a_condition_nested_too_deeply_is_refused_and_never_a_crash() -> None:
    deep = "(" * 300 + "cart.units > 0" + ")" * 300

    with pytest.raises(InvalidInput) as refused:
        promo(Benefit.ORDER_PERCENT, "10", condition=deep).refuse_problems()

    assert refused.value.errors[0] == FieldError("condition", "nested too deeply")
    assert applied(promo(Benefit.ORDER_PERCENT, "10", condition=deep)).passed[0].reason == (
        "its condition cannot be evaluated: nested too deeply"
    )


def test_an_amount_too_large_for_its_currency_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInput) as refused:
        promo(Benefit.ORDER_AMOUNT, "9" * 30).refuse_problems()

    assert refused.value.errors[0].field == "value"
