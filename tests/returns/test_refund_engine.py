"""What refunds of returns give back, without a database: each returned unit at what
it paid (its price, less its share of discounts, plus its taxes), restocking fees
by reason, the return shipping fee, the order's shipping as the policy says; and,
over random orders (discounts, taxes in or on the price, shipping, parcels shipped
and delivered in part, several returns, received in part), the refunds never give
back more than was captured, and all of it back gives back exactly what was paid,
less what the policy keeps."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ordino.kernel.domain import UnitAmounts
from ordino.orders.domain import Order, Shipment
from ordino.orders.domain.release import deliver, release, ship
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
from ordino.returns.domain import (
    Condition,
    Disposition,
    Initiator,
    ReceivedUnits,
    RefundTerms,
    ReturnLineRequest,
    ReturnMethod,
    ReturnPolicy,
    ReturnReason,
    ReturnReceipt,
    ReturnRefund,
    ShippingRefund,
    Started,
    authorise,
    receive,
    request_return,
)
from ordino.returns.engine import preview_refund, refund_question, shipping_paid
from ordino.sourcing.domain.plans import PlannedAllocation, SourcingPlan
from tests.conftest import T0
from tests.support.builders import a_place_order

LATER = T0 + timedelta(days=3)
DEAL = Adjustment(AdjustmentSource.PROMOTION, "deal@1", "off the order")


def an_order(
    lines: list[tuple[int, Decimal]], discount: Decimal, vat: Decimal, inclusive: bool
) -> Order:
    """Lines (units, sale price) of SKU-1, SKU-2, …, `discount` off the order, VAT at
    `vat` in or on the prices, shipping 4.90 with its VAT inside."""
    priced = discount_order(
        [
            PricedLine.plain(n, f"SKU-{n}", units, price, "EUR")
            for n, (units, price) in enumerate(lines, 1)
        ],
        discount,
        DEAL,
        "discount",
    )
    taxed = tuple(
        replace(line, taxes=(tax_units(line, "DE", vat, inclusive=inclusive),)) for line in priced
    )
    shipping_vat = TaxLine("DE", vat, UnitAmounts.same(Decimal("0.78"), 1), inclusive=True)
    money = OrderMoney(
        "EUR", taxed, (Charge("shipping", Decimal("4.90"), "EUR", (), (shipping_vat,)),)
    )
    plan = SourcingPlan(
        tuple(PlannedAllocation(n, f"SKU-{n}", "DC-BER", q) for n, (q, _) in enumerate(lines, 1)),
        (),
    )
    cmd = a_place_order(*((f"SKU-{n}", q) for n, (q, _) in enumerate(lines, 1)))
    return Order.place(cmd, plan, T0, money)


def captured(order: Order) -> Decimal:
    """What the tenders captured: each parcel's units at what they paid, and the
    shipping with the first parcel (as the invoices bill them)."""
    left = [fo for fo in order.fulfillments if fo.left]
    goods = sum(
        (
            order.line(fl.line_no).price.paid_over(fl.first_unit or 0, fl.quantity)
            for fo in left
            for fl in fo.lines
        ),
        Decimal(0),
    )
    return goods + (shipping_paid(order) if left else Decimal(0))


def returned(
    order: Order, n: int, units: dict[int, int], method: ReturnMethod, received: bool = True
) -> ReturnReceipt | None:
    ra = request_return(
        order,
        (f"R{n}", f"CODE{n}"),
        [ReturnLineRequest(no, q, "changed_mind") for no, q in units.items()],
        Started(Initiator.CUSTOMER, method, "customer"),
        LATER,
    )
    authorise(order, ra, "policy", {}, LATER)
    RETURNS[order.id].append(ra)
    if not received:
        return None
    got = tuple(
        ReceivedUnits(no, q, Condition.OPENED, Disposition.RESTOCK) for no, q in units.items()
    )
    receipt = ReturnReceipt(f"RC{n}", "DC-BER", got, (), LATER, "store")
    receive(order, ra, receipt, LATER)
    return receipt


RETURNS: dict[str, list] = {}  # type: ignore[type-arg]


def refund(order: Order, policy: ReturnPolicy, refunds: list[ReturnRefund]) -> list[ReturnRefund]:
    """Every return of the order refunded of what it owes now."""
    for ra in RETURNS[order.id]:
        left = captured(order) - sum((r.amount for r in refunds), Decimal(0))
        question = refund_question(ra, refunds, policy, left)
        if not question.units:
            continue
        p = preview_refund(order, question, policy)
        refunds.append(
            ReturnRefund(
                f"F{len(refunds)}",
                ra.id,
                p.lines,
                p.shipping,
                p.return_shipping_fee,
                p.amount,
                LATER,
            )
        )
    return refunds


def a_policy(fee_share: str = "0", return_fee: str = "0") -> ReturnPolicy:
    return ReturnPolicy(
        reasons=(ReturnReason("changed_mind", "Changed my mind", Decimal(fee_share)),),
        refunds=RefundTerms(
            return_shipping_fee=Decimal(return_fee), refund_shipping=ShippingRefund.WHOLE_ORDER
        ),
    )


def delivered(order: Order, parcels: list[dict[int, int]]) -> None:
    """Released; each parcel (line_no → units, what is left of them) shipped in turn,
    then all delivered, the last shipped first (its units numbered after the
    others'); what is left stays at the warehouse."""
    release(order, T0)
    shipped = []
    for parcel in parcels:
        open_ = [fo for fo in order.fulfillments if fo.holds_stock]
        if not open_:
            break
        fo = open_[0]
        units = {no: min(q, fo.quantity_of(no)) for no, q in parcel.items() if fo.quantity_of(no)}
        if not any(units.values()):
            continue
        shipped_whole = all(units.get(fl.line_no, 0) == fl.quantity for fl in fo.lines)
        ship(
            order,
            fo.id,
            Shipment("DHL", f"T{len(order.fulfillments)}", None if shipped_whole else units),
            T0,
        )
        shipped.append(fo.id)
    for fo_id in reversed(shipped):
        deliver(order, fo_id, LATER)


def test_a_returned_unit_gives_back_what_it_paid_less_its_reasons_fee() -> None:
    order = an_order(
        [(3, Decimal("59.90")), (1, Decimal("59.90"))], Decimal("10.00"), Decimal("0.19"), True
    )
    RETURNS[order.id] = []
    delivered(order, [{1: 3, 2: 1}])
    returned(order, 1, {1: 1}, ReturnMethod.MAIL)

    [r] = refund(order, a_policy("0.10", "4.95"), [])

    [units] = r.lines
    # 239.60 less 10.00 spread by value: SKU-1's first unit 57.40 (VAT inside)
    assert (units.paid, units.restocking_fee) == (Decimal("57.40"), Decimal("5.74"))
    assert (r.return_shipping_fee, r.shipping, r.amount) == (Decimal("4.95"), 0, Decimal("46.71"))


_ORDERS = st.tuples(
    st.lists(
        st.tuples(st.integers(1, 4), st.decimals("0.50", "300", places=2)), min_size=1, max_size=3
    ),
    st.decimals("0", "40", places=2),
    st.sampled_from([Decimal("0.19"), Decimal("0.07"), Decimal("0")]),
    st.booleans(),
)


@settings(max_examples=120, deadline=None)
@given(
    bought=_ORDERS,
    parcels=st.lists(st.dictionaries(st.integers(1, 3), st.integers(1, 4)), max_size=3),
    asks=st.lists(st.tuples(st.integers(1, 3), st.integers(1, 4), st.booleans()), max_size=5),
    fees=st.tuples(st.sampled_from(["0", "0.10", "0.5"]), st.sampled_from(["0", "4.95"])),
)
def test_refunds_never_exceed_what_was_captured_and_all_back_is_all_paid(
    bought: tuple[list[tuple[int, Decimal]], Decimal, Decimal, bool],
    parcels: list[dict[int, int]],
    asks: list[tuple[int, int, bool]],
    fees: tuple[str, str],
) -> None:
    lines, discount, vat, inclusive = bought
    half = (sum((q * p for q, p in lines), Decimal(0)) / 2).quantize(Decimal("0.01"), ROUND_DOWN)
    order = an_order(lines, min(discount, half), vat, inclusive)
    RETURNS[order.id] = []
    delivered(order, parcels)
    policy = a_policy(*fees)
    refunds: list[ReturnRefund] = []
    for n, (line_no, quantity, received) in enumerate(asks):
        can = order.returnable(line_no) if line_no <= len(order.lines) else 0
        if can:
            method = ReturnMethod.MAIL if n % 2 else ReturnMethod.STORE
            returned(order, n, {line_no: min(can, quantity)}, method, received)
        refund(order, policy, refunds)
        assert sum((r.amount for r in refunds), Decimal(0)) <= captured(order)
    # Everything else comes back, in one return received whole; all of it refunded.
    for ra in RETURNS[order.id]:
        if ra.open_units:
            got = tuple(
                ReceivedUnits(no, q, Condition.NEW, Disposition.RESTOCK)
                for no, q in ra.open_units.items()
            )
            receive(order, ra, ReturnReceipt(f"END-{ra.id}", "DC-BER", got, (), LATER, "s"), LATER)
    rest = {line.line_no: order.returnable(line.line_no) for line in order.lines}
    if any(rest.values()):
        returned(order, 99, {no: q for no, q in rest.items() if q}, ReturnMethod.STORE)
    refund(order, policy, refunds)

    goods = sum((r.goods_paid for r in refunds), Decimal(0))
    shipping = sum((r.shipping for r in refunds), Decimal(0))
    kept = sum((r.restocking_fees + r.return_shipping_fee for r in refunds), Decimal(0))
    given_back = sum((r.amount for r in refunds), Decimal(0))
    every_unit_delivered = all(
        order.counts(line).delivered == line.quantity for line in order.lines
    )
    charged = shipping_paid(order) if any(fo.left for fo in order.fulfillments) else 0
    assert goods == captured(order) - charged  # every unit delivered refunded, once
    # The shipping given back, once, when the whole order came back (not before).
    assert shipping == (charged if every_unit_delivered else 0)
    assert given_back <= captured(order)
    if fees == ("0", "0"):
        assert given_back == goods + shipping
    else:
        assert given_back >= goods + shipping - kept


def test_units_delivered_out_of_order_are_each_refunded_once() -> None:
    """10.00 off 3 units (3.34, 3.33, 3.33 each): unit 0 left first, units 1 and 2
    after it but arrived first; one of those returned and refunded, then unit 0
    arrives and the other two are returned: the line's 169.70 back, each unit once."""
    order = an_order([(3, Decimal("59.90"))], Decimal("10.00"), Decimal("0"), True)
    RETURNS[order.id] = []
    [fo] = release(order, T0)
    ship(order, fo.id, Shipment("DHL", "T1", {1: 1}), T0)  # unit 0
    [rest] = [f for f in order.fulfillments if f.holds_stock]
    ship(order, rest.id, Shipment("DHL", "T2"), T0)  # units 1 and 2
    deliver(order, rest.id, LATER)
    policy = a_policy()
    returned(order, 1, {1: 1}, ReturnMethod.STORE)
    first = refund(order, policy, [])
    deliver(order, fo.id, LATER)
    returned(order, 2, {1: 2}, ReturnMethod.STORE)
    both = refund(order, policy, first)

    assert [r.lines[0].units for r in both] == [(1,), (0, 2)]
    assert sum((r.goods_paid for r in both), Decimal(0)) == Decimal("169.70")


def test_the_shipping_comes_back_only_when_the_whole_order_did() -> None:
    order = an_order([(3, Decimal("59.90"))], Decimal("0"), Decimal("0"), True)
    RETURNS[order.id] = []
    delivered(order, [{1: 1}])  # 2 units still at the warehouse, to ship
    returned(order, 1, {1: 1}, ReturnMethod.STORE)

    [r] = refund(order, a_policy(), [])

    assert (r.shipping, r.amount) == (0, Decimal("59.90"))


def test_the_return_shipping_fee_is_the_one_of_the_orders_currency() -> None:
    order = an_order([(2, Decimal("59.90"))], Decimal("0"), Decimal("0.19"), True)
    RETURNS[order.id] = []
    delivered(order, [{1: 2}])
    returned(order, 1, {1: 1}, ReturnMethod.MAIL)
    terms = RefundTerms(
        return_shipping_fee=Decimal("4.95"),
        return_shipping_fees=(("EUR", Decimal("3.50")), ("JPY", Decimal("500"))),
    )

    [r] = refund(order, ReturnPolicy(refunds=terms), [])

    assert (r.return_shipping_fee, r.amount) == (Decimal("3.50"), Decimal("56.40"))
    assert (terms.fee_in("JPY"), terms.fee_in("USD")) == (Decimal("500"), Decimal("4.95"))
    too_fine = RefundTerms(return_shipping_fees=(("JPY", Decimal("2.95")),))
    assert [p.field for p in too_fine.problems()] == ["refunds.return_shipping_fees.JPY"]
