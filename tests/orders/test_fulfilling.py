"""Fulfilling an order, without a database: release to locations, accept or reject,
pick, pack, ship, deliver, pickup and ship to store, units cancelled on the way; the
stock each step moves; and the counters that every line's and the order's status is
derived from (cancelled + allocated + out + backordered == ordered, whatever happens).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from copy import deepcopy
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ordino.kernel.domain.errors import FieldError, IllegalTransition, InvalidInput
from ordino.kernel.domain.money import Money
from ordino.orders.domain.fulfillment import (
    Fulfillment,
    FulfillmentLine,
    FulfillmentStatus,
    Shipment,
    fulfillment_document,
)
from ordino.orders.domain.orders import Order
from ordino.orders.domain.release import (
    StockChange,
    StockEffect,
    accept,
    cancel_lines,
    deliver,
    not_collected,
    pick_up,
    progress,
    ready,
    reject,
    release,
    ship,
)
from ordino.orders.domain.status import LineCounts, LineStatus, OrderStatus
from ordino.promising.domain.promises import Method, OrderPromise
from ordino.sourcing.domain.plans import PlannedAllocation, SourcingPlan
from tests.conftest import T0, Clock
from tests.support.builders import a_place_order, money_of

S = FulfillmentStatus
DC, STORE, FAR = "DC-BER", "ST-HAM", "ST-MUC"
TRACKED = Shipment("DHL", "00340434161094000001")
LATER = T0 + timedelta(hours=1)
PICKUP_WINDOW = timedelta(days=7)  # how long the store keeps it, as the type says
CODE = "4711"
RELEASED, CONSUMED, RETURNED = StockEffect.RELEASED, StockEffect.CONSUMED, StockEffect.RETURNED
# Line 1 (SKU-1 x 3): 2 at DC-BER, 1 at ST-HAM; line 2 (SKU-2 x 1): 1 at DC-BER.
EVERYTHING_HELD = ((1, DC, 2), (1, STORE, 1), (2, DC, 1))


def a_plan(*allocations: tuple[int, str, int]) -> SourcingPlan:
    """`a_plan((1, "DC-BER", 2))`: 2 units of line 1 (SKU-1) held at DC-BER."""
    planned = (PlannedAllocation(no, f"SKU-{no}", at, units) for no, at, units in allocations)
    return SourcingPlan(tuple(planned), ())


def a_promise(
    method: Method = Method.PICKUP, store_id: str = STORE, **overrides: Any
) -> OrderPromise:
    fields: dict[str, Any] = {
        "option_id": f"{method}:{store_id}",
        "method": method,
        "service": None,
        "store_id": store_id,
        "ship_date": date(2026, 11, 2),
        "delivery_earliest": date(2026, 11, 3),
        "delivery_latest": date(2026, 11, 4),
        "ready_by": datetime(2026, 11, 3, 15, 0, tzinfo=UTC),
        "cost": Money(Decimal("0.00"), "EUR"),
        "capacity": (),
        "promised_at": T0,
    }
    return OrderPromise(**(fields | overrides))


def an_order(
    now: datetime,
    *allocations: tuple[int, str, int],
    lines: tuple[tuple[str, int], ...] = (("SKU-1", 3), ("SKU-2", 1)),
    promise: OrderPromise | None = None,
) -> Order:
    """An order held as `allocations` say (default: everything, at two locations);
    units no allocation holds wait for supply."""
    plan = a_plan(*(allocations or EVERYTHING_HELD))
    cmd = a_place_order(*lines)
    return Order.place(cmd, plan, now, money_of(cmd), promise, backorder=True)


def a_released_order(now: datetime) -> tuple[Order, Fulfillment, Fulfillment]:
    """The default order released: its fulfillment orders at DC-BER and at ST-HAM."""
    order = an_order(now)
    at_dc, at_store = release(order, now)
    return order, at_dc, at_store


def a_pickup_order(now: datetime, *allocations: tuple[int, str, int]) -> tuple[Order, Fulfillment]:
    order = an_order(now, *(allocations or ((1, STORE, 3), (2, STORE, 1))), promise=a_promise())
    [fo] = release(order, now)
    return order, fo


def held(order: Order, line_no: int) -> dict[str, int]:
    return {a.location_id: a.quantity for a in order.line(line_no).allocations}


def statuses(order: Order) -> tuple[list[LineStatus], OrderStatus]:
    return [line.status for line in order.lines], order.status


def counts(order: Order, line_no: int) -> LineCounts:
    return order.counts(order.line(line_no))


def steps_since(order: Order, start: int) -> list[tuple[str, str | None]]:
    """The events recorded from `start` on: type, and the fulfillment order's id."""
    return [
        (event.type, event.data["fulfillment"]["id"] if "fulfillment" in event.data else None)
        for event in order.pending_events[start:]
    ]


def lines_of(*lines: tuple[int, int]) -> list[FulfillmentLine]:
    return [FulfillmentLine(no, f"SKU-{no}", units) for no, units in lines]


# Release


def test_release_makes_one_fulfillment_order_per_location_with_its_units(clock: Clock) -> None:
    order = an_order(clock())
    later = clock.advance(minutes=5)

    made = release(order, later)

    assert [(fo.location_id, fo.method, fo.status, fo.lines, fo.store_id) for fo in made] == [
        (DC, Method.SHIP, S.RELEASED, lines_of((1, 2), (2, 1)), None),
        (STORE, Method.SHIP, S.RELEASED, lines_of((1, 1)), None),
    ]
    assert [(fo.created_at, fo.updated_at) for fo in made] == [(later, later)] * 2
    assert [(fo.carrier, fo.tracking_number, fo.pickup_code, fo.reason) for fo in made] == [
        (None, None, None, None)
    ] * 2
    assert order.fulfillments == made
    assert made[0].id != made[1].id
    assert statuses(order) == ([LineStatus.RELEASED] * 2, OrderStatus.RELEASED)
    assert counts(order, 1) == LineCounts(3, 0, 3, 3, 0, 0, 0, 0)
    assert counts(order, 2) == LineCounts(1, 0, 1, 1, 0, 0, 0, 0)
    assert order.updated_at == later
    assert steps_since(order, 1) == [
        ("fulfillment.released", made[0].id),
        ("fulfillment.released", made[1].id),
    ]


