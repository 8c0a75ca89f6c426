"""The money of an order, line by line: a discount spread over lines and units adds up
to the cent whatever the lines, no unit goes below zero, what each unit paid adds up
to its line's total, and the order's totals are its parts'."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.kernel.domain import InvalidInput, UnitAmounts
from ordino.pricing.domain.order_money import (
    Adjustment,
    AdjustmentSource,
    Charge,
    OrderMoney,
    PricedLine,
    TaxLine,
    discount_order,
    discount_units,
    tax_units,
)

SPRING = Adjustment(AdjustmentSource.PROMOTION, "spring@1", "10 % off the order")


def a_line(no: int, quantity: int, price: str, currency: str = "EUR") -> PricedLine:
    return PricedLine(no, f"SKU-{no}", quantity, Decimal(price), Decimal(price), currency)


CENTS = st.integers(min_value=0, max_value=100_000).map(lambda c: Decimal(c).scaleb(-2))
LINES = st.lists(
    st.tuples(st.integers(min_value=1, max_value=12), CENTS), min_size=1, max_size=8
).map(
    lambda specs: [
        PricedLine(n, f"SKU-{n}", q, price, price, "EUR")
        for n, (q, price) in enumerate(specs, start=1)
    ]
)


@given(LINES, st.data())
def test_an_order_discount_adds_up_to_the_cent_and_leaves_no_unit_below_zero(
    lines: list[PricedLine], data: st.DataObject
) -> None:
    worth = sum((line.net for line in lines), Decimal(0))
    cents = data.draw(st.integers(min_value=0, max_value=int(worth * 100)))
    amount = Decimal(cents).scaleb(-2)

    discounted = discount_order(lines, amount, SPRING, "discount")

    assert sum((line.discount for line in discounted), Decimal(0)) == amount
    for line in discounted:  # a unit below zero would not even be made
        assert all(line.unit_net(unit) >= 0 for unit in range(line.quantity))
        assert sum((line.unit_paid(u) for u in range(line.quantity)), Decimal(0)) == line.total


@given(LINES, st.sampled_from(["0.19", "0.07", "0.2", "0.055", "0"]), st.booleans())
def test_a_lines_tax_is_rounded_once_and_its_units_parts_add_up_to_it(
    lines: list[PricedLine], rate: str, inclusive: bool
) -> None:
    for line in lines:
        tax = tax_units(line, "DE", Decimal(rate), inclusive=inclusive)
        taxed = PricedLine(
            line.line_no, line.sku, line.quantity, line.list_price, line.sale_price, "EUR",
            taxes=(tax,),
        )  # fmt: skip

        assert tax.amount == sum((tax.per_unit.at(u) for u in range(line.quantity)), Decimal(0))
        assert taxed.total == (line.net if inclusive else line.net + tax.amount)
        assert sum((taxed.unit_paid(u) for u in range(line.quantity)), Decimal(0)) == taxed.total


def test_a_german_line_with_vat_inclusive_and_exclusive() -> None:
    line = a_line(1, 3, "19.99")

    inclusive = tax_units(line, "DE", Decimal("0.19"), inclusive=True)
    exclusive = tax_units(line, "DE", Decimal("0.19"), inclusive=False)

    # 59.97 holds 59.97 - 59.97 / 1.19 = 9.575… -> 9.58 of VAT; 59.97 * 0.19 = 11.3943 -> 11.39
    assert (inclusive.amount, inclusive.per_unit) == (
        Decimal("9.58"),
        UnitAmounts(((Decimal("3.20"), 1), (Decimal("3.19"), 2))),
    )
    assert exclusive.amount == Decimal("11.39")


def test_a_ten_euro_discount_over_three_units_is_3_34_and_twice_3_33() -> None:
    line = a_line(1, 3, "20.00")

    discount = discount_units(line, Decimal("10.00"), SPRING, "discount")

    assert discount.per_unit == UnitAmounts(((Decimal("3.34"), 1), (Decimal("3.33"), 2)))


def test_an_order_discount_goes_to_the_lines_by_what_they_sell_for() -> None:
    lines = [a_line(1, 1, "30.00"), a_line(2, 2, "10.00")]  # 30 and 20

    discounted = discount_order(lines, Decimal("5.00"), SPRING, "discount")

    assert [line.discount for line in discounted] == [Decimal("3.00"), Decimal("2.00")]
    assert discounted[0].discounts[0].adjustment == SPRING  # it says who gave it


def test_a_discount_above_the_value_is_refused_naming_the_field() -> None:
    lines = [a_line(1, 2, "10.00")]

    with pytest.raises(InvalidInput) as refused:
        discount_order(lines, Decimal("20.01"), SPRING, "promotions[0].amount")

    assert refused.value.errors[0].field == "promotions[0].amount"


def test_the_orders_totals_are_its_parts() -> None:
    line = discount_order([a_line(1, 2, "50.00")], Decimal("10.00"), SPRING, "discount")[0]
    vat = tax_units(line, "DE", Decimal("0.19"), inclusive=True)
    taxed = PricedLine(
        1, "SKU-1", 2, Decimal("59.00"), Decimal("50.00"), "EUR", line.discounts, (vat,)
    )
    shipping = Charge("shipping", Decimal("4.90"), "EUR")

    money = OrderMoney("EUR", (taxed,), (shipping,))

    assert (money.discount, money.tax, money.total) == (
        Decimal("10.00"),
        Decimal("14.37"),  # 90 - 90 / 1.19 = 14.3697… -> 14.37, inside the price
        Decimal("94.90"),
    )
    assert taxed.list_price - taxed.sale_price == Decimal("9.00")  # saved on the list price


def test_amounts_past_the_currencys_digits_or_below_zero_are_not_made() -> None:
    with pytest.raises(ValueError, match="digits"):
        a_line(1, 1, "1.005")
    with pytest.raises(ValueError, match="digits"):
        a_line(1, 1, "1.5", "JPY")
    with pytest.raises(ValueError, match="digits"):
        a_line(1, 1, "-1.00")


def test_discounts_come_before_taxes() -> None:
    line = a_line(1, 2, "10.00")
    vat = tax_units(line, "DE", Decimal("0.19"), inclusive=False)
    taxed = PricedLine(1, "SKU-1", 2, Decimal("10.00"), Decimal("10.00"), "EUR", taxes=(vat,))

    with pytest.raises(ValueError, match="before taxes"):
        discount_order([taxed], Decimal("10.00"), SPRING, "discount")


def test_a_discount_below_zero_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        discount_units(a_line(1, 2, "10.00"), Decimal("-1.00"), SPRING, "discount")

    assert refused.value.errors[0].field == "discount"


def test_an_order_is_in_one_currency() -> None:
    with pytest.raises(ValueError, match="currency"):
        OrderMoney("EUR", (a_line(1, 1, "10.00"), a_line(2, 1, "1000", "JPY")))
    with pytest.raises(ValueError, match="currency"):
        discount_order(
            [a_line(1, 1, "10.00"), a_line(2, 1, "1000", "JPY")], Decimal(1), SPRING, "d"
        )


@pytest.mark.parametrize(
    "make",
    [
        lambda: PricedLine(1, "S", 0, Decimal(1), Decimal(1), "EUR"),
        lambda: PricedLine(1, "S", -1, Decimal(1), Decimal(1), "EUR"),
        lambda: PricedLine(1, "S", True, Decimal(1), Decimal(1), "EUR"),  # type: ignore[arg-type]
        lambda: PricedLine(1, "S", 1, Decimal("-3.99"), Decimal(1), "EUR"),
        lambda: PricedLine(1, "S", 1, Decimal("NaN"), Decimal(1), "EUR"),
        lambda: PricedLine(1, "S", 1, Decimal(1), Decimal("Infinity"), "EUR"),
        lambda: PricedLine(1, "S", 1, Decimal(1), Decimal("1E+30"), "EUR"),
    ],
)
def test_what_is_no_line_is_not_made(make: Callable[[], PricedLine]) -> None:
    with pytest.raises(ValueError):
        make()


def test_a_unit_holds_no_more_inclusive_tax_than_its_price() -> None:
    too_much = TaxLine("DE", Decimal("0.19"), UnitAmounts.same(Decimal("5.00"), 1), inclusive=True)

    with pytest.raises(ValueError, match="more tax"):
        PricedLine(1, "S", 1, Decimal(1), Decimal(1), "EUR", taxes=(too_much,))


def test_an_amount_past_the_currencys_digits_is_not_spread() -> None:
    with pytest.raises(ValueError, match="digits"):
        discount_units(a_line(1, 2, "10.00"), Decimal("0.015"), SPRING, "discount")


def test_a_million_units_are_a_few_runs_and_read_back_by_range() -> None:
    line = a_line(1, 1_000_000, "0.99")

    discounted = discount_units(line, Decimal("100000.01"), SPRING, "discount")
    taxed = PricedLine(
        1, "SKU-1", 1_000_000, Decimal("0.99"), Decimal("0.99"), "EUR", (discounted,),
    )  # fmt: skip
    vat = tax_units(taxed, "DE", Decimal("0.19"), inclusive=False)

    assert len(discounted.per_unit.runs) <= 2 and len(vat.per_unit.runs) <= 4
    first, rest = taxed.paid_over(0, 1), taxed.paid_over(1, 999_999)
    assert first + rest == taxed.net  # 0.99 * 1e6 - 100,000.01
    assert first == Decimal("0.88")  # the cent left over went to the first unit


def test_units_leave_from_the_first_and_what_they_paid_adds_up() -> None:
    line = discount_units(a_line(1, 3, "20.00"), Decimal("10.00"), SPRING, "discount")
    priced = PricedLine(1, "SKU-1", 3, Decimal("20.00"), Decimal("20.00"), "EUR", (line,))

    assert [priced.unit_paid(u) for u in range(3)] == [
        Decimal("16.66"),
        Decimal("16.67"),
        Decimal("16.67"),
    ]
    assert priced.paid_over(0, 2) + priced.paid_over(2, 1) == priced.total
