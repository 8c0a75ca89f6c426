"""Invoices and credit notes as a pure model: the invoices of an order's shipments
add up to its total to the cent, however its units are split among them; credit
notes give back what was refunded, and all of it gives back exactly the tax billed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ordino.kernel.domain import InvalidInput
from ordino.pricing.domain import (
    Adjustment,
    AdjustmentSource,
    Charge,
    OrderMoney,
    PricedLine,
    discount_order,
    tax_given,
    tax_units,
)
from ordino.pricing.domain.invoices import (
    Bill,
    BilledPart,
    BillKind,
    Party,
    bill_document,
    billed_charge,
    billed_units,
    credit_parts,
    creditable,
    parts_from,
    tax_summary,
)
from ordino.pricing.engine.taxes import _as_the_goods

WHY = Adjustment(AdjustmentSource.PROMOTION, "sale@1", "sale")
NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
CENTS = st.integers(min_value=0, max_value=50_000).map(lambda c: Decimal(c).scaleb(-2))
RATES = st.sampled_from([Decimal("0.19"), Decimal("0.07"), Decimal("0.2"), Decimal("0")])


@st.composite
def orders(draw: st.DrawFn) -> OrderMoney:
    """An order's money: lines discounted order-wide, each taxed at a rate, in the
    price or added; a shipping charge taxed too."""
    specs = draw(st.lists(st.tuples(st.integers(1, 9), CENTS, RATES), min_size=1, max_size=5))
    lines = tuple(
        PricedLine.plain(n, f"SKU-{n}", q, price, "EUR") for n, (q, price, _) in enumerate(specs, 1)
    )
    worth = sum((line.net for line in lines), Decimal(0))
    off = draw(st.integers(0, int(worth * 100))) if worth else 0
    lines = discount_order(lines, Decimal(off).scaleb(-2), WHY, "value")
    inclusive = draw(st.booleans())
    taxed = tuple(
        PricedLine(line.line_no, line.sku, line.quantity, line.list_price, line.sale_price,
                   "EUR", line.discounts, (tax_units(line, "DE", rate, inclusive=inclusive),))
        for line, (_, _, rate) in zip(lines, specs, strict=True)
    )  # fmt: skip
    shipping = draw(CENTS)
    charge = Charge("shipping", shipping, "EUR")
    if any(line.net for line in taxed) and draw(st.booleans()):
        charge = _as_the_goods(charge, taxed, "DE", inclusive)  # a share at each rate
    else:
        taxing = tax_units(charge, "DE", Decimal("0.19"), inclusive=inclusive)
        charge = Charge("shipping", shipping, "EUR", (), (taxing,))
    return OrderMoney("EUR", taxed, (charge,))


def shipments(draw: st.DrawFn, money: OrderMoney) -> list[list[tuple[PricedLine, int, int]]]:
    """The order's units split among up to three parcels: each takes the next units
    of some lines (units leave from the first on); a parcel of nothing is none."""
    count = draw(st.integers(1, 3))
    parcels: list[list[tuple[PricedLine, int, int]]] = [[] for _ in range(count)]
    for line in money.lines:
        cuts = sorted(draw(st.lists(st.integers(0, line.quantity), min_size=count - 1,
                                    max_size=count - 1)))  # fmt: skip
        bounds = [0, *cuts, line.quantity]
        for parcel, (start, end) in zip(parcels, pairwise(bounds), strict=True):
            if end > start:
                parcel.append((line, start, end - start))
    return [parcel for parcel in parcels if parcel]


def invoice(parts: tuple[BilledPart, ...], kind: BillKind = BillKind.INVOICE) -> Bill:
    return Bill("b1", kind, "DE123456704", "o1", "EUR", NOW, parts, Party(), Party())


def invoices_of(
    money: OrderMoney, parcels: list[list[tuple[PricedLine, int, int]]]
) -> list[tuple[BilledPart, ...]]:
    found = []
    for n, parcel in enumerate(parcels):
        parts = tuple(billed_units(line, first, count) for line, first, count in parcel)
        if n == 0:  # the charges go with the first
            parts += tuple(billed_charge(c, k) for k, c in enumerate(money.charges))
        found.append(parts)
    return found


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_the_invoices_of_all_shipments_add_up_to_the_orders_total(data: st.DataObject) -> None:
    money = data.draw(orders())
    parcels = shipments(data.draw, money)
    bills = [invoice(parts) for parts in invoices_of(money, parcels)]
    assert sum((b.total for b in bills), Decimal(0)) == money.total
    assert sum((b.tax for b in bills), Decimal(0)) == money.tax
    for bill, parcel in zip(bills, parcels, strict=False):
        # What each parcel's units were paid, as capture takes it.
        paid = sum((line.paid_over(first, count) for line, first, count in parcel), Decimal(0))
        charges = sum((c.total for c in money.charges), Decimal(0)) if bill is bills[0] else 0
        assert bill.total == paid + charges
        document = bill_document(bill)
        summary = document["taxes"]
        assert sum(Decimal(t["amount"]) for t in summary) == bill.tax
        assert sum(Decimal(t["base"]) for t in summary) == Decimal(document["base"])
        assert parts_from(document) == bill.parts


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_credit_notes_give_back_what_was_refunded_and_all_of_it_the_tax_billed(
    data: st.DataObject,
) -> None:
    """Parcels invoiced and refunds credited in any order (a refund of what was
    invoiced so far): no credit gives back a negative tax or net, and once all is
    credited, each line's and charge's tax is given back exactly."""
    money = data.draw(orders())
    invoices = invoices_of(money, shipments(data.draw, money))
    billed: list[BilledPart] = []
    credited: list[BilledPart] = []
    for parts in invoices:
        billed += parts
        while data.draw(st.booleans()):
            left = creditable(billed, credited)
            if not left:
                break
            amount = Decimal(data.draw(st.integers(1, int(left * 100)))).scaleb(-2)
            given = credit_parts(amount, "EUR", billed, credited)
            assert sum((p.total for p in given), Decimal(0)) == amount
            assert all(p.net >= 0 and all(t.amount >= 0 for t in p.taxes) for p in given)
            for p in given:  # a tax summary of the credit adds up (found by review)
                bases = [t.base for t in p.taxes]
                assert all(b is None or b >= 0 for b in bases)
                if bases and None not in bases:
                    assert sum(b or 0 for b in bases) == p.base
            credited += given
    credited += credit_parts(creditable(billed, credited), "EUR", billed, credited)
    assert sum((p.total for p in credited), Decimal(0)) == money.total
    assert sum((p.tax for p in credited), Decimal(0)) == money.tax
    by_ref: dict[str, Decimal] = {}
    for p in credited:
        by_ref[p.ref] = by_ref.get(p.ref, Decimal(0)) + p.tax
    for p in billed:
        by_ref[p.ref] = by_ref.get(p.ref, Decimal(0)) - p.tax
    assert not any(by_ref.values())  # each line's and charge's tax given back exactly


@pytest.mark.parametrize(
    ("quantity", "price", "rate", "first", "refunds"),
    [(10, "0.05", "0.19", 5, ["0.25", "0.01"]), (2, "48.74", "0.055", 1, ["39.61", "0.01"])],
)
def test_a_refund_between_two_parcels_gives_back_no_negative_tax(
    quantity: int, price: str, rate: str, first: int, refunds: list[str]
) -> None:
    """Found by review: a credit worked out on the total billed so far, against
    credits worked out on less, gave back -0.01 of tax."""
    line = PricedLine.plain(1, "SKU", quantity, Decimal(price), "EUR")
    line = PricedLine(1, "SKU", quantity, line.list_price, line.sale_price, "EUR", (),
                      (tax_units(line, "DE", Decimal(rate), inclusive=True),))  # fmt: skip
    billed = [billed_units(line, 0, first)]
    credited = list(credit_parts(Decimal(refunds[0]), "EUR", billed, []))
    billed.append(billed_units(line, first, quantity - first))

    later = credit_parts(Decimal(refunds[1]), "EUR", billed, credited)

    assert all(t.amount >= 0 for p in later for t in p.taxes)
    assert all(p.net >= 0 for p in later)


def test_a_credit_above_what_is_left_is_refused_naming_the_amount() -> None:
    line = PricedLine.plain(1, "SKU-1", 1, Decimal("10.00"), "EUR")
    billed = [billed_units(line, 0, 1)]
    credited = list(credit_parts(Decimal("6.00"), "EUR", billed, []))
    with pytest.raises(InvalidInput) as refused:
        credit_parts(Decimal("4.01"), "EUR", billed, credited)
    assert refused.value.errors[0].field == "amount"


def test_a_german_invoice_with_two_rates_and_shipping_taxed_as_the_goods() -> None:
    book = PricedLine.plain(1, "BOOK", 2, Decimal("10.70"), "EUR")
    book = PricedLine(1, "BOOK", 2, book.list_price, book.sale_price, "EUR", (),
                      (tax_units(book, "DE", Decimal("0.07"), inclusive=True),))  # fmt: skip
    shirt = PricedLine.plain(2, "SHIRT", 1, Decimal("11.90"), "EUR")
    shirt = PricedLine(2, "SHIRT", 1, shirt.list_price, shirt.sale_price, "EUR", (),
                       (tax_units(shirt, "DE", Decimal("0.19"), inclusive=True),))  # fmt: skip
    parts = (billed_units(book, 0, 2), billed_units(shirt, 0, 1))
    document = bill_document(invoice(parts))
    assert document["taxes"] == [
        {"jurisdiction": "DE", "rate": "0.19", "base": "10.00", "amount": "1.90"},
        {"jurisdiction": "DE", "rate": "0.07", "base": "20.00", "amount": "1.40"},
    ]
    assert (document["base"], document["tax"], document["total"]) == ("30.00", "3.30", "33.30")
    assert tax_summary((), "EUR") == []


def test_shipping_taxed_as_the_goods_counts_each_rates_share_in_the_summary() -> None:
    """Found by review: the bases were worked back from the taxes (2.97 and 1.26);
    4.90 of shipping to France shared 3.62 at 20 % and 1.28 at 5.5 % taxes 3.02 and
    1.21."""
    charge = Charge("shipping", Decimal("4.90"), "EUR")
    taxes = (
        replace(
            tax_given(charge, "FR", Decimal("0.2"), Decimal("0.60"), True, "c"),
            base=Decimal("3.02"),
        ),
        replace(
            tax_given(charge, "FR", Decimal("0.055"), Decimal("0.07"), True, "c"),
            base=Decimal("1.21"),
        ),
    )
    part = billed_charge(Charge("shipping", Decimal("4.90"), "EUR", (), taxes), 0)

    assert tax_summary((part,), "EUR") == [
        {"jurisdiction": "FR", "rate": "0.2", "base": "3.02", "amount": "0.60"},
        {"jurisdiction": "FR", "rate": "0.055", "base": "1.21", "amount": "0.07"},
    ]
    assert parts_from(bill_document(invoice((part,)))) == (part,)


def test_numbers_run_per_kind_and_year() -> None:
    bill = invoice(())
    assert bill.numbered(7).number == "INV-2026-000007"
    assert invoice((), BillKind.CREDIT_NOTE).numbered(1).number == "CN-2026-000001"


def test_a_small_credit_of_a_charge_at_three_rates_keeps_each_base_above_zero() -> None:
    """Found by the property in CI: 0.06 of a 0.27 shipping charge taxed (added) at
    19 %, 7 % and 0 % gave one rate a base of -0.01."""
    charge = Charge("shipping", Decimal("0.27"), "EUR")
    shares = (("0.19", "0.03", "0.14"), ("0.07", "0.01", "0.13"), ("0", "0.00", "0.00"))
    taxes = tuple(
        replace(tax_given(charge, "DE", Decimal(r), Decimal(a), False, "c"), base=Decimal(b))
        for r, a, b in shares
    )
    billed = [billed_charge(Charge("shipping", Decimal("0.27"), "EUR", (), taxes), 0)]

    [part] = credit_parts(Decimal("0.06"), "EUR", billed, [])

    bases = [t.base for t in part.taxes]
    assert all(b is not None and b >= 0 for b in bases)
    assert sum(b or 0 for b in bases) == part.base
    assert part.total == Decimal("0.06")