def test_a_released_event_tells_the_location_what_to_send_where(clock: Clock) -> None:
    order, at_dc, _ = a_released_order(clock())

    event = order.pending_events[1]

    assert (event.type, event.occurred_at, event.subject) == (
        "fulfillment.released",
        clock(),
        f"order/{order.id}",
    )
    assert event.data == {
        "order_id": order.id,
        "channel": "web",
        "external_id": "W-1001",
        "status": "released",
        "total": "239.60",
        "currency": "EUR",
        "by": "ordino",
        "fulfillment": {
            "id": at_dc.id,
            "location_id": DC,
            "method": "ship",
            "status": "released",
            "store_id": None,
            "lines": [
                {"line_no": 1, "sku": "SKU-1", "quantity": 2},
                {"line_no": 2, "sku": "SKU-2", "quantity": 1},
            ],
            "carrier": None,
            "tracking_number": None,
            "reason": None,
            "created_at": "2026-11-02T09:00:00+00:00",
            "updated_at": "2026-11-02T09:00:00+00:00",
        },
        "ship_to": {
            "name": "Ada Lovelace",
            "line1": "Jungfernstieg 1",
            "line2": None,
            "city": "Hamburg",
            "region": None,
            "postal_code": "20354",
            "country": "DE",
            "latitude": 53.55,
            "longitude": 9.99,
        },
        "customer_name": "Ada Lovelace",
        "service": None,
        "ship_by": None,
        "ready_by": None,
    }


def test_releasing_again_makes_nothing_and_records_nothing(clock: Clock) -> None:
    order, _, _ = a_released_order(clock())
    before = deepcopy(order)

    assert release(order, clock.advance(minutes=1)) == []

    assert order == before


def test_an_order_with_waiting_units_stays_backordered_once_released(clock: Clock) -> None:
    order = an_order(clock(), (1, DC, 3))  # line 2 waits for supply

    [fo] = release(order, clock())

    assert fo.lines == lines_of((1, 3))
    assert statuses(order) == (
        [LineStatus.RELEASED, LineStatus.BACKORDERED],
        OrderStatus.BACKORDERED,
    )
    assert counts(order, 2) == LineCounts(1, 0, 0, 0, 0, 0, 0, 0)
    assert counts(order, 2).backordered == 1


def test_units_allocated_later_are_released_on_their_own(clock: Clock) -> None:
    order = an_order(clock(), (1, DC, 3))
    [first] = release(order, clock())
    later = clock.advance(minutes=5)

    held_now = order.allocate(a_plan((2, DC, 1)), later, "supply")
    [second] = release(order, later)

    assert [(r.order_id, r.line_no, r.location_id, r.sku, r.quantity) for r in held_now] == [
        (order.id, 2, DC, "SKU-2", 1)
    ]
    assert (first.lines, second.lines) == (lines_of((1, 3)), lines_of((2, 1)))
    assert second.location_id == DC
    assert statuses(order) == ([LineStatus.RELEASED] * 2, OrderStatus.RELEASED)
    allocated = order.pending_events[-2]
    assert (allocated.type, allocated.data["why"], allocated.data["allocations"]) == (
        "order.allocated",
        "supply",
        [{"line_no": 2, "location_id": DC, "quantity": 1}],
    )
    assert "backordered" not in allocated.data


def test_allocating_more_than_waits_is_refused_and_changes_nothing(clock: Clock) -> None:
    order = an_order(clock(), (1, DC, 3))
    before = deepcopy(order)

    with pytest.raises(ValueError, match="line 2 waits for 1 units"):
        order.allocate(a_plan((2, DC, 2)), clock(), "supply")

    assert order == before


def test_a_cancelled_order_is_not_released(clock: Clock) -> None:
    order = an_order(clock())
    order.cancel(clock())
    before = deepcopy(order)

    with pytest.raises(IllegalTransition) as refused:
        release(order, clock())

    assert refused.value.extra == {"status": "cancelled"}
    assert order == before
    assert order.fulfillments == []


# Accept and reject


def test_accepting_a_whole_fulfillment_order_moves_no_stock(clock: Clock) -> None:
    order, at_dc, _ = a_released_order(clock())
    start, later = len(order.pending_events), clock.advance(minutes=5)

    assert accept(order, at_dc.id, later) == []

    assert (at_dc.status, at_dc.updated_at, at_dc.lines) == (
        S.ACCEPTED,
        later,
        lines_of((1, 2), (2, 1)),
    )
    assert len(order.fulfillments) == 2
    assert statuses(order) == ([LineStatus.RELEASED] * 2, OrderStatus.RELEASED)
    assert counts(order, 1) == LineCounts(3, 0, 3, 3, 0, 0, 0, 0)
    assert steps_since(order, start) == [("fulfillment.accepted", at_dc.id)]
    assert order.updated_at == later


def test_accepting_part_splits_off_the_rest_which_is_rejected_and_waits(clock: Clock) -> None:
    order, at_dc, _ = a_released_order(clock())
    start, later = len(order.pending_events), clock.advance(minutes=5)

    changes = accept(order, at_dc.id, later, keep={1: 1})

    rest = order.fulfillments[-1]
    assert (at_dc.status, at_dc.lines) == (S.ACCEPTED, lines_of((1, 1)))
    assert (rest.location_id, rest.status, rest.reason, rest.lines) == (
        DC,
        S.REJECTED,
        "no-stock",
        lines_of((1, 1), (2, 1)),
    )
    assert rest.id not in (fo.id for fo in order.fulfillments[:-1])
    assert (rest.created_at, rest.updated_at) == (later, later)
    assert changes == [
        StockChange(RELEASED, DC, 1, "SKU-1", 1, rest.id),
        StockChange(RELEASED, DC, 2, "SKU-2", 1, rest.id),
    ]
    assert (held(order, 1), held(order, 2)) == ({STORE: 1, DC: 1}, {})
    assert counts(order, 1) == LineCounts(3, 0, 2, 2, 0, 0, 0, 0)
    assert (counts(order, 1).backordered, counts(order, 2).backordered) == (1, 1)
    assert statuses(order) == ([LineStatus.BACKORDERED] * 2, OrderStatus.BACKORDERED)
    assert steps_since(order, start) == [
        ("fulfillment.split", at_dc.id),
        ("fulfillment.accepted", at_dc.id),
        ("fulfillment.rejected", rest.id),
    ]
    assert order.pending_events[start].data["into"] == rest.id
    assert release(order, later) == []  # the rejected units wait to be sourced again


def test_accepting_everything_it_holds_splits_nothing(clock: Clock) -> None:
    order, at_dc, _ = a_released_order(clock())

    assert accept(order, at_dc.id, clock(), keep={1: 2, 2: 1}) == []

    assert (at_dc.status, at_dc.lines) == (S.ACCEPTED, lines_of((1, 2), (2, 1)))
    assert len(order.fulfillments) == 2
    assert order.pending_events[-1].type == "fulfillment.accepted"


