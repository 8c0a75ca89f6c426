"""An order keeps its money: each line's list and sale price, what was taken off it
and by whom, its taxes, and the order's charges are written with it and read back as
placed; the answer shows them in its declared shape; the total is derived from them;
and what a shipment's units were paid is what is captured for it, so the shipments
of an order add up to what its goods were paid, to the cent."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.kernel.domain import UnitAmounts, to_minor
from ordino.orders.api.schemas import OrderOut
from ordino.orders.domain.fulfillment import Shipment
from ordino.orders.domain.orders import Order
from ordino.orders.domain.release import not_collected, ready, release, ship
from ordino.orders.services.answers import order_view
from ordino.orders.store.tables import orders
from ordino.pricing.domain import (
    Adjustment,
    AdjustmentSource,
    Charge,
    OrderMoney,
    PricedLine,
    TaxLine,
    discount_order,
    tax_units,
)
from ordino.promising.domain import Method
from ordino.sourcing.domain.plans import PlannedAllocation, SourcingPlan
from tests.conftest import T0, Clock
from tests.orders.test_fulfilling import a_promise
from tests.support.builders import a_place_order
from tests.support.storage import rows

SPRING = Adjustment(AdjustmentSource.PROMOTION, "spring@1", "10.00 off the order")
VAT = Decimal("0.19")


def priced(sale: str = "59.90", discount: str = "10.00", *, inclusive: bool = True) -> OrderMoney:
    """Three of SKU-1 (listed at 69.90) and one of SKU-2, 10.00 off the order, German
    VAT on each line and on the shipping charge."""
    lines = discount_order(
        [
            PricedLine(1, "SKU-1", 3, Decimal("69.90"), Decimal(sale), "EUR"),
            PricedLine.plain(2, "SKU-2", 1, Decimal("59.90"), "EUR"),
        ],
        Decimal(discount),
        SPRING,
        "discount",
    )
    taxed = tuple(
        replace(line, taxes=(tax_units(line, "DE", VAT, inclusive=inclusive),)) for line in lines
    )
    shipping_vat = TaxLine("DE", VAT, UnitAmounts.same(Decimal("0.78"), 1), inclusive=True)
    return OrderMoney(
        "EUR", taxed, (Charge("shipping", Decimal("4.90"), "EUR", (), (shipping_vat,)),)
    )


def an_order(now: datetime, money: OrderMoney) -> Order:
    plan = SourcingPlan(
        (PlannedAllocation(1, "SKU-1", "DC-BER", 3), PlannedAllocation(2, "SKU-2", "DC-BER", 1)),
        (),
    )
    return Order.place(a_place_order(("SKU-1", 3), ("SKU-2", 1)), plan, now, money)


def test_the_order_total_is_its_money_and_the_answer_shows_every_part() -> None:
    order = an_order(T0, priced())

    answer = order_view(order)

    # 3 x 59.90 + 59.90 = 239.60, less 10.00, plus shipping 4.90; VAT inside the prices.
    assert order.total.amount == Decimal("234.50")
    assert answer["money"] == {
        "goods": "239.60",
        "discount": "10.00",
        "charges": "4.90",
        "tax": str(order.money.tax),
        "total": "234.50",
    }
    first = answer["lines"][0]
    assert (first["list_price"], first["unit_price"], first["discount"]) == (
        "69.90",
        "59.90",
        "7.50",  # 179.70 of 239.60 takes 7.50 of the 10.00
    )
    assert first["discounts"] == [
        {
            "source": "promotion",
            "reference": "spring@1",
            "reason": "10.00 off the order",
            "amount": "7.50",
            "per_unit": [{"amount": "2.50", "units": 3}],
        }
    ]
    assert first["taxes"][0] | {"per_unit": None} == {
        "jurisdiction": "DE",
        "rate": "0.19",
        "inclusive": True,
        "amount": "27.49",  # 172.20 - 172.20 / 1.19 = 27.494… -> 27.49
        "per_unit": None,
        "base": None,  # all of the line's value
    }
    assert answer["charges"][0]["taxes"][0]["amount"] == "0.78"
    OrderOut.model_validate(answer)  # the declared shape holds discounts, taxes, charges


def test_the_created_event_carries_the_money() -> None:
    order = an_order(T0, priced())

    [created] = order.pending_events

    assert created.data["money"] == order_view(order)["money"]
    assert [line["total"] for line in created.data["lines"]] == ["172.20", "57.40"]


@pytest.mark.parametrize("inclusive", [True, False])
def test_the_money_is_written_with_the_order_and_read_back_as_placed(
    uow: SqlUnitOfWork, clock: Clock, inclusive: bool
) -> None:
    order = an_order(clock(), priced(inclusive=inclusive))
    with uow:
        uow.orders.add(order)
        uow.commit()

    with uow:
        read = uow.orders.get(order.id)

    assert read is not None
    assert read.money == order.money
    [row] = rows(uow.engine, orders)
    assert (row["total_minor"], row["revenue_minor"]) == (
        to_minor(order.total.amount, "EUR"),
        to_minor(order.money.revenue, "EUR"),
    )


@pytest.mark.parametrize("inclusive", [True, False])
def test_revenue_is_what_the_goods_sold_for_without_charges_or_tax(inclusive: bool) -> None:
    money = priced(inclusive=inclusive)

    vat_inside = sum((line.tax for line in money.lines), Decimal(0)) if inclusive else 0
    assert money.revenue == Decimal("229.60") - vat_inside  # 239.60 less 10.00 off


def test_a_shipments_capture_is_what_its_units_were_paid_and_the_first_takes_the_charges() -> None:
    order = an_order(T0, priced(sale="20.00", discount="10.00"))  # SKU-1 takes 5.00 of it
    [fo] = release(order, T0)

    ship(order, fo.id, Shipment("DHL", "T-1", {1: 1}), T0)  # one of SKU-1 first
    first = order.value_leaving(order.fulfillment(fo.id))
    rest = next(f for f in order.fulfillments if not f.shipped)
    ship(order, rest.id, Shipment("DHL", "T-2"), T0)

    # 20.00 less 1.67: 5.00 over 3 units, the cent left over to the first; and shipping
    assert first == order.line(1).price.unit_paid(0) + Decimal("4.90") == Decimal("23.23")
    assert first + order.value_leaving(rest) == order.value_out() == order.total.amount


def test_a_parcel_not_collected_keeps_the_units_it_took_so_the_rest_pay_theirs() -> None:
    """Units of a parcel that left and came back (not collected at the store) are
    not taken again: the next parcel takes the units after them."""
    lines = discount_order(
        [PricedLine.plain(1, "SKU-1", 3, Decimal("20.00"), "EUR")], Decimal("10.00"), SPRING, "d"
    )  # the units paid 16.66, 16.67 and 16.67
    plan = SourcingPlan((PlannedAllocation(1, "SKU-1", "DC-BER", 3),), ())
    cmd = a_place_order(("SKU-1", 3))
    order = Order.place(cmd, plan, T0, OrderMoney("EUR", lines), a_promise(Method.SHIP_TO_STORE))
    [fo] = release(order, T0)
    ship(order, fo.id, Shipment("DHL", "T-1", {1: 1}), T0)
    ready(order, fo.id, "4711", T0 + timedelta(days=7), T0)
    not_collected(order, fo.id, T0)
    rest = next(f for f in order.fulfillments if not f.shipped)

    ship(order, rest.id, Shipment("DHL", "T-2"), T0)

    assert order.value_leaving(rest) == order.value_out() == Decimal("33.34")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=3), min_size=1, max_size=4),
    st.integers(min_value=0, max_value=11_980),
    st.booleans(),
)
def test_the_shipments_of_an_order_add_up_to_its_total(
    parcels: list[int], cents: int, inclusive: bool
) -> None:
    """However the units of SKU-1 leave (one parcel after another, of 1 to 3 units),
    the captures add up to what the units that left were paid and the charges, and
    once all left, to the order's total."""
    order = an_order(T0, priced(discount=str(Decimal(cents).scaleb(-2)), inclusive=inclusive))
    [fo] = release(order, T0)
    open_id, captured, left = fo.id, Decimal(0), 0
    for parcel in parcels:
        units = min(parcel, 3 - left)
        if not units:
            break
        ship(order, open_id, Shipment("DHL", f"T-{left}", {1: units}), T0)
        captured += order.value_leaving(order.fulfillment(open_id))
        left += units
        charges = Decimal("4.90")
        assert captured == order.value_out() == order.line(1).price.paid_over(0, left) + charges
        open_id = next(f.id for f in order.fulfillments if not f.shipped)  # the rest
    ship(order, open_id, Shipment("DHL", "T-last"), T0)
    captured += order.value_leaving(order.fulfillment(open_id))

    assert captured == order.value_out() == order.total.amount
