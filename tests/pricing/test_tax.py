"""EU VAT as the built-in provider knows it: the rate of a country and tax class on a
date, which country's VAT an order owes (at home, at the destination, reversed onto a
business buyer, none on an export), and rates read from a file. The rates here are
this test's own, not an official table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ordino.kernel.domain.errors import InvalidInput
from ordino.pricing.domain.order_money import PricedLine, tax_units
from ordino.pricing.domain.tax import (
    TaxClass,
    Treatment,
    VatDue,
    VatRate,
    parse_rates,
    rate_on,
    vat_due,
)

RATES_CSV = """country,tax_class,rate,valid_from,valid_until
DE,standard,19,2007-01-01,2020-06-30
DE,standard,16,2020-07-01,2020-12-31
DE,standard,19,2021-01-01,
DE,reduced,7,2007-01-01,
FR,standard,20,2014-01-01,
FR,reduced,5.5,2014-01-01,
"""
RATES = parse_rates(RATES_CSV)
DAY = date(2026, 12, 6)
VALID_FR = "FR40303265045"
VALID_DE = "DE136695976"


def a_line(quantity: int, price: str) -> PricedLine:
    return PricedLine(1, "SKU-1", quantity, Decimal(price), Decimal(price), "EUR")


def test_a_german_sellers_order_to_france_owes_the_french_rate() -> None:
    due = vat_due("DE", "FR", None)
    rate = rate_on(RATES, "FR", TaxClass.STANDARD, DAY).rate

    tax = tax_units(a_line(2, "50.00"), due.country or "", rate, inclusive=False)

    assert due == VatDue(Treatment.DESTINATION, "FR")
    assert (rate, tax.jurisdiction, tax.amount) == (Decimal("0.2"), "FR", Decimal("20.00"))


def test_a_german_sellers_order_at_home_owes_the_german_rate_reduced_for_its_class() -> None:
    due = vat_due("DE", "DE", None)

    assert due == VatDue(Treatment.DOMESTIC, "DE")
    assert rate_on(RATES, "DE", TaxClass.STANDARD, DAY).rate == Decimal("0.19")
    assert rate_on(RATES, "DE", TaxClass.REDUCED, DAY).rate == Decimal("0.07")


def test_a_rate_holds_between_its_dates() -> None:
    assert rate_on(RATES, "DE", TaxClass.STANDARD, date(2020, 8, 1)).rate == Decimal("0.16")
    assert rate_on(RATES, "DE", TaxClass.STANDARD, date(2020, 12, 31)).rate == Decimal("0.16")
    assert rate_on(RATES, "DE", TaxClass.STANDARD, date(2021, 1, 1)).rate == Decimal("0.19")


def test_a_business_in_another_member_state_with_a_valid_vat_id_takes_the_reverse_charge() -> None:
    assert vat_due("DE", "FR", "fr 40 303 265 045") == VatDue(
        Treatment.REVERSE_CHARGE, None, VALID_FR
    )


def test_an_invalid_vat_id_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInput) as refused:
        vat_due("DE", "FR", "FR40303265046")  # one check digit off

    assert refused.value.errors[0].field == "customer.vat_id"


def test_a_business_with_a_vat_id_of_the_sellers_country_pays_the_sellers_vat() -> None:
    """No reverse charge (the id is of the country the goods leave), and not the
    destination's VAT either: the one-stop shop is for consumers."""
    assert vat_due("DE", "FR", VALID_DE) == VatDue(Treatment.DOMESTIC, "DE", VALID_DE)