@pytest.mark.parametrize(
    ("keep", "error"),
    [
        ({1: 3}, FieldError("lines[1].quantity", "must be between 0 and 2")),
        ({1: -1}, FieldError("lines[1].quantity", "must be between 0 and 2")),
        ({3: 1}, FieldError("lines[3].quantity", "must be between 0 and 0")),
        ({1: 0, 2: 0}, FieldError("lines", "must name at least one unit")),
    ],
)
def test_accepting_units_it_does_not_hold_is_refused_and_changes_nothing(
    clock: Clock, keep: dict[int, int], error: FieldError
) -> None:
    order, at_dc, _ = a_released_order(clock())
    before = deepcopy(order)

    with pytest.raises(InvalidInput) as refused:
        accept(order, at_dc.id, clock(), keep=keep)

    assert refused.value.errors == [error]
    assert order == before


def test_rejecting_lets_the_units_go_and_they_wait(clock: Clock) -> None:
    order, _, at_store = a_released_order(clock())
    start, later = len(order.pending_events), clock.advance(minutes=5)

    changes = reject(order, at_store.id, later, "damaged")

    assert changes == [StockChange(RELEASED, STORE, 1, "SKU-1", 1, at_store.id)]
    assert (at_store.status, at_store.reason, at_store.updated_at) == (S.REJECTED, "damaged", later)
    assert at_store.lines == lines_of((1, 1))  # what it was asked for, still
    assert held(order, 1) == {DC: 2}
    assert counts(order, 1) == LineCounts(3, 0, 2, 2, 0, 0, 0, 0)
    assert counts(order, 1).backordered == 1
    assert statuses(order) == (
        [LineStatus.BACKORDERED, LineStatus.RELEASED],
        OrderStatus.BACKORDERED,
    )
    assert steps_since(order, start) == [("fulfillment.rejected", at_store.id)]
    assert release(order, later) == []


def test_a_location_withdrawing_rejects_what_it_holds_and_the_units_wait(clock: Clock) -> None:
    order, at_dc, at_store = a_released_order(clock())
    accept(order, at_dc.id, clock())
    start, later = len(order.pending_events), clock.advance(minutes=5)

    withdrawn = order.withdraw(DC, later, "flooded")

    assert withdrawn == {1: 2, 2: 1}
    assert (at_dc.status, at_dc.reason) == (S.REJECTED, "flooded")
    assert (at_store.status, at_store.reason) == (S.RELEASED, None)
    assert (held(order, 1), held(order, 2)) == ({STORE: 1}, {})
    assert statuses(order) == ([LineStatus.BACKORDERED] * 2, OrderStatus.BACKORDERED)
    [event] = order.pending_events[start:]
    assert (event.type, event.data["location_id"], event.data["reason"]) == (
        "order.allocation_rejected",
        DC,
        "flooded",
    )
    order.allocate(a_plan((1, FAR, 2), (2, FAR, 1)), later, "reroute")
    [elsewhere] = release(order, later)
    assert (elsewhere.location_id, elsewhere.lines) == (FAR, lines_of((1, 2), (2, 1)))
    assert statuses(order) == ([LineStatus.RELEASED] * 2, OrderStatus.RELEASED)


def test_withdrawing_is_all_or_nothing_when_a_pickup_is_ready(clock: Clock) -> None:
    order, first = a_pickup_order(clock(), (1, STORE, 1))
    order.allocate(a_plan((1, STORE, 2)), clock(), "supply")
    [second] = release(order, clock())
    ready(order, second.id, CODE, clock() + PICKUP_WINDOW, clock())
    before = deepcopy(order)

    with pytest.raises(IllegalTransition):
        order.withdraw(STORE, clock.advance(minutes=1), "closed")

    assert order == before
    assert (first.status, second.status) == (S.RELEASED, S.READY)


# Pick, pack and the illegal steps


def test_picking_and_packing_move_no_stock(clock: Clock) -> None:
    order, at_dc, _ = a_released_order(clock())
    start = len(order.pending_events)
    accept(order, at_dc.id, clock.advance(minutes=1))

    progress(order, at_dc.id, S.PICKED, clock.advance(minutes=1))
    assert at_dc.status is S.PICKED
    packed_at = clock.advance(minutes=1)
    progress(order, at_dc.id, S.PACKED, packed_at)

    assert (at_dc.status, at_dc.updated_at, order.updated_at) == (S.PACKED, packed_at, packed_at)
    assert counts(order, 1) == LineCounts(3, 0, 3, 3, 0, 0, 0, 0)
    assert statuses(order) == ([LineStatus.RELEASED] * 2, OrderStatus.RELEASED)
    assert steps_since(order, start) == [
        ("fulfillment.accepted", at_dc.id),
        ("fulfillment.picked", at_dc.id),
        ("fulfillment.packed", at_dc.id),
    ]


Step = Callable[[Order, str], object]


def _to(target: FulfillmentStatus) -> Step:
    return lambda order, fo_id: progress(order, fo_id, target, LATER)


def _accept(order: Order, fo_id: str) -> object:
    return accept(order, fo_id, LATER)


def _accept_part(order: Order, fo_id: str) -> object:
    return accept(order, fo_id, LATER, keep={1: 1})


def _ship(order: Order, fo_id: str) -> object:
    return ship(order, fo_id, TRACKED, LATER)


def _ship_part(order: Order, fo_id: str) -> object:
    return ship(order, fo_id, Shipment("DHL", "T-1", {1: 1}), LATER)


def _ready(order: Order, fo_id: str) -> object:
    ready(order, fo_id, CODE, LATER + PICKUP_WINDOW, LATER)
    return None


def _deliver(order: Order, fo_id: str) -> object:
    return deliver(order, fo_id, LATER)


def _reject(order: Order, fo_id: str) -> object:
    return reject(order, fo_id, LATER, "no-stock")


def _pick_up(order: Order, fo_id: str) -> object:
    return pick_up(order, fo_id, CODE, LATER)


def _not_collected(order: Order, fo_id: str) -> object:
    return not_collected(order, fo_id, LATER)


M = Method


