"""The order aggregate: placed from a complete plan, cancelled once, every change an event."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.inventory.domain.positions import Reservation
from ordino.kernel.domain.errors import IllegalTransition
from ordino.kernel.domain.events import Event
from ordino.kernel.domain.ids import LENGTH
from ordino.kernel.domain.money import Money
from ordino.kernel.domain.states import can_transition, transition
from ordino.orders.domain.fulfillment import TRANSITIONS, FulfillmentStatus
from ordino.orders.domain.orders import Allocation, Order, OrderLine, money_details
from ordino.orders.domain.status import LineStatus, OrderStatus
from ordino.pricing.domain import PricedLine
from ordino.promising.domain.promises import Method
from ordino.sourcing.domain.plans import PlannedAllocation, Shortfall, SourcingPlan
from tests.conftest import Clock
from tests.support.builders import a_place_order, money_of

CMD = a_place_order(("SKU-1", 2), ("SKU-2", 1))
MONEY = money_of(CMD)
PLAN = SourcingPlan(
    (
        PlannedAllocation(1, "SKU-1", "DC-BER", 1),
        PlannedAllocation(2, "SKU-2", "DC-BER", 1),
        PlannedAllocation(1, "SKU-1", "ST-HAM", 1),
    ),
    (),
)


def test_placing_allocates_each_line_as_planned(clock: Clock) -> None:
    order = Order.place(CMD, PLAN, clock(), MONEY)

    assert order.status is OrderStatus.PLACED
    assert order.lines == [
        OrderLine(
            1,
            "SKU-1",
            2,
            PricedLine.plain(1, "SKU-1", 2, Decimal("59.90"), "EUR"),
            [Allocation("DC-BER", 1), Allocation("ST-HAM", 1)],
            0,
            LineStatus.ALLOCATED,
        ),
        OrderLine(
            2,
            "SKU-2",
            1,
            PricedLine.plain(2, "SKU-2", 1, Decimal("59.90"), "EUR"),
            [Allocation("DC-BER", 1)],
            0,
        ),
    ]
    assert (order.channel, order.external_id, order.currency) == ("web", "W-1001", "EUR")
    assert (order.customer, order.ship_to, order.ship_to_point) == (
        CMD.customer,
        CMD.ship_to,
        CMD.ship_to_point,
    )
    assert order.created_at == order.updated_at == clock()
    assert order.version == 1
    assert len(order.id) == LENGTH
    assert order.total == Money(Decimal("179.70"), "EUR")


def test_placing_records_order_created_with_the_total(clock: Clock) -> None:
    order = Order.place(CMD, PLAN, clock(), MONEY)

    [event] = order.pending_events
    assert event == Event(
        event.id,
        "order.created",
        clock(),
        f"order/{order.id}",
        {
            "order_id": order.id,
            "channel": "web",
            "external_id": "W-1001",
            "status": "placed",
            "total": "179.70",
            "currency": "EUR",
            "by": "ordino",
            "language": None,
        }
        | money_details(order),
    )
    assert event.data["money"]["total"] == "179.70"
    assert len(event.id) == LENGTH


def test_an_order_is_placed_only_on_a_complete_plan(clock: Clock) -> None:
    short = SourcingPlan(PLAN.allocations, (Shortfall(2, "SKU-2", 1, 0, 1),))

    with pytest.raises(ValueError, match="complete plan"):
        Order.place(CMD, short, clock(), MONEY)


def test_cancelling_cancels_the_order_and_its_lines_and_records_it(clock: Clock) -> None:
    order = Order.place(CMD, PLAN, clock(), MONEY)
    order.pending_events.clear()
    later = clock.advance(minutes=5)

    assert order.cancel(later, reason="customer asked") is True

    assert order.status is OrderStatus.CANCELLED
    assert [line.status for line in order.lines] == [LineStatus.CANCELLED] * 2
    assert order.updated_at == later
    assert order.created_at < later
    [event] = order.pending_events
    assert (event.type, event.occurred_at, event.subject) == (
        "order.cancelled",
        later,
        f"order/{order.id}",
    )
    assert event.data == {
        "order_id": order.id,
        "channel": "web",
        "external_id": "W-1001",
        "status": "cancelled",
        "total": "179.70",
        "currency": "EUR",
        "by": "ordino",
        "reason": "customer asked",
        "cancelled": [{"line_no": 1, "quantity": 2}, {"line_no": 2, "quantity": 1}],
    }


def test_cancelling_twice_changes_nothing_the_second_time(clock: Clock) -> None:
    order = Order.place(CMD, PLAN, clock(), MONEY)
    cancelled_at = clock.advance(minutes=1)
    order.cancel(cancelled_at)
    events = list(order.pending_events)

    assert order.cancel(clock.advance(minutes=1), reason="again") is False

    assert order.pending_events == events
    assert [event.type for event in events] == ["order.created", "order.cancelled"]
    assert order.updated_at == cancelled_at
    assert order.status is OrderStatus.CANCELLED


F = FulfillmentStatus


@pytest.mark.parametrize(
    ("method", "current", "target"),
    [
        ("ship", F.SHIPPED, F.REJECTED),  # what left cannot be turned down
        ("ship", F.DELIVERED, F.SHIPPED),
        ("ship", F.CANCELLED, F.RELEASED),
        ("ship", F.RELEASED, F.READY),  # a parcel to the customer is never collected
        ("pickup", F.RELEASED, F.SHIPPED),  # a pickup goes with no carrier
        ("pickup", F.PICKED_UP, F.NOT_COLLECTED),
        ("ship_to_store", F.SHIPPED, F.DELIVERED),  # it arrives at the store: ready
        ("ship_to_store", F.READY, F.CANCELLED),  # shipped in: not collected, back to stock
    ],
)
def test_the_fulfillment_tables_refuse_illegal_transitions(
    method: str, current: FulfillmentStatus, target: FulfillmentStatus
) -> None:
    table = TRANSITIONS[Method(method)]
    assert not can_transition(table, current, target)
    with pytest.raises(IllegalTransition) as refused:
        transition(table, current, target)

    assert refused.value.extra == {"from": str(current), "to": str(target)}
    assert refused.value.code == "illegal-transition"


def test_legal_transitions_return_the_target() -> None:
    assert transition(TRANSITIONS[Method.SHIP], F.RELEASED, F.SHIPPED) is F.SHIPPED
    assert transition(TRANSITIONS[Method.PICKUP], F.READY, F.PICKED_UP) is F.PICKED_UP
    assert transition(TRANSITIONS[Method.SHIP_TO_STORE], F.SHIPPED, F.READY) is F.READY


def test_every_state_has_a_row_in_each_table() -> None:
    assert all(set(table) == set(FulfillmentStatus) for table in TRANSITIONS.values())
    assert set(TRANSITIONS) == set(Method)


def test_reservations_hold_one_row_per_allocation(clock: Clock) -> None:
    order = Order.place(CMD, PLAN, clock(), MONEY)

    held = order.reservations(clock())

    assert [(r.order_id, r.line_no, r.location_id, r.sku, r.quantity) for r in held] == [
        (order.id, 1, "DC-BER", "SKU-1", 1),
        (order.id, 1, "ST-HAM", "SKU-1", 1),
        (order.id, 2, "DC-BER", "SKU-2", 1),
    ]
    assert all(isinstance(r, Reservation) and len(r.id) == LENGTH for r in held)
    assert len({r.id for r in held}) == 3
