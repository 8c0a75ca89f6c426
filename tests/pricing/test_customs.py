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
    origin: str, destination: str, euros: Decimal | None, price: str = "40.00"
) -> Crossing:
    line = PricedLine.plain(1, "BOOK", 2, Decimal(price), "EUR")
    shipping = billed_charge(Charge("shipping", Decimal("10.00"), "EUR"), 0)
    parts = (billed_units(line, 0, 2), shipping)
    return Crossing(Incoterm.DDP, origin, destination, "EUR", parts, {}, {}, euros, "IM2760000001")


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