@pytest.mark.parametrize(
    ("method", "done", "step", "came_from", "went_to"),
    [
        pytest.param(M.PICKUP, [], _to(S.PACKED), "released", "packed", id="pack-a-pickup"),
        pytest.param(M.SHIP, [], _deliver, "released", "delivered", id="deliver-unshipped"),
        pytest.param(M.SHIP, [_to(S.PACKED)], _to(S.PICKED), "packed", "picked", id="pick-packed"),
        pytest.param(M.PICKUP, [], _ship, "released", "shipped", id="ship-a-pickup"),
        pytest.param(M.PICKUP, [], _ship_part, "released", "shipped", id="ship-part-of-a-pickup"),
        pytest.param(
            M.SHIP_TO_STORE, [_ship], _deliver, "shipped", "delivered", id="deliver-to-store"
        ),
        pytest.param(M.SHIP, [], _ready, "released", "ready", id="ready-a-parcel"),
        pytest.param(M.SHIP, [_ship], _reject, "shipped", "rejected", id="reject-what-left"),
        pytest.param(M.SHIP, [_accept], _accept_part, "accepted", "accepted", id="accept-twice"),
        pytest.param(M.SHIP, [_ship], _ship_part, "shipped", "shipped", id="ship-part-twice"),
        pytest.param(M.SHIP, [], _to(S.SHIPPED), "released", "shipped", id="ship-not-by-ship"),
        pytest.param(
            M.SHIP, [], _to(S.REJECTED), "released", "rejected", id="reject-not-by-reject"
        ),
        pytest.param(M.PICKUP, [], _pick_up, "released", "picked_up", id="pick-up-unready"),
        pytest.param(M.PICKUP, [], _not_collected, "released", "not_collected", id="miss-unready"),
        pytest.param(
            M.PICKUP, [_ready, _pick_up], _not_collected, "picked_up", "not_collected", id="miss"
        ),
    ],
)
def test_illegal_steps_are_refused_and_change_nothing(
    method: Method, done: list[Step], step: Step, came_from: str, went_to: str
) -> None:
    promise = None if method is Method.SHIP else a_promise(method)
    at = STORE if method is Method.PICKUP else DC  # a pickup's units are at its store
    order = an_order(T0, (1, at, 3), (2, at, 1), promise=promise)
    [fo] = release(order, T0)
    for earlier in done:
        earlier(order, fo.id)
    before = deepcopy(order)

    with pytest.raises(IllegalTransition) as refused:
        step(order, fo.id)

    assert refused.value.extra == {"from": came_from, "to": went_to}
    assert order == before


# Ship and deliver


def test_shipping_consumes_the_stock_and_the_statuses_roll_up(clock: Clock) -> None:
    order, at_dc, at_store = a_released_order(clock())
    start, later = len(order.pending_events), clock.advance(hours=2)

    changes = ship(order, at_dc.id, TRACKED, later)

    assert changes == [
        StockChange(CONSUMED, DC, 1, "SKU-1", 2, at_dc.id),
        StockChange(CONSUMED, DC, 2, "SKU-2", 1, at_dc.id),
    ]
    assert (at_dc.status, at_dc.carrier, at_dc.tracking_number) == (
        S.SHIPPED,
        "DHL",
        "00340434161094000001",
    )
    assert (held(order, 1), held(order, 2)) == ({STORE: 1}, {})
    assert counts(order, 1) == LineCounts(3, 0, 1, 1, 2, 0, 0, 2)
    assert counts(order, 2) == LineCounts(1, 0, 0, 0, 1, 0, 0, 1)
    assert statuses(order) == (
        [LineStatus.PARTIALLY_SHIPPED, LineStatus.SHIPPED],
        OrderStatus.PARTIALLY_SHIPPED,
    )
    assert steps_since(order, start) == [("fulfillment.shipped", at_dc.id)]
    shipped = order.pending_events[-1]
    assert shipped.data["fulfillment"] == fulfillment_document(at_dc)
    assert shipped.data["status"] == "partially_shipped"

    ship(order, at_store.id, Shipment("UPS", "1Z999"), clock.advance(hours=1))

    assert counts(order, 1) == LineCounts(3, 0, 0, 0, 3, 0, 0, 3)
    assert statuses(order) == ([LineStatus.SHIPPED] * 2, OrderStatus.SHIPPED)


def test_delivering_fulfils_the_lines_delivered(clock: Clock) -> None:
    order, at_dc, at_store = a_released_order(clock())
    ship(order, at_dc.id, TRACKED, clock())
    ship(order, at_store.id, TRACKED, clock())
    start, later = len(order.pending_events), clock.advance(days=1)

    assert deliver(order, at_dc.id, later) is at_dc

    assert (at_dc.status, at_dc.updated_at) == (S.DELIVERED, later)
    assert counts(order, 1) == LineCounts(3, 0, 0, 0, 3, 2, 0, 3)
    assert statuses(order) == (
        [LineStatus.PARTIALLY_FULFILLED, LineStatus.FULFILLED],
        OrderStatus.PARTIALLY_FULFILLED,
    )

    deliver(order, at_store.id, clock.advance(days=1))

    assert counts(order, 1) == LineCounts(3, 0, 0, 0, 3, 3, 0, 3)
    assert statuses(order) == ([LineStatus.FULFILLED] * 2, OrderStatus.FULFILLED)
    assert steps_since(order, start) == [
        ("fulfillment.delivered", at_dc.id),
        ("fulfillment.delivered", at_store.id),
    ]
    with pytest.raises(IllegalTransition):
        release(order, clock())


def test_shipping_part_splits_the_rest_off_at_the_stage_it_was(clock: Clock) -> None:
    order, at_dc, _ = a_released_order(clock())
    accept(order, at_dc.id, clock())
    progress(order, at_dc.id, S.PICKED, clock())
    start, later = len(order.pending_events), clock.advance(hours=1)

    changes = ship(order, at_dc.id, Shipment("DHL", "T-1", {1: 1}), later)

    rest = order.fulfillments[-1]
    assert changes == [StockChange(CONSUMED, DC, 1, "SKU-1", 1, at_dc.id)]
    assert (at_dc.status, at_dc.lines, at_dc.carrier, at_dc.tracking_number) == (
        S.SHIPPED,
        [FulfillmentLine(1, "SKU-1", 1, first_unit=0)],  # the line's first unit left
        "DHL",
        "T-1",
    )
    assert (rest.location_id, rest.status, rest.lines, rest.carrier, rest.tracking_number) == (
        DC,
        S.PICKED,
        lines_of((1, 1), (2, 1)),
        None,
        None,
    )
    assert rest.id != at_dc.id
    assert (rest.created_at, rest.updated_at) == (later, later)
    assert (held(order, 1), held(order, 2)) == ({DC: 1, STORE: 1}, {DC: 1})
    assert counts(order, 1) == LineCounts(3, 0, 2, 2, 1, 0, 0, 1)
    assert statuses(order) == (
        [LineStatus.PARTIALLY_SHIPPED, LineStatus.RELEASED],
        OrderStatus.PARTIALLY_SHIPPED,
    )
    assert steps_since(order, start) == [
        ("fulfillment.split", at_dc.id),
        ("fulfillment.shipped", at_dc.id),
    ]
    assert order.pending_events[start].data["into"] == rest.id

    ship(order, rest.id, TRACKED, clock.advance(hours=1))

    assert statuses(order) == (
        [LineStatus.PARTIALLY_SHIPPED, LineStatus.SHIPPED],
        OrderStatus.PARTIALLY_SHIPPED,
    )


