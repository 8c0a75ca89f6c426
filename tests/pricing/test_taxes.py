"""The built-in tax provider, EU VAT by destination: a German seller's order to
France owes France's rate, to Germany Germany's; a reduced-rate product its reduced
rate; a business with a valid VAT id of another member state none (reverse charge),
with an invalid one is refused; a gross channel's prices hold the tax, a net
channel's have it added; an export owes none; a rate holds on its dates; what has no
rate is refused naming the field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ordino.kernel.domain import InvalidInput
from ordino.pricing.domain import Charge, OrderMoney, PricedLine, TaxClass, parse_rates
from ordino.pricing.engine import EuVat, TaxRequest

RATES = parse_rates(
    "country,tax_class,rate,valid_from,valid_until\n"
    "DE,standard,16,2020-07-01,2020-12-31\n"
    "DE,reduced,5,2020-07-01,2020-12-31\n"
    "DE,standard,19,2021-01-01,\n"
    "DE,reduced,7,2021-01-01,\n"
    "FR,standard,20,2021-01-01,\n"
    "FR,reduced,5.5,2021-01-01,\n"
)
GERMAN_SELLER = EuVat("DE", RATES)
DAY = date(2026, 12, 6)


def an_order(*, shipping: bool = False) -> OrderMoney:
    """A jacket at 119.00 and two books at 10.55, in EUR."""
    lines = (
        PricedLine.plain(1, "JACKET", 1, Decimal("119.00"), "EUR"),
        PricedLine.plain(2, "BOOK", 2, Decimal("10.55"), "EUR"),
    )
    charges = (Charge("shipping", Decimal("4.90"), "EUR"),) if shipping else ()
    return OrderMoney("EUR", lines, charges)


def taxed(
    to: str, *, vat_id: str | None = None, gross: bool = True, day: date = DAY, **kw: bool
) -> OrderMoney:
    classes = {"BOOK": TaxClass.REDUCED}
    request = TaxRequest(an_order(**kw), classes, to, vat_id, day, gross)
    return GERMAN_SELLER.estimate(request).money


def vat_of(money: OrderMoney) -> list[tuple[str, str, str]]:
    return [
        (t.jurisdiction, str(t.rate), str(t.amount))
        for line in (*money.lines, *money.charges)
        for t in line.taxes
    ]


def test_a_german_sellers_order_to_france_owes_frances_vat() -> None:
    money = taxed("FR")

    # 119.00 - 119.00 / 1.20 = 19.83; 21.10 - 21.10 / 1.055 = 1.10 (books: reduced)
    assert vat_of(money) == [("FR", "0.2", "19.83"), ("FR", "0.055", "1.10")]
    assert (money.tax_treatment, money.tax, money.total) == (
        "destination",
        Decimal("20.93"),
        Decimal("140.10"),  # a gross channel's prices hold their tax
    )


def test_the_same_order_to_germany_owes_germanys() -> None:
    money = taxed("DE", shipping=True)

    # 119.00 / 1.19 holds 19.00; 21.10 / 1.07 holds 1.38; shipping as the goods: of
    # its 4.90, 4.16 carries the jacket (4.16 / 1.19 holds 0.66), 0.74 the books (0.05)
    assert vat_of(money) == [
        ("DE", "0.19", "19.00"),
        ("DE", "0.07", "1.38"),
        ("DE", "0.19", "0.66"),
        ("DE", "0.07", "0.05"),
    ]
    assert money.tax_treatment == "domestic"


def test_a_net_channels_prices_have_the_tax_added() -> None:
    money = taxed("FR", gross=False)

    # 119.00 * 0.20 = 23.80; 21.10 * 0.055 = 1.1605 -> 1.16
    assert vat_of(money) == [("FR", "0.2", "23.80"), ("FR", "0.055", "1.16")]
    assert money.total == Decimal("140.10") + Decimal("24.96")


def test_a_business_with_a_valid_vat_id_of_another_member_state_takes_the_reverse_charge() -> None:
    request = TaxRequest(an_order(), {}, "FR", "FR 40 303 265 045", DAY, True)

    estimate = GERMAN_SELLER.estimate(request)

    assert vat_of(estimate.money) == []
    assert (estimate.money.tax_treatment, estimate.buyer_vat_id) == (
        "reverse_charge",
        "FR40303265045",
    )


def test_an_invalid_vat_id_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInput) as refused:
        taxed("FR", vat_id="FR00000000000")

    assert refused.value.errors[0].field == "customer.vat_id"


def test_an_export_owes_no_eu_vat() -> None:
    money = taxed("CH")

    assert (vat_of(money), money.tax_treatment, money.total) == ([], "export", Decimal("140.10"))


def test_a_rate_holds_on_its_dates() -> None:
    summer_2020 = taxed("DE", day=date(2020, 8, 1), gross=False)

    assert vat_of(summer_2020)[0] == ("DE", "0.16", "19.04")


@pytest.mark.parametrize(
    ("to", "classes", "field"),
    [
        ("AT", {}, "ship_to.country"),  # no Austrian rates loaded
        ("FR", {"JACKET": TaxClass.SUPER_REDUCED}, "lines[0].sku"),  # no such rate in France
    ],
)
def test_what_has_no_rate_is_refused_naming_the_field(
    to: str, classes: dict[str, TaxClass], field: str
) -> None:
    request = TaxRequest(an_order(), classes, to, None, DAY, True)

    with pytest.raises(InvalidInput) as refused:
        GERMAN_SELLER.estimate(request)

    assert refused.value.errors[0].field == field
