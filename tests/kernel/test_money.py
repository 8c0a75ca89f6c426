"""Money: amounts carry at most their currency's minor digits; rounding happens in one
place; a sum spread over parts loses and creates no unit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.kernel.domain.money import (
    BadAmount,
    Money,
    UnitAmounts,
    from_minor,
    is_currency,
    minor_digits,
    parse_amount,
    quantize,
    spread,
    spread_minor,
    spread_minor_runs,
    to_minor,
)


@pytest.mark.parametrize(
    ("text", "currency", "amount"),
    [
        ("12.34", "EUR", "12.34"),
        ("12.3", "EUR", "12.30"),
        ("12", "EUR", "12.00"),
        (" 59.90 ", "EUR", "59.90"),
        ("1E+2", "EUR", "100.00"),
        ("1500", "JPY", "1500"),
        ("1.234", "BHD", "1.234"),
        ("1", "BHD", "1.000"),
        ("0", "EUR", "0.00"),
        # Zeros past the currency's decimals say nothing more: the amount is exact.
        ("1.0000", "EUR", "1.00"),
        ("12.340", "EUR", "12.34"),
        ("1.00", "JPY", "1"),
        ("1.2340", "BHD", "1.234"),
    ],
)
def test_an_amount_is_parsed_to_its_currency_precision(
    text: str, currency: str, amount: str
) -> None:
    parsed = parse_amount(text, currency)

    assert parsed == Decimal(amount)
    assert str(parsed) == amount


def test_ints_and_decimals_are_accepted_as_well_as_text() -> None:
    assert str(parse_amount(5, "JPY")) == "5"
    assert str(parse_amount(Decimal("2.5"), "EUR")) == "2.50"


@pytest.mark.parametrize(
    ("text", "currency"),
    [("12.345", "EUR"), ("1500.5", "JPY"), ("1.2345", "BHD"), ("0.001", "EUR")],
)
def test_more_fraction_digits_than_the_currency_has_are_refused(text: str, currency: str) -> None:
    with pytest.raises(BadAmount, match=f"{currency} has {minor_digits(currency)} decimal"):
        parse_amount(text, currency)


@pytest.mark.parametrize("text", ["-1", "-0.01", "-100"])
def test_negative_amounts_are_refused(text: str) -> None:
    with pytest.raises(BadAmount, match=r"^must be a finite, non-negative decimal$"):
        parse_amount(text, "EUR")


@pytest.mark.parametrize(
    ("currency", "limit"),
    [("EUR", "10000000000000000"), ("JPY", "1000000000000000000"), ("BHD", "1000000000000000")],
)
def test_too_large_says_the_limit_in_the_currency(currency: str, limit: str) -> None:
    with pytest.raises(BadAmount) as refused:
        parse_amount(limit, currency)

    assert str(refused.value) == f"too large: must be below {limit} {currency}"


def test_negative_zero_is_plain_zero() -> None:
    assert str(parse_amount("-0", "EUR")) == "0.00"


@pytest.mark.parametrize("text", ["NaN", "sNaN", "Infinity", "-Infinity", "inf"])
def test_nan_and_infinity_are_refused(text: str) -> None:
    with pytest.raises(BadAmount, match="finite"):
        parse_amount(text, "EUR")


@pytest.mark.parametrize("text", ["", "abc", "1,50", "12.3.4", "€5", "0x10"])
def test_garbage_is_refused(text: str) -> None:
    with pytest.raises(BadAmount, match="not a decimal number"):
        parse_amount(text, "EUR")


@pytest.mark.parametrize("text", ["1e30", "9" * 29])
def test_amounts_beyond_decimal_precision_are_refused(text: str) -> None:
    with pytest.raises(BadAmount, match="too large"):
        parse_amount(text, "EUR")


@pytest.mark.parametrize(
    ("largest", "too_large", "currency"),
    [
        ("9999999999999999.99", "10000000000000000", "EUR"),
        ("999999999999999999", "1000000000000000000", "JPY"),
        ("999999999999999.999", "1000000000000000", "BHD"),
    ],
)
def test_amounts_fit_18_digits_of_minor_units(largest: str, too_large: str, currency: str) -> None:
    assert to_minor(parse_amount(largest, currency), currency) == 10**18 - 1
    with pytest.raises(BadAmount, match="too large"):
        parse_amount(too_large, currency)


def test_rounding_to_the_minor_unit_is_half_even() -> None:
    assert quantize(Decimal("0.125"), "EUR") == Decimal("0.12")
    assert quantize(Decimal("0.135"), "EUR") == Decimal("0.14")
    assert quantize(Decimal("2.5"), "JPY") == Decimal("2")


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [("12.34", "EUR", 1234), ("1500", "JPY", 1500), ("1.234", "BHD", 1234), ("0", "EUR", 0)],
)
def test_to_minor_counts_minor_units(amount: str, currency: str, minor: int) -> None:
    assert to_minor(Decimal(amount), currency) == minor
    assert from_minor(minor, currency) == Decimal(amount)


@given(st.sampled_from(["EUR", "JPY", "BHD"]), st.integers(0, 10**15))
def test_minor_units_round_trip(currency: str, minor: int) -> None:
    amount = from_minor(minor, currency)

    assert to_minor(amount, currency) == minor
    assert parse_amount(str(amount), currency) == amount
    assert -amount.as_tuple().exponent == minor_digits(currency)  # type: ignore[operator]


def test_times_multiplies_and_keeps_the_minor_unit() -> None:
    assert Money(Decimal("59.90"), "EUR").times(2) == Money(Decimal("119.80"), "EUR")
    assert str(Money(Decimal("59.90"), "EUR").times(3)) == "179.70 EUR"
    assert str(Money(Decimal("1.234"), "BHD").times(0)) == "0.000 BHD"


def test_money_of_one_currency_adds_up() -> None:
    total = Money.zero("EUR") + Money(Decimal("1.10"), "EUR") + Money(Decimal("2.20"), "EUR")

    assert total == Money(Decimal("3.30"), "EUR")


def test_adding_another_currency_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot add USD to EUR"):
        _ = Money(Decimal("1.00"), "EUR") + Money(Decimal("1.00"), "USD")


def test_zero_has_the_currency_precision() -> None:
    assert str(Money.zero("EUR")) == "0.00 EUR"
    assert str(Money.zero("JPY")) == "0 JPY"


@pytest.mark.parametrize("code", ["EUR", "USD", "JPY", "BHD", "CHF"])
def test_iso_currencies_are_currencies(code: str) -> None:
    assert is_currency(code)


@pytest.mark.parametrize("code", ["XXX", "XTS", "XAU", "eur", "EURO", "ABC", ""])
def test_test_codes_metals_and_non_codes_are_not_currencies(code: str) -> None:
    assert not is_currency(code)


WEIGHTS = st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=30).filter(any)


@given(st.integers(min_value=-(10**12), max_value=10**12), WEIGHTS)
def test_a_spread_adds_up_to_its_total_and_each_part_is_within_a_unit_of_its_share(
    total: int, weights: list[int]
) -> None:
    parts = spread_minor(total, weights)

    assert sum(parts) == total
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part * whole - total * weight) < whole  # |part - exact share| < 1
        assert weight or part == 0  # nothing to a part of no weight


@given(st.integers(min_value=0, max_value=10**9), WEIGHTS)
def test_the_same_spread_always_gives_the_same_parts(total: int, weights: list[int]) -> None:
    assert spread_minor(total, weights) == spread_minor(total, list(weights))


def test_the_cents_left_over_go_to_the_largest_remainders_ties_to_the_first() -> None:
    assert spread_minor(100, [1, 1, 1]) == [34, 33, 33]
    assert spread_minor(10, [3, 3, 4]) == [3, 3, 4]
    assert spread_minor(5, [1, 2, 2]) == [1, 2, 2]
    assert spread_minor(1, [2, 3]) == [0, 1]  # 0.4 and 0.6: the larger remainder
    assert spread_minor(-100, [1, 1, 1]) == [-34, -33, -33]


def test_a_spread_keeps_the_currencys_minor_unit() -> None:
    assert spread(Decimal("10.00"), [1, 1, 1], "EUR") == [
        Decimal("3.34"),
        Decimal("3.33"),
        Decimal("3.33"),
    ]
    assert spread(Decimal(1000), [1, 2], "JPY") == [Decimal(333), Decimal(667)]


@pytest.mark.parametrize("weights", [[], [0, 0], [1, -1]])
def test_a_spread_needs_some_weight_and_none_negative(weights: list[int]) -> None:
    with pytest.raises(ValueError, match="weights"):
        spread_minor(10, weights)


RUNS = st.lists(
    st.tuples(st.integers(min_value=0, max_value=500), st.integers(min_value=1, max_value=6)),
    min_size=1,
    max_size=6,
).filter(lambda runs: any(weight for weight, _ in runs))


@given(st.integers(min_value=-10_000, max_value=10_000), RUNS)
def test_a_spread_over_runs_of_units_is_the_spread_over_each_unit(
    total: int, runs: list[tuple[int, int]]
) -> None:
    each = [weight for weight, count in runs for _ in range(count)]

    by_runs = spread_minor_runs(total, runs)

    assert [part for part, count in by_runs for _ in range(count)] == spread_minor(total, each)


def test_unit_amounts_join_equal_neighbours_and_sum_any_range() -> None:
    amounts = UnitAmounts.of([(Decimal("3.34"), 1), (Decimal("3.33"), 0), (Decimal("3.34"), 1)])

    assert amounts.runs == ((Decimal("3.34"), 2),)
    assert UnitAmounts.of([(Decimal(1), 2), (Decimal(2), 3)]).over(1, 3) == Decimal(5)
    with pytest.raises(IndexError):
        amounts.over(1, 2)
    with pytest.raises(ValueError):
        UnitAmounts(((Decimal(1), 1), (Decimal(1), 1)))