@pytest.mark.parametrize(
    ("units", "error"),
    [
        ({2: 2}, FieldError("lines[2].quantity", "must be between 0 and 1")),
        ({1: 0, 2: 0}, FieldError("lines", "must name at least one unit")),
    ],
)
def test_shipping_units_it_does_not_hold_is_refused_and_changes_nothing(
    clock: Clock, units: dict[int, int], error: FieldError
) -> None:
    order, at_dc, _ = a_released_order(clock())
    before = deepcopy(order)

    with pytest.raises(InvalidInput) as refused:
        ship(order, at_dc.id, Shipment("DHL", "T-1", units), clock())

    assert refused.value.errors == [error]
    assert order == before


# Pickup at a store


def test_a_pickup_order_is_released_to_the_store_for_pickup(clock: Clock) -> None:
    order, fo = a_pickup_order(clock())

    assert (fo.location_id, fo.method, fo.store_id, fo.lines) == (
        STORE,
        Method.PICKUP,
        STORE,
        lines_of((1, 3), (2, 1)),
    )
    details = order.pending_events[-1].data
    assert (details["service"], details["ship_by"], details["ready_by"]) == (
        None,
        "2026-11-02",
        "2026-11-03T15:00:00+00:00",
    )


def test_ready_for_pickup_sends_the_code_but_the_units_stay_held(clock: Clock) -> None:
    order, fo = a_pickup_order(clock())
    later = clock.advance(hours=1)

    ready(order, fo.id, CODE, later + PICKUP_WINDOW, later)

    assert (fo.status, fo.pickup_code, fo.updated_at) == (S.READY, CODE, later)
    assert fo.holds_stock
    assert held(order, 1) == {STORE: 3}
    assert counts(order, 1) == LineCounts(3, 0, 3, 3, 0, 0, 0, 0)
    event = order.pending_events[-1]
    assert event.type == "fulfillment.ready_for_pickup"
    assert event.data["fulfillment"]["id"] == fo.id
    assert "pickup_code" not in event.data["fulfillment"]
    assert (event.data["pickup_code"], event.data["collect_by"], event.data["customer_email"]) == (
        CODE,
        "2026-11-09T10:00:00+00:00",
        "ada@example.com",
    )


def test_a_pickup_with_the_wrong_code_is_refused_and_changes_nothing(clock: Clock) -> None:
    order, fo = a_pickup_order(clock())
    ready(order, fo.id, CODE, clock() + PICKUP_WINDOW, clock())
    before = deepcopy(order)

    for wrong in ("0000", "é12345"):  # not ASCII: refused the same, no TypeError
        with pytest.raises(InvalidInput) as refused:
            pick_up(order, fo.id, wrong, clock.advance(hours=1))

        assert refused.value.errors == [
            FieldError("code", "is not the pickup code sent to the customer")
        ]
    assert order == before
    assert fo.status is S.READY


def test_a_pickup_with_the_right_code_consumes_the_stock_and_fulfils(clock: Clock) -> None:
    order, fo = a_pickup_order(clock())
    ready(order, fo.id, CODE, clock() + PICKUP_WINDOW, clock())
    start, later = len(order.pending_events), clock.advance(hours=1)

    changes = pick_up(order, fo.id, CODE, later)

    assert changes == [
        StockChange(CONSUMED, STORE, 1, "SKU-1", 3, fo.id),
        StockChange(CONSUMED, STORE, 2, "SKU-2", 1, fo.id),
    ]
    assert (fo.status, fo.updated_at) == (S.PICKED_UP, later)
    assert (held(order, 1), held(order, 2)) == ({}, {})
    assert counts(order, 1) == LineCounts(3, 0, 0, 0, 0, 0, 3, 3)
    assert statuses(order) == ([LineStatus.FULFILLED] * 2, OrderStatus.FULFILLED)
    assert steps_since(order, start) == [("fulfillment.picked_up", fo.id)]


def test_a_pickup_not_collected_is_cancelled_and_its_stock_let_go(clock: Clock) -> None:
    order, fo = a_pickup_order(clock())
    ready(order, fo.id, CODE, clock() + PICKUP_WINDOW, clock())
    start, later = len(order.pending_events), clock.advance(days=7)

    changes = not_collected(order, fo.id, later)

    assert changes == [
        StockChange(RELEASED, STORE, 1, "SKU-1", 3, fo.id),
        StockChange(RELEASED, STORE, 2, "SKU-2", 1, fo.id),
    ]
    assert (fo.status, fo.reason) == (S.NOT_COLLECTED, "not collected")
    assert (held(order, 1), held(order, 2)) == ({}, {})
    assert counts(order, 1) == LineCounts(3, 3, 0, 0, 0, 0, 0, 0)
    assert statuses(order) == ([LineStatus.CANCELLED] * 2, OrderStatus.CANCELLED)
    assert steps_since(order, start) == [("fulfillment.not_collected", fo.id)]


def test_a_pickup_not_collected_leaves_the_order_open_while_units_wait(clock: Clock) -> None:
    order, fo = a_pickup_order(clock(), (1, STORE, 3))  # line 2 waits
    ready(order, fo.id, CODE, clock() + PICKUP_WINDOW, clock())

    not_collected(order, fo.id, clock())

    assert statuses(order) == (
        [LineStatus.CANCELLED, LineStatus.BACKORDERED],
        OrderStatus.BACKORDERED,
    )


# Ship to store


def a_ship_to_store_order(now: datetime) -> tuple[Order, Fulfillment]:
    order = an_order(now, (1, DC, 3), (2, DC, 1), promise=a_promise(Method.SHIP_TO_STORE, FAR))
    [fo] = release(order, now)
    ship(order, fo.id, TRACKED, now)
    ready(order, fo.id, CODE, now + PICKUP_WINDOW, now)
    return order, fo


def test_shipped_to_a_store_the_units_are_consumed_where_they_left(clock: Clock) -> None:
    order = an_order(clock(), (1, DC, 3), (2, DC, 1), promise=a_promise(Method.SHIP_TO_STORE, FAR))
    [fo] = release(order, clock())

    changes = ship(order, fo.id, TRACKED, clock())
    ready(order, fo.id, CODE, clock() + PICKUP_WINDOW, clock())

    assert (fo.location_id, fo.method, fo.store_id, fo.status) == (
        DC,
        Method.SHIP_TO_STORE,
        FAR,
        S.READY,
    )
    assert changes == [
        StockChange(CONSUMED, DC, 1, "SKU-1", 3, fo.id),
        StockChange(CONSUMED, DC, 2, "SKU-2", 1, fo.id),
    ]
    assert (fo.holds_stock, fo.left) == (False, True)
    assert counts(order, 1) == LineCounts(3, 0, 0, 0, 3, 0, 0, 3)
    assert statuses(order) == ([LineStatus.SHIPPED] * 2, OrderStatus.SHIPPED)


