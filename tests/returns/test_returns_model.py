"""The return's model, without a database: its states, the returnable quantity of an
order's lines (delivered or picked up, less returned and being returned), several
returns of one order, and the order's counters and return state that follow."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ordino.kernel.domain import IllegalTransition, InvalidInput
from ordino.orders.domain import Order, Shipment
from ordino.orders.domain.release import deliver, release, ship
from ordino.orders.domain.status import ReturnState
from ordino.returns.domain import (
    TRANSITIONS,
    Condition,
    Disposition,
    Initiator,
    ReceivedUnits,
    ReturnAuthorization,
    ReturnLineRequest,
    ReturnMethod,
    ReturnReceipt,
    ReturnStatus,
    Started,
    authorise,
    cancel,
    close,
    decline,
    hand_over,
    receive,
    request_return,
)
from ordino.sourcing.domain.plans import PlannedAllocation, SourcingPlan
from tests.conftest import T0
from tests.support.builders import a_place_order, money_of

DC = "DC-BER"
LATER = T0 + timedelta(days=2)
BY_CUSTOMER = Started(Initiator.CUSTOMER, ReturnMethod.STORE, "customer")
S = ReturnStatus


def a_delivered_order(*lines: tuple[str, int], shipped: dict[int, int] | None = None) -> Order:
    """An order of `lines` (default: SKU-1 x3, SKU-2 x1) held at DC-BER and released;
    `shipped` (line_no → units; default every unit) shipped and delivered."""
    lines = lines or (("SKU-1", 3), ("SKU-2", 1))
    plan = SourcingPlan(
        tuple(PlannedAllocation(n, sku, DC, q) for n, (sku, q) in enumerate(lines, 1)), ()
    )
    cmd = a_place_order(*lines)
    order = Order.place(cmd, plan, T0, money_of(cmd))
    [fo] = release(order, T0)
    if shipped is None or shipped:
        ship(order, fo.id, Shipment("DHL", "T-1", shipped), T0 + timedelta(days=1))
        deliver(order, fo.id, LATER)
    return order


def asked(*lines: tuple[int, int]) -> list[ReturnLineRequest]:
    return [ReturnLineRequest(no, q, "wrong_size") for no, q in lines]


def a_return(order: Order, *lines: tuple[int, int], n: int = 1) -> ReturnAuthorization:
    return request_return(order, (f"R{n}", f"CODE{n}"), asked(*lines), BY_CUSTOMER, LATER)


def got(
    order: Order,
    ra: ReturnAuthorization,
    *units: tuple[int, int],
    missing: tuple[tuple[int, int], ...] = (),
) -> None:
    """A receipt at DC-BER of `units` ((line_no, units) each), new, restocked."""
    lines = tuple(ReceivedUnits(n, q, Condition.NEW, Disposition.RESTOCK) for n, q in units)
    receive(order, ra, ReturnReceipt("RC-1", DC, lines, missing, LATER, "store"), LATER)


def counters(order: Order, line_no: int) -> tuple[int, int, int]:
    counts = order.counts(order.line(line_no))
    return counts.returnable, counts.being_returned, counts.returned


def test_a_request_counts_the_units_as_being_returned_and_records_it() -> None:
    order = a_delivered_order()
    ra = a_return(order, (1, 2))
    assert (ra.status, ra.lines[0].sku, ra.lines[0].open) == (S.REQUESTED, "SKU-1", 2)
    assert counters(order, 1) == (1, 2, 0)
    assert order.return_state is ReturnState.IN_PROGRESS
    event = order.pending_events[-1]
    assert (event.type, event.data["return"]["id"], event.data["return_state"]) == (
        "return.requested",
        "R1",
        "in_progress",
    )


def test_only_delivered_units_may_be_returned() -> None:
    order = a_delivered_order(shipped={1: 1})  # one unit of line 1 delivered, the rest not
    with pytest.raises(InvalidInput) as refused:
        a_return(order, (1, 2), (2, 1))
    fields = [(e.field, e.message) for e in refused.value.errors]
    assert fields == [
        (
            "lines[0].quantity",
            "at most 1 may be returned (delivered, less returned or being returned)",
        ),
        (
            "lines[1].quantity",
            "none of the line's units may be returned (not delivered, or returned already)",
        ),
    ]
    assert counters(order, 1) == (1, 0, 0)  # nothing changed
    assert order.return_state is ReturnState.NONE


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ((), "lines"),
        (((9, 1),), "lines[0].line_no"),
        (((1, 1), (1, 1)), "lines[1].line_no"),
        (((1, 0),), "lines[0].quantity"),
    ],
)
def test_bad_lines_are_named(lines: tuple[tuple[int, int], ...], field: str) -> None:
    order = a_delivered_order()
    with pytest.raises(InvalidInput) as refused:
        a_return(order, *lines)
    assert refused.value.errors[0].field == field
    assert order.pending_events[-1].type == "fulfillment.delivered"


def test_several_returns_of_one_order_share_what_may_be_returned() -> None:
    order = a_delivered_order()
    a_return(order, (1, 2), n=1)
    a_return(order, (1, 1), (2, 1), n=2)
    assert counters(order, 1) == (0, 3, 0)
    with pytest.raises(InvalidInput):
        a_return(order, (1, 1), n=3)


def test_received_units_count_as_returned_and_roll_up() -> None:
    order = a_delivered_order()
    ra = a_return(order, (1, 3), (2, 1))
    authorise(order, ra, "policy:auto_approve", {}, LATER)
    hand_over(order, ra, LATER)
    got(order, ra, (1, 2))
    assert ra.status is S.RECEIVED_IN_PART
    assert counters(order, 1) == (0, 1, 2)
    got(order, ra, (1, 1), (2, 1))
    assert ra.status is S.RECEIVED
    assert order.return_state is ReturnState.RETURNED
    assert [line.returned for line in order.lines] == [3, 1]


def test_a_second_receipt_of_the_same_units_is_refused() -> None:
    order = a_delivered_order()
    ra = a_return(order, (1, 1))
    authorise(order, ra, "agent", {}, LATER)
    got(order, ra, (1, 1))
    with pytest.raises(IllegalTransition):
        got(order, ra, (1, 1))
    ra2 = a_return(order, (1, 2), n=2)
    authorise(order, ra2, "agent", {}, LATER)
    with pytest.raises(InvalidInput) as refused:
        got(order, ra2, (1, 3))
    assert refused.value.errors[0].field == "lines[0].quantity"
    assert counters(order, 1) == (0, 2, 1)


def test_declined_and_cancelled_returns_give_their_units_back() -> None:
    order = a_delivered_order()
    declined = a_return(order, (1, 1), n=1)
    decline(order, declined, "agent", "worn", LATER)
    cancelled = a_return(order, (1, 2), n=2)
    authorise(order, cancelled, "agent", {}, LATER)
    cancel(order, cancelled, "kept it", LATER)
    assert (declined.status, cancelled.status) == (S.DECLINED, S.CANCELLED)
    assert counters(order, 1) == (3, 0, 0)
    assert order.return_state is ReturnState.NONE


def test_closing_counts_what_never_came_as_missing_and_not_returnable_again() -> None:
    """Lost on its way back (or kept, returnless): the customer has it no more."""
    order = a_delivered_order()
    ra = a_return(order, (1, 3))
    authorise(order, ra, "agent", {}, LATER)
    hand_over(order, ra, LATER)
    got(order, ra, (1, 1))
    close(order, ra, "two never arrived", LATER)
    assert (ra.status, ra.lines[0].received, ra.lines[0].missing) == (S.CLOSED, 1, 2)
    assert counters(order, 1) == (0, 0, 3)
    assert order.return_state is ReturnState.PARTIALLY_RETURNED  # line 2 is not
    assert order.pending_events[-1].data["missing"] == [{"line_no": 1, "quantity": 2}]


def test_the_goods_travel_only_after_authorisation() -> None:
    order = a_delivered_order()
    ra = a_return(order, (1, 1))
    for step in (lambda: hand_over(order, ra, LATER), lambda: got(order, ra, (1, 1))):
        with pytest.raises(IllegalTransition):
            step()
    authorise(order, ra, "agent", {}, LATER)
    hand_over(order, ra, LATER)
    with pytest.raises(IllegalTransition):  # on its way: too late to cancel
        cancel(order, ra, None, LATER)


def test_every_state_has_a_row_and_ended_ones_lead_nowhere() -> None:
    assert set(TRANSITIONS) == set(ReturnStatus)
    for ended in (S.CLOSED, S.DECLINED, S.CANCELLED):
        assert TRANSITIONS[ended] == frozenset()


# Whatever happens, no line returns more than it delivered.

_STEPS = st.lists(
    st.tuples(
        st.sampled_from(["request", "authorise", "ship", "receive", "cancel", "decline", "close"]),
        st.integers(0, 5),  # which return (by position)
        st.integers(1, 2),  # which line
        st.integers(1, 4),  # how many
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(steps=_STEPS, delivered=st.integers(0, 3))
def test_no_sequence_returns_more_than_was_delivered(
    steps: list[tuple[str, int, int, int]], delivered: int
) -> None:
    order = a_delivered_order(shipped={1: delivered, 2: 1} if delivered else {2: 1})
    returns: list[ReturnAuthorization] = []
    for n, (step, which, line_no, quantity) in enumerate(steps):
        ra = returns[which % len(returns)] if returns else None
        with contextlib.suppress(InvalidInput, IllegalTransition):
            _apply(order, returns, ra, (step, n, line_no, quantity))
        for line in order.lines:
            counts = order.counts(line)
            assert counts.returned + counts.being_returned <= counts.delivered + counts.picked_up
            held = [(r, r.line(line.line_no)) for r in returns if line.line_no in r.open_units]
            assert counts.being_returned == sum(rl.open for r, rl in held if not r.ended)
            assert counts.returned == sum(
                rl.received + rl.missing
                for r in returns
                for rl in r.lines
                if rl.line_no == line.line_no
            )
        for r in returns:
            assert all(rl.open + rl.received + rl.missing == rl.quantity for rl in r.lines) or (
                r.status in (S.DECLINED, S.CANCELLED)
            )


def _apply(
    order: Order,
    returns: list[ReturnAuthorization],
    ra: ReturnAuthorization | None,
    step: tuple[str, int, int, int],
) -> None:
    what, n, line_no, quantity = step
    if what == "request":
        returns.append(a_return(order, (line_no, quantity), n=n))
    elif ra is None:
        return
    elif what == "receive":
        got(order, ra, (line_no, quantity))
    else:
        _ACTIONS[what](order, ra)


_ACTIONS = {
    "authorise": lambda order, ra: authorise(order, ra, "agent", {}, LATER),
    "ship": lambda order, ra: hand_over(order, ra, LATER),
    "cancel": lambda order, ra: cancel(order, ra, None, LATER),
    "decline": lambda order, ra: decline(order, ra, "agent", "no", LATER),
    "close": lambda order, ra: close(order, ra, None, LATER),
}
