"""A line taxed anew from one of its units on (a delivery moved to another VAT
country, a rate changed before the units left): the units before keep their taxes,
those after are taxed on their own net value, rounded once; in the price, no unit
pays a cent more or less; no cent is made or lost."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ordino.pricing.domain.order_money import (
    Discount,
    PricedLine,
    TaxAsked,
    discount_units,
    retaxed,
    tax_units,
)
from tests.pricing.test_order_money import SPRING

CENTS = st.integers(min_value=0, max_value=50_000).map(lambda c: Decimal(c).scaleb(-2))
RATES = st.sampled_from(["0.19", "0.07", "0.2", "0.055", "0", "0.081"]).map(Decimal)


@st.composite
def taxed_lines(draw: st.DrawFn) -> PricedLine:
    quantity = draw(st.integers(min_value=1, max_value=9))
    price = draw(CENTS)
    inclusive = draw(st.booleans())
    line = PricedLine(1, "SKU-1", quantity, price, price, "EUR")
    off = Decimal(draw(st.integers(0, int(price * 100)))).scaleb(-2)
    if off:
        line = PricedLine(1, "SKU-1", quantity, price, price, "EUR",
                          (discount_units(line, off, SPRING, "discount"),))  # fmt: skip
    tax = tax_units(line, "DE", draw(RATES), inclusive=inclusive)
    return PricedLine(1, "SKU-1", quantity, price, price, "EUR", line.discounts, (tax,))


@given(taxed_lines(), st.data())
def test_units_before_keep_their_tax_and_those_after_are_taxed_on_their_own_net(
    line: PricedLine, data: st.DataObject
) -> None:
    first = data.draw(st.integers(0, line.quantity))
    inclusive = line.taxes[0].inclusive
    asked = TaxAsked(data.draw(st.sampled_from(["FR", "DE", "AT"])), data.draw(RATES), inclusive)

    moved = retaxed(line, first, [asked])

    count = line.quantity - first
    old = line.taxes[0]
    assert sum((t.per_unit.over(0, first) for t in moved.taxes), Decimal(0)) == old.per_unit.over(
        0, first
    )
    if count:
        tail_net = sum((line.unit_net(u) for u in range(first, line.quantity)), Decimal(0))
        tail = PricedLine(1, "SKU-1", count, line.sale_price, line.sale_price, "EUR",
                          tuple(Discount(d.adjustment, d.per_unit.part(first, count))
                                for d in line.discounts))  # fmt: skip
        assert tail.net == tail_net
        expected = tax_units(tail, asked.jurisdiction, asked.rate, inclusive=inclusive).amount
        got = sum((t.per_unit.over(first, count) for t in moved.taxes), Decimal(0))
        assert got == expected
    # One tax line per jurisdiction and rate, each holding something for some unit.
    keys = [(t.jurisdiction, t.rate, t.inclusive) for t in moved.taxes]
    assert len(keys) == len(set(keys))
    assert moved.discounts == line.discounts and moved.net == line.net
    if inclusive:  # what each unit pays stays: only how much of it is tax moves
        assert [moved.unit_paid(u) for u in range(line.quantity)] == [
            line.unit_paid(u) for u in range(line.quantity)
        ]
    assert sum((moved.unit_paid(u) for u in range(line.quantity)), Decimal(0)) == moved.total


def test_a_delivery_moved_to_france_taxes_the_units_not_shipped_at_the_french_rate() -> None:
    line = PricedLine(1, "SKU-1", 3, Decimal("59.90"), Decimal("59.90"), "EUR")
    german = tax_units(line, "DE", Decimal("0.19"), inclusive=True)
    line = PricedLine(1, "SKU-1", 3, Decimal("59.90"), Decimal("59.90"), "EUR", (), (german,))

    moved = retaxed(line, 1, [TaxAsked("FR", Decimal("0.2"), inclusive=True)])

    assert [(t.jurisdiction, t.per_unit.runs) for t in moved.taxes] == [
        ("DE", ((Decimal("9.57"), 1), (Decimal("0.00"), 2))),  # 28.69 was 9.57 + 2 x 9.56
        ("FR", ((Decimal("0.00"), 1), (Decimal("9.99"), 1), (Decimal("9.98"), 1))),
    ]
    assert moved.total == line.total == Decimal("179.70")
    assert moved.tax == Decimal("9.57") + Decimal("19.97")  # 119.80 / 1.2 = 99.83: 19.97
    assert retaxed(line, 3, [TaxAsked("FR", Decimal("0.2"), inclusive=True)]) == line