def test_shipped_to_a_store_and_collected_moves_no_more_stock(clock: Clock) -> None:
    order, fo = a_ship_to_store_order(clock())

    assert pick_up(order, fo.id, CODE, clock.advance(days=1)) == []

    assert fo.status is S.PICKED_UP
    assert counts(order, 1) == LineCounts(3, 0, 0, 0, 3, 0, 3, 3)
    assert statuses(order) == ([LineStatus.FULFILLED] * 2, OrderStatus.FULFILLED)


def test_shipped_to_a_store_and_not_collected_returns_the_goods_to_the_store(clock: Clock) -> None:
    order, fo = a_ship_to_store_order(clock())

    changes = not_collected(order, fo.id, clock.advance(days=7))

    assert changes == [
        StockChange(RETURNED, FAR, 1, "SKU-1", 3, fo.id),
        StockChange(RETURNED, FAR, 2, "SKU-2", 1, fo.id),
    ]
    assert (fo.status, fo.reason) == (S.NOT_COLLECTED, "not collected")
    assert counts(order, 1) == LineCounts(3, 3, 0, 0, 3, 0, 0, 0)
    assert statuses(order) == ([LineStatus.CANCELLED] * 2, OrderStatus.CANCELLED)


# Cancelling units


def an_order_in_every_state(clock: Clock) -> tuple[Order, Fulfillment, Fulfillment]:
    """SKU-1 x 5: 2 released to DC-BER (the older fulfillment order), 1 more released
    there later (the newer), 1 held at ST-HAM not released, 1 waiting."""
    order = an_order(clock(), (1, DC, 2), lines=(("SKU-1", 5),))
    [older] = release(order, clock())
    order.allocate(a_plan((1, DC, 1)), clock(), "supply")
    [newer] = release(order, clock())
    order.allocate(a_plan((1, STORE, 1)), clock(), "supply")
    clock.advance(minutes=5)
    return order, older, newer


def test_a_line_with_only_some_units_released_waits_to_be_released(clock: Clock) -> None:
    """Two units released, the third allocated when supply came: the order is not
    released (nothing would send the third unit) until it is."""
    order = an_order(clock(), (1, DC, 2), lines=(("SKU-1", 3),))
    release(order, clock())
    order.allocate(a_plan((1, DC, 1)), clock(), "supply")

    assert counts(order, 1) == LineCounts(3, 0, 3, 2, 0, 0, 0, 0)
    assert statuses(order) == ([LineStatus.ALLOCATED], OrderStatus.PLACED)
    release(order, clock())
    assert statuses(order) == ([LineStatus.RELEASED], OrderStatus.RELEASED)


def test_cancelling_units_takes_the_waiting_ones_first(clock: Clock) -> None:
    order, older, newer = an_order_in_every_state(clock)
    start = len(order.pending_events)

    assert cancel_lines(order, {1: 1}, clock(), "customer asked") == []

    assert held(order, 1) == {DC: 3, STORE: 1}
    assert (older.lines, newer.lines) == (lines_of((1, 2)), lines_of((1, 1)))
    assert counts(order, 1) == LineCounts(5, 1, 4, 3, 0, 0, 0, 0)
    assert counts(order, 1).backordered == 0
    [event] = order.pending_events[start:]
    assert (event.type, event.data["reason"], event.data["cancelled"]) == (
        "order.lines_cancelled",
        "customer asked",
        [{"line_no": 1, "quantity": 1}],
    )


def test_cancelling_units_then_lets_go_of_those_held_and_not_released(clock: Clock) -> None:
    order, older, newer = an_order_in_every_state(clock)

    changes = cancel_lines(order, {1: 2}, clock(), "customer asked")

    assert changes == [StockChange(RELEASED, STORE, 1, "SKU-1", 1)]
    assert held(order, 1) == {DC: 3}
    assert (older.status, newer.status) == (S.RELEASED, S.RELEASED)
    assert counts(order, 1) == LineCounts(5, 2, 3, 3, 0, 0, 0, 0)
    assert statuses(order) == ([LineStatus.RELEASED], OrderStatus.RELEASED)


def test_cancelling_units_then_shrinks_or_cancels_the_newest_fulfillment_orders(
    clock: Clock,
) -> None:
    order, older, newer = an_order_in_every_state(clock)
    start = len(order.pending_events)

    changes = cancel_lines(order, {1: 4}, clock(), "customer asked")

    assert changes == [
        StockChange(RELEASED, STORE, 1, "SKU-1", 1),
        StockChange(RELEASED, DC, 1, "SKU-1", 1, newer.id),
        StockChange(RELEASED, DC, 1, "SKU-1", 1, older.id),
    ]
    assert (newer.status, newer.reason, newer.lines) == (
        S.CANCELLED,
        "customer asked",
        lines_of((1, 1)),
    )
    assert (older.status, older.lines, older.updated_at) == (S.RELEASED, lines_of((1, 1)), clock())
    assert held(order, 1) == {DC: 1}
    assert counts(order, 1) == LineCounts(5, 4, 1, 1, 0, 0, 0, 0)
    assert statuses(order) == ([LineStatus.RELEASED], OrderStatus.RELEASED)
    assert steps_since(order, start) == [
        ("fulfillment.cancelled", newer.id),
        ("fulfillment.changed", older.id),
        ("order.lines_cancelled", None),
    ]
    assert order.pending_events[start + 1].data["reason"] == "customer asked"


def test_cancelling_every_open_unit_cancels_the_order(clock: Clock) -> None:
    order, older, newer = an_order_in_every_state(clock)

    changes = cancel_lines(order, {1: 5}, clock(), None)

    assert [(c.location_id, c.quantity, c.fulfillment_id) for c in changes] == [
        (STORE, 1, None),
        (DC, 1, newer.id),
        (DC, 2, older.id),
    ]
    assert (older.status, newer.status) == (S.CANCELLED, S.CANCELLED)
    assert held(order, 1) == {}
    assert statuses(order) == ([LineStatus.CANCELLED], OrderStatus.CANCELLED)
    assert order.pending_events[-1].type == "order.cancelled"


def open_units(line_no: int, most: int) -> FieldError:
    return FieldError(
        f"lines[{line_no}].quantity",
        f"must be between 1 and {most}, the units not cancelled that have not left a location",
    )


