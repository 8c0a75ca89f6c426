"""Customs as a pure model: which parcels cross a customs border, which rate of a
table holds for a tariff number, what a declaration estimates delivered duty paid,
and when it carries the seller's IOSS number."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.kernel.domain import InvalidInput
from ordino.network.domain import Customs
from ordino.pricing.domain import (
    Crossing,
    CustomsFacts,
    CustomsRate,
    Incoterm,
    PricedLine,
    RateKind,
    crosses_border,
    declaration_document,
    declare,
    parse_customs_rates,
)
from ordino.pricing.domain.customs import rate_for
from ordino.pricing.domain.invoices import billed_charge, billed_units
from ordino.pricing.domain.order_money import Charge

BOOK = Customs("490199", "DE", "Printed book")


@pytest.mark.parametrize(
    ("origin", "destination", "crosses"),
    [("DE", "FR", False), ("DE", "MC", False), ("CH", "LI", False), ("DE", "CH", True),
     ("CH", "DE", True), ("DE", "GB", True), ("NO", "GB", True)],
)  # fmt: skip
def test_the_union_and_switzerland_with_liechtenstein_are_one_territory_each(
    origin: str, destination: str, crosses: bool
) -> None:
    assert crosses_border(origin, destination) is crosses


def test_the_longest_prefix_of_a_tariff_number_holds() -> None:
    rates = [
        CustomsRate("CH", RateKind.DUTY, "", Decimal("0.02")),
        CustomsRate("CH", RateKind.DUTY, "49", Decimal("0.01")),
        CustomsRate("CH", RateKind.DUTY, "4901", Decimal(0)),
        CustomsRate("GB", RateKind.DUTY, "4901", Decimal("0.05")),
    ]
    assert rate_for(rates, "CH", RateKind.DUTY, "490199") == 0
    assert rate_for(rates, "CH", RateKind.DUTY, "490300") == Decimal("0.01")
    assert rate_for(rates, "CH", RateKind.DUTY, "620193") == Decimal("0.02")
    assert rate_for(rates, "CH", RateKind.DUTY, None) == Decimal("0.02")  # no facts: the default
    assert rate_for(rates, "CH", RateKind.IMPORT_VAT, "490199") is None
    assert rate_for(rates, "GB", RateKind.DUTY, "620193") is None


def _crossing(
    origin: str, destination: str, euros: Decimal | None, price: str = "40.00", *, vat: bool = True
) -> Crossing:
    line = PricedLine.plain(1, "BOOK", 2, Decimal(price), "EUR")
    shipping = billed_charge(Charge("shipping", Decimal("10.00"), "EUR"), 0)
    parts = (billed_units(line, 0, 2), shipping)
    return Crossing(
        Incoterm.DDP, origin, destination, "EUR", parts, {}, {}, euros, "IM2760000001", vat
    )


def test_duty_paid_spreads_the_shipping_and_taxes_value_shipping_and_duty() -> None:
    rates = [CustomsRate("CH", RateKind.DUTY, "", Decimal("0.10")),
             CustomsRate("CH", RateKind.IMPORT_VAT, "", Decimal("0.081"))]  # fmt: skip
    declared = declare(_crossing("DE", "CH", None), CustomsFacts({"BOOK": BOOK}, {}, rates))
    document = declaration_document(declared)

    [line] = document["lines"]
    assert (line["value"], line["duty"], line["import_vat"]) == (
        "80.00",
        "8.00",
        "7.94",
    )  # 98 x 8.1 %
    assert (document["shipping"], document["duties"], document["import_vat"]) == (
        "10.00",
        "8.00",
        "7.94",
    )
    assert document["ioss"] is None  # into Switzerland


def test_ioss_for_goods_entering_the_union_worth_150_euros_at_most() -> None:
    facts = CustomsFacts({"BOOK": BOOK}, {})
    small = declare(_crossing("CH", "DE", Decimal("80.00")), facts)
    large = declare(_crossing("CH", "DE", Decimal("150.01")), facts)
    unknown = declare(_crossing("CH", "DE", None), facts)
    inside = declare(_crossing("FR", "DE", Decimal("80.00")), facts)

    assert small.ioss == "IM2760000001"
    assert (large.ioss, unknown.ioss, inside.ioss) == (None, None, None)


def test_a_rates_file_is_refused_row_by_row() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_customs_rates(
            "country,kind,hs_prefix,rate\nC1,duty,,2\nCH,vat,,2\nCH,duty,1234567890123,1\n"
        )
    assert [e.field for e in refused.value.errors] == [
        "rows[0].country", "rows[1].kind", "rows[2].hs_prefix"
    ]  # fmt: skip
    with pytest.raises(InvalidInput, match="no rate"):
        parse_customs_rates("country,kind,hs_prefix,rate\n")


def test_ioss_only_where_a_consumer_paid_the_unions_vat_and_then_no_import_vat() -> None:
    """Found by review: a business's reverse-charge order took the IOSS number, and
    an IOSS parcel was estimated import VAT on top of the VAT paid at the sale."""
    rates = [CustomsRate("DE", RateKind.IMPORT_VAT, "", Decimal("0.19")),
             CustomsRate("DE", RateKind.DUTY, "", Decimal(0))]  # fmt: skip
    facts = CustomsFacts({"BOOK": BOOK}, {}, rates)
    consumer = declaration_document(declare(_crossing("CH", "DE", Decimal("80.00")), facts))
    business = declaration_document(
        declare(_crossing("CH", "DE", Decimal("80.00"), vat=False), facts)
    )

    assert (consumer["ioss"], consumer["import_vat"]) == ("IM2760000001", "0.00")
    assert (business["ioss"], business["import_vat"]) == (None, "17.10")  # 90.00 x 19 %


@pytest.mark.parametrize("rate", ["8_1", "\u0668", "\uff18.\uff11", "-1", "1000", "8.12345"])
def test_a_rate_is_ascii_digits_as_people_write_a_percentage(rate: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_customs_rates(f"country,kind,hs_prefix,rate\nCH,duty,,{rate}\n")
    assert [e.field for e in refused.value.errors] == ["rows[0].rate"]


def test_trailing_zeros_and_a_blank_last_line_are_no_mistake() -> None:
    [rate] = parse_customs_rates("country,kind,hs_prefix,rate\nCH,import_vat,,8.10000\n   \n")
    assert rate.rate == Decimal("0.081")