@pytest.mark.parametrize("vat_id", ["  ", "XX123", "GB980780684"])
def test_a_vat_id_stdnum_cannot_even_read_is_refused_naming_it(vat_id: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        vat_due("DE", "FR", vat_id)

    assert refused.value.errors[0].field == "customer.vat_id"


def test_goods_leaving_the_union_are_an_export_without_vat_whatever_id_is_given() -> None:
    assert vat_due("DE", "CH", None) == VatDue(Treatment.EXPORT, None)
    assert vat_due("DE", "CH", "CHE-116.281.710 MWST") == VatDue(Treatment.EXPORT, None)


def test_monaco_is_inside_frances_vat() -> None:
    assert vat_due("DE", "MC", None) == VatDue(Treatment.DESTINATION, "FR")
    assert vat_due("FR", "MC", None) == VatDue(Treatment.DOMESTIC, "FR")


def test_a_country_or_class_without_a_rate_is_refused_naming_the_tax_class() -> None:
    with pytest.raises(InvalidInput) as refused:
        rate_on(RATES, "FR", TaxClass.SUPER_REDUCED, DAY)

    assert refused.value.errors[0].field == "tax_class"
    with pytest.raises(InvalidInput):
        rate_on(RATES, "IT", TaxClass.STANDARD, DAY)


def test_rates_read_from_a_file() -> None:
    assert RATES[1] == VatRate(
        "DE", TaxClass.STANDARD, Decimal("0.16"), date(2020, 7, 1), date(2020, 12, 31)
    )
    assert RATES[5].rate == Decimal("0.055")


def test_a_file_with_bad_rows_is_refused_naming_each() -> None:
    bad = "country,tax_class,rate,valid_from,valid_until\nXX,standard,19,2021-01-01,\n"
    bad += "DE,luxury,120,2021-13-01,\n"

    with pytest.raises(InvalidInput) as refused:
        parse_rates(bad)

    assert [error.field for error in refused.value.errors] == [
        "rows[0].country",
        "rows[1].tax_class",
        "rows[1].rate",
        "rows[1].valid_from",
    ]
    with pytest.raises(InvalidInput):
        parse_rates("country,rate\nDE,19\n")


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("DE,standard,19,2020-01-01", None),  # valid_until left out: open
        ("DE,standard,19", "rows[0].valid_from"),
        ("DE,standard,19,2020-01-01,,junk", "rows[0]"),
        ("DE,standard,19,2020-01-01,2019-01-01", "rows[0].valid_until"),
    ],
)
def test_short_long_and_backwards_rows(row: str, field: str | None) -> None:
    text = f"country,tax_class,rate,valid_from,valid_until\n{row}\n"
    if field is None:
        assert parse_rates(text)[0].valid_until is None
        return
    with pytest.raises(InvalidInput) as refused:
        parse_rates(text)
    assert [error.field for error in refused.value.errors] == [field]


def test_a_header_with_a_byte_order_mark_spaces_and_classes_in_capitals_is_read() -> None:
    text = (
        "\ufeffcountry, tax_class, rate, valid_from, valid_until\nde, Standard, -0, 2020-01-01,\n"
    )

    [rate] = parse_rates(text)

    assert (rate.country, rate.tax_class, str(rate.rate)) == ("DE", TaxClass.STANDARD, "0")


def test_two_rates_of_a_country_and_class_on_the_same_day_are_refused() -> None:
    text = "country,tax_class,rate,valid_from,valid_until\n"
    text += "DE,standard,16,2020-07-01,2020-12-31\nDE,standard,19,2020-12-01,\n"

    with pytest.raises(InvalidInput) as refused:
        parse_rates(text)

    assert [error.field for error in refused.value.errors] == ["rows[1].valid_from"]


HEADER = "country,tax_class,rate,valid_from,valid_until\n"
HUGE = 'FR,standard,"' + "9" * 200_000 + '",2021-01-01,\n'  # past the csv module's limit


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (HEADER, "rows"),  # no rate at all
        (HEADER + "FR,standard,19.12345,2021-01-01,\n", "rows[0].rate"),
        (
            HEADER
            + "DE,standard,19,2021-01-01,\n"
            + 'FR,standard,"'
            + "9" * 200_000
            + '",2021-01-01,\n',
            "rows[1]",
        ),
        (HEADER + "FR,standard,1E-999999999,2021-01-01,\n", "rows[0].rate"),
    ],
)
def test_a_file_that_would_leave_no_rate_or_a_rate_no_one_writes_is_refused(
    text: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_rates(text)

    assert refused.value.errors[0].field == field


def test_greece_may_be_written_as_the_commission_writes_it() -> None:
    [rate] = parse_rates(HEADER + "EL,standard,24,2021-01-01,\n")

    assert (rate.country, rate.rate) == ("GR", Decimal("0.24"))