@pytest.mark.parametrize(
    ("units", "errors"),
    [
        ({1: 2}, [open_units(1, 1)]),
        ({1: 1, 2: 1}, [open_units(2, 0)]),
        ({1: 0, 2: 2}, [open_units(1, 1), open_units(2, 0)]),
        ({9: 1}, [FieldError("lines[9].line_no", "the order has no line 9")]),
    ],
)
def test_cancelling_more_than_the_open_units_is_refused_and_changes_nothing(
    clock: Clock, units: dict[int, int], errors: list[FieldError]
) -> None:
    order, at_dc, _ = a_released_order(clock())
    ship(order, at_dc.id, TRACKED, clock())  # line 1: 1 open unit (at ST-HAM); line 2: none
    before = deepcopy(order)

    with pytest.raises(InvalidInput) as refused:
        cancel_lines(order, units, clock.advance(minutes=1), "customer asked")

    assert refused.value.errors == errors
    assert order == before


def test_cancelling_an_order_after_a_partial_shipment_cancels_only_the_rest(clock: Clock) -> None:
    order, at_dc, at_store = a_released_order(clock())
    ship(order, at_dc.id, TRACKED, clock())
    start, later = len(order.pending_events), clock.advance(minutes=5)

    assert order.cancel(later, reason="customer asked") is True

    assert (at_dc.status, at_store.status, at_store.reason) == (
        S.SHIPPED,
        S.CANCELLED,
        "customer asked",
    )
    assert (held(order, 1), held(order, 2)) == ({}, {})
    assert counts(order, 1) == LineCounts(3, 1, 0, 0, 2, 0, 0, 2)
    assert counts(order, 2) == LineCounts(1, 0, 0, 0, 1, 0, 0, 1)
    assert statuses(order) == ([LineStatus.SHIPPED] * 2, OrderStatus.SHIPPED)
    [event] = order.pending_events[start:]
    assert (event.type, event.data["status"], event.data["reason"], event.data["cancelled"]) == (
        "order.lines_cancelled",
        "shipped",
        "customer asked",
        [{"line_no": 1, "quantity": 1}],
    )


def test_an_order_that_has_all_left_cannot_be_cancelled(clock: Clock) -> None:
    order, at_dc, at_store = a_released_order(clock())
    ship(order, at_dc.id, TRACKED, clock())
    ship(order, at_store.id, TRACKED, clock())
    before = deepcopy(order)

    with pytest.raises(IllegalTransition) as refused:
        order.cancel(clock.advance(minutes=1), reason="too late")

    assert refused.value.extra == {"status": "shipped"}
    assert order == before


# Every unit is counted once, whatever happens

LOCATIONS = (DC, STORE)
Stock = Counter[tuple[str, int]]  # units reserved per (location, line)


def _nth(order: Order, pick: int) -> Fulfillment | None:
    return order.fulfillments[pick % len(order.fulfillments)] if order.fulfillments else None


def _moved(changes: list[StockChange]) -> Stock:
    moved: Stock = Counter()
    for change in changes:
        if change.effect is not RETURNED:  # received, not reserved
            moved[(change.location_id, change.line_no)] -= change.quantity
    return moved


def _on_one(
    act: Callable[[Order, str, dict[int, int], datetime], object],
) -> Callable[[Order, int, dict[int, int], datetime], Stock]:
    """A step on one of the order's fulfillment orders (`pick`: which), if it has any."""

    def step(order: Order, pick: int, units: dict[int, int], now: datetime) -> Stock:
        fo = _nth(order, pick)
        changes = act(order, fo.id, units, now) if fo else None
        return _moved(changes) if isinstance(changes, list) else Counter()

    return step


def _release(order: Order, pick: int, units: dict[int, int], now: datetime) -> Stock:
    release(order, now)
    return Counter()


def _cancel_some(order: Order, pick: int, units: dict[int, int], now: datetime) -> Stock:
    return _moved(cancel_lines(order, units, now, "customer asked"))


def _cancel_order(order: Order, pick: int, units: dict[int, int], now: datetime) -> Stock:
    holding = {
        (a.location_id, line.line_no): a.quantity for line in order.lines for a in line.allocations
    }
    return Counter({key: -q for key, q in holding.items()}) if order.cancel(now) else Counter()


def _withdraw(order: Order, pick: int, units: dict[int, int], now: datetime) -> Stock:
    location_id = LOCATIONS[pick % 2]
    withdrawn = order.withdraw(location_id, now, "closed")
    return Counter({(location_id, line_no): -q for line_no, q in withdrawn.items()})


def _allocate(order: Order, pick: int, units: dict[int, int], now: datetime) -> Stock:
    location_id = LOCATIONS[pick % 2]
    waiting = {line.line_no: order.waiting(line) for line in order.lines}
    wanted = {no: min(q, waiting.get(no, 0)) for no, q in sorted(units.items())}
    plan = a_plan(*((no, location_id, q) for no, q in wanted.items() if q > 0))
    if not plan.allocations:
        return Counter()
    return Counter(
        {(r.location_id, r.line_no): r.quantity for r in order.allocate(plan, now, "supply")}
    )


STEPS: dict[str, Callable[[Order, int, dict[int, int], datetime], Stock]] = {
    "release": _release,
    "accept": _on_one(lambda o, fo_id, units, now: accept(o, fo_id, now, units or None)),
    "reject": _on_one(lambda o, fo_id, units, now: reject(o, fo_id, now, "no-stock")),
    "pick": _on_one(lambda o, fo_id, units, now: progress(o, fo_id, S.PICKED, now)),
    "pack": _on_one(lambda o, fo_id, units, now: progress(o, fo_id, S.PACKED, now)),
    "ship": _on_one(
        lambda o, fo_id, units, now: ship(o, fo_id, Shipment("DHL", "T", units or None), now)
    ),
    "deliver": _on_one(lambda o, fo_id, units, now: deliver(o, fo_id, now)),
    "ready": _on_one(lambda o, fo_id, units, now: ready(o, fo_id, CODE, now + PICKUP_WINDOW, now)),
    # Some units: the right code; none: a wrong one.
    "pick_up": _on_one(
        lambda o, fo_id, units, now: pick_up(o, fo_id, CODE if any(units.values()) else "0", now)
    ),
    "not_collected": _on_one(lambda o, fo_id, units, now: not_collected(o, fo_id, now)),
    "cancel_lines": _cancel_some,
    "cancel_order": _cancel_order,
    "withdraw": _withdraw,
    "allocate": _allocate,
}


