"""Exchange rates: the ECB's CSV read, every bad cell named; an order's rate is the
latest both currencies have on or before its day (never one after), within a week,
through the euro for two others; settling rounds once to the settlement currency's
minor unit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ordino.kernel.domain import InvalidInput
from ordino.pricing.domain import Conversion, ExchangeRate, conversion, parse_ecb

ECB_FILE = """Date, USD, JPY, CHF,
2026-12-04, 1.0560, 159.20, 0.9410,
2026-12-03, 1.0545, N/A, 0.9402,
"""
FRIDAY = date(2026, 12, 4)


def test_the_ecbs_file_is_read_a_rate_a_currency_a_day() -> None:
    rates = parse_ecb(ECB_FILE)

    assert len(rates) == 5  # no yen on the 3rd
    assert ExchangeRate("CHF", FRIDAY, Decimal("0.9410")) in rates


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("Day, USD\n2026-12-04, 1.05\n", "header"),
        ("Date, USD, XYZ\n2026-12-04, 1.05, 1\n", "header"),
        ("Date, USD, EUR\n2026-12-04, 1.05, 1\n", "header"),
        ("Date, USD\n2026-13-04, 1.05\n", "rows[0].Date"),
        ("Date, USD\n2026-12-04, 1.05\n2026-12-03, -1\n", "rows[1].USD"),
        ("Date, USD\n2026-12-04, lots\n", "rows[0].USD"),
        ("Date, USD\n2026-12-04, 1.05, 2, 3\n", "rows[0]"),
        ("Date, USD\n2026-12-04, N/A\n", "rows"),
    ],
)
def test_what_is_no_rate_is_refused_by_its_row_and_column(text: str, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_ecb(text)

    assert [e.field for e in refused.value.errors] == [field]


def test_a_rate_from_and_to_the_euro_and_between_two_others() -> None:
    rates = parse_ecb(ECB_FILE)

    assert conversion(rates, "EUR", "CHF", FRIDAY).rate == Decimal("0.941")
    assert conversion(rates, "CHF", "EUR", FRIDAY).rate == Decimal("1.06269925611")
    to_dollars = conversion(rates, "CHF", "USD", FRIDAY)
    assert to_dollars == Conversion("CHF", "USD", Decimal("1.12221041445"), FRIDAY, "ECB")
    assert to_dollars.settle(Decimal("100.00")) == Decimal("112.22")


def test_a_day_without_rates_takes_the_latest_before_within_a_week() -> None:
    rates = parse_ecb(ECB_FILE)

    sunday = conversion(rates, "CHF", "EUR", date(2026, 12, 6))

    assert sunday.day == FRIDAY
    for currency, day in (("CHF", date(2026, 12, 12)), ("JPY", date(2026, 12, 3))):
        with pytest.raises(InvalidInput) as none:  # too old; only after the day
            conversion(rates, currency, "EUR", day)
        assert [e.field for e in none.value.errors] == ["currency"]


def test_the_ecbs_daily_file_writes_its_date_in_words() -> None:
    daily = "Date, USD, CHF, \n04 December 2026, 1.0560, 0.9410, \n"

    assert {rate.day for rate in parse_ecb(daily)} == {FRIDAY}


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("Date, USD\n2026-12-04, 1_05\n", "rows[0].USD"),
        ("Date, USD\n2026-12-04, 1.05\n2026-12-04, 1.06\n", "rows[1].Date"),
        ("Date, USD\n2026-12-04, 1.0500000000000001\n", "rows[0].USD"),
        ("Date, USD\n2026-12-04, 0.0000000001\n", "rows[0].USD"),
    ],
)
def test_a_rate_no_bank_publishes_is_refused(text: str, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_ecb(text)

    assert [e.field for e in refused.value.errors] == [field]


def test_a_cross_rate_keeps_twelve_significant_digits_so_large_orders_settle_right() -> None:
    """A billion rupiah at 17,000 a euro is 58,823.53 euros, not 58,823.50."""
    rates = [ExchangeRate("IDR", FRIDAY, Decimal(17000))]

    settled = conversion(rates, "IDR", "EUR", FRIDAY).settle(Decimal(1_000_000_000))

    assert settled == Decimal("58823.53")