@st.composite
def orders_held_at_two_locations(
    draw: st.DrawFn,
) -> tuple[tuple[tuple[str, int], ...], SourcingPlan]:
    """2-3 lines of 1-4 units, each held partly at DC-BER and ST-HAM; the rest waits."""
    quantities = draw(st.lists(st.integers(1, 4), min_size=2, max_size=3))
    allocations = []
    for no, quantity in enumerate(quantities, start=1):
        at_dc = draw(st.integers(0, quantity))
        at_store = draw(st.integers(0, quantity - at_dc))
        allocations += [(no, at, q) for at, q in ((DC, at_dc), (STORE, at_store)) if q]
    lines = tuple((f"SKU-{no}", q) for no, q in enumerate(quantities, start=1))
    return lines, a_plan(*allocations)


def the_line_status(c: LineCounts) -> LineStatus:
    """The rule as the trade states it, apart from `ordino.orders.domain.status`: the first
    that holds, from the furthest a unit can get."""
    live = c.ordered - c.cancelled
    rules = (
        (live == 0, LineStatus.CANCELLED),
        (c.delivered + c.picked_up == live, LineStatus.FULFILLED),
        (c.delivered + c.picked_up > 0, LineStatus.PARTIALLY_FULFILLED),
        (c.out == live, LineStatus.SHIPPED),
        (c.out > 0, LineStatus.PARTIALLY_SHIPPED),
        (c.allocated < live, LineStatus.BACKORDERED),
        (c.released < c.allocated, LineStatus.ALLOCATED),
    )
    return next((status for holds, status in rules if holds), LineStatus.RELEASED)


def the_order_status(lines: list[LineStatus]) -> OrderStatus:
    """The order's, likewise: every live line's furthest state, else partly."""
    live = {status for status in lines if status is not LineStatus.CANCELLED}
    fulfilled = {LineStatus.FULFILLED, LineStatus.PARTIALLY_FULFILLED}
    shipped = {LineStatus.SHIPPED, LineStatus.PARTIALLY_SHIPPED}
    rules = (
        (not live, OrderStatus.CANCELLED),
        (live == {LineStatus.FULFILLED}, OrderStatus.FULFILLED),
        (bool(live & fulfilled), OrderStatus.PARTIALLY_FULFILLED),
        (live == {LineStatus.SHIPPED}, OrderStatus.SHIPPED),
        (bool(live & shipped), OrderStatus.PARTIALLY_SHIPPED),
        (LineStatus.BACKORDERED in live, OrderStatus.BACKORDERED),
        (live == {LineStatus.RELEASED}, OrderStatus.RELEASED),
    )
    return next((status for holds, status in rules if holds), OrderStatus.PLACED)


def assert_every_unit_counted_once(order: Order, reserved: Stock) -> None:
    for line in order.lines:
        c = order.counts(line)
        assert c.cancelled + c.allocated + c.out + c.backordered == c.ordered == line.quantity
        assert min(c.cancelled, c.allocated, c.released, c.out, c.backordered) >= 0
        assert line.status is the_line_status(c)
        for location_id in LOCATIONS:
            at = line.allocation_at(location_id)
            released = sum(
                fo.quantity_of(line.line_no)
                for fo in order.fulfillments
                if fo.location_id == location_id and fo.holds_stock
            )
            assert released <= (at.quantity if at else 0)
    assert order.status is the_order_status([line.status for line in order.lines])
    holding = {
        (a.location_id, line.line_no): a.quantity for line in order.lines for a in line.allocations
    }
    assert {key: units for key, units in reserved.items() if units} == holding


# Everyday steps come often, those that end an order seldom: else most runs end early.
EVERYDAY = tuple(name for name in sorted(STEPS) if name not in ("withdraw", "cancel_order"))
A_STEP = st.tuples(
    st.sampled_from(EVERYDAY * 6 + ("withdraw", "cancel_order")),
    st.integers(0, 5),  # which fulfillment order, or location
    st.dictionaries(st.integers(1, 3), st.integers(0, 2), min_size=1, max_size=3),  # units
)


@settings(max_examples=400, deadline=None)
@given(
    method=st.sampled_from(list(Method)),
    placed=orders_held_at_two_locations(),
    steps=st.lists(A_STEP, max_size=30),
)
def test_every_unit_is_counted_once_whatever_happens(
    method: Method,
    placed: tuple[tuple[tuple[str, int], ...], SourcingPlan],
    steps: list[tuple[str, int, dict[int, int]]],
) -> None:
    """Random steps, legal or not, on a released order: every line's counters add up
    and none is negative, no location has more released than it holds, the statuses
    are those the counters give, the stock changes returned keep a reservation ledger
    equal to the order's allocations, and a refused step changes nothing."""
    lines, plan = placed
    promise = None if method is Method.SHIP else a_promise(method, FAR)
    cmd = a_place_order(*lines)
    order = Order.place(cmd, plan, T0, money_of(cmd), promise, backorder=True)
    release(order, T0)
    reserved: Stock = Counter({(a.location_id, a.line_no): a.quantity for a in plan.allocations})

    for number, (name, pick, units) in enumerate(steps, start=1):
        before = deepcopy(order)
        try:
            reserved.update(STEPS[name](order, pick, units, T0 + timedelta(minutes=number)))
        except (IllegalTransition, InvalidInput):
            assert order == before  # a refused step changes nothing
        assert_every_unit_counted_once(order, reserved)


# Closed: nothing left to leave


def test_an_order_is_finished_once_every_unit_left_for_the_customer_or_was_cancelled(
    clock: Clock,
) -> None:
    """Shipped and never confirmed delivered counts as finished (its customer may be
    erased, its events pruned); units still at a location, waiting for supply, or on
    their way to a store for the customer to collect keep it open."""
    order = an_order(clock(), (1, DC, 3), (2, DC, 1))
    placed = order.finished
    [fo] = release(order, clock())
    ship(order, fo.id, Shipment("DHL", "1", {1: 3}), clock())
    partly = (order.status, order.finished)
    [rest] = [f for f in order.fulfillments if f.id != fo.id]
    ship(order, rest.id, TRACKED, clock())
    shipped = (order.status, order.finished)
    deliver(order, fo.id, clock())
    half_delivered = (order.status, order.finished)
    waiting = an_order(clock(), (1, DC, 2))  # one unit waits for supply
    to_store, _ = a_ship_to_store_order(clock())

    assert placed is False
    assert partly == (OrderStatus.PARTIALLY_SHIPPED, False)
    assert shipped == (OrderStatus.SHIPPED, True)
    assert half_delivered == (OrderStatus.PARTIALLY_FULFILLED, True)
    assert (waiting.status, waiting.finished) == (OrderStatus.BACKORDERED, False)
    assert (to_store.status, to_store.finished) == (OrderStatus.SHIPPED, False)
    waiting.cancel(clock())
    assert (waiting.status, waiting.finished) == (OrderStatus.CANCELLED, True)
