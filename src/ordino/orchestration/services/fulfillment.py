"""Fulfilment use cases: release an order to its locations, and take each location's
updates of a fulfillment order (accept, reject, picked, packed, shipped, delivered;
ready for pickup, picked up, not collected), and cancel units of an order.

Each runs in one unit of work: the order changes (`ordino.orders.domain.release`), the
stock follows (a reservation let go, goods gone or back on the shelf, each a
movement), events go to the outbox, all in one commit. Units a location turns down
are sourced again at once, never from it, and a release of what was found is queued.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from ordino.inventory.domain import Adjustment, MovementKind, Reservation, Source, plan_adjustments
from ordino.inventory.services import write_plan
from ordino.kernel.domain import (
    InvalidInput,
    NotFound,
    Timer,
    advance_job,
    capture_job,
    new_id,
    settle_job,
    timer_job,
)
from ordino.kernel.services import with_retries
from ordino.orchestration.services.customs import customs_of, declare_shipment
from ordino.orchestration.services.invoices import invoice_shipment
from ordino.orchestration.services.order_types import order_type_named
from ordino.orchestration.services.ports import OrchestrationWork
from ordino.orchestration.services.rerouting import source_waiting
from ordino.orders.domain import (
    EVERY_ORDER,
    Fulfillment,
    FulfillmentStatus,
    Order,
    OrderScope,
    Shipment,
    StockChange,
    StockEffect,
    fulfillment_document,
)
from ordino.orders.domain import release as fulfilling
from ordino.orders.services import (
    Capture,
    Guard,
    existing_order,
    give_back,
    order_view,
    with_payments,
)
from ordino.payments.domain import PaymentMethod
from ordino.pricing.domain import Bill
from ordino.promising.domain import DeliveryRecord, delivery_time_problem
from ordino.sourcing.domain import REROUTE

Step = Callable[[Order, Fulfillment], list[StockChange]]
S = FulfillmentStatus


def accept(
    fulfillment_id: str,
    keep: Mapping[int, int] | None,
    uow: OrchestrationWork,
    capture: Capture,
    source: Source,
    scope: OrderScope = EVERY_ORDER,
) -> dict[str, Any]:
    """The location takes it on; `keep`: only these units, the rest sourced again."""
    now = source.now
    return update(
        fulfillment_id,
        uow,
        source,
        scope,
        _taken_by(scope, S.ACCEPTED, lambda order, fo: fulfilling.accept(order, fo.id, now, keep)),
        reroute=capture,
    )


def reject(
    fulfillment_id: str,
    reason: str,
    uow: OrchestrationWork,
    capture: Capture,
    source: Source,
    scope: OrderScope = EVERY_ORDER,
) -> dict[str, Any]:
    """The location turns it down: its units are sourced again without it."""
    now = source.now
    return update(
        fulfillment_id,
        uow,
        source,
        scope,
        _taken_by(
            scope, S.REJECTED, lambda order, fo: fulfilling.reject(order, fo.id, now, reason)
        ),
        reroute=capture,
    )


def progress(
    fulfillment_id: str,
    status: FulfillmentStatus,
    uow: OrchestrationWork,
    source: Source,
    scope: OrderScope = EVERY_ORDER,
) -> dict[str, Any]:
    """Picked, packed: a step that moves no stock."""

    def step(order: Order, fo: Fulfillment) -> list[StockChange]:
        fulfilling.progress(order, fo.id, status, source.now)
        return []

    return update(fulfillment_id, uow, source, scope, _taken_by(scope, status, step))


def ship(
    fulfillment_id: str,
    shipment: Shipment,
    uow: OrchestrationWork,
    source: Source,
    scope: OrderScope = EVERY_ORDER,
) -> dict[str, Any]:
    """Handed to a carrier (all of it, or the lines given: the rest stays); the
    goods in the parcel are captured from the payment."""
    now = source.now

    def step(order: Order, fo: Fulfillment) -> list[StockChange]:
        changes = fulfilling.ship(order, fo.id, shipment, now)
        invoice = _capture_later(uow, order, fo, now)
        declare_shipment(uow, order, fo, invoice.parts, now)  # crossing a customs border
        return changes

    return update(fulfillment_id, uow, source, scope, _taken_by(scope, S.SHIPPED, step))


def deliver(
    fulfillment_id: str,
    delivered_at: datetime,
    uow: OrchestrationWork,
    source: Source,
    scope: OrderScope = EVERY_ORDER,
) -> dict[str, Any]:
    """The carrier delivered it; measured against the order's promise, once per
    location (the first parcel from it to arrive)."""

    def step(order: Order, fo: Fulfillment) -> list[StockChange]:
        if problem := delivery_time_problem(delivered_at, order.created_at, source.now):
            raise InvalidInput.of("delivered_at", problem)
        fulfilling.deliver(order, fo.id, source.now, delivered_at)
        if order.promise is not None:
            done = {record.location_id for record in uow.deliveries.of_order(order.id)}
            if fo.location_id not in done:
                record = DeliveryRecord.of(
                    order.id, fo.location_id, delivered_at, order.promise, fo.carrier
                )
                uow.deliveries.add(record, source.now)
        return []

    return update(fulfillment_id, uow, source, scope, _taken_by(scope, S.DELIVERED, step))


def ready(
    fulfillment_id: str, uow: OrchestrationWork, source: Source, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    """The goods wait at the store; a pickup code goes to the customer (in the
    `fulfillment.ready_for_pickup` event) to collect them within the order type's
    pickup days (a timer checks they did)."""
    code, now = f"{secrets.randbelow(1_000_000):06d}", source.now

    def step(order: Order, fo: Fulfillment) -> list[StockChange]:
        days = order_type_named(uow, order.type).slas.pickup_days
        deadline = now + timedelta(days=days)
        fulfilling.ready(order, fo.id, code, deadline, now)
        uow.jobs.add(timer_job(Timer.PICKUP, order.id, fo.id, deadline, now), now)
        return []

    return update(fulfillment_id, uow, source, scope, _taken_by(scope, S.READY, step))


def pick_up(
    fulfillment_id: str,
    code: str,
    uow: OrchestrationWork,
    source: Source,
    scope: OrderScope = EVERY_ORDER,
) -> dict[str, Any]:
    """The customer collected, with the code they were sent (a wrong code hands
    over nothing); a pickup's goods are captured from the payment now."""
    now = source.now

    def step(order: Order, fo: Fulfillment) -> list[StockChange]:
        changes = fulfilling.pick_up(order, fo.id, code, now)
        if changes:  # it left the store's stock now (not shipped in: captured then)
            _capture_later(uow, order, fo, now)
        return changes

    return update(fulfillment_id, uow, source, scope, _taken_by(scope, S.PICKED_UP, step))


def not_collected(
    fulfillment_id: str, uow: OrchestrationWork, source: Source, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    """The customer did not come: cancelled, and the goods go back to stock."""
    now = source.now

    def step(order: Order, fo: Fulfillment) -> list[StockChange]:
        changes = fulfilling.not_collected(order, fo.id, now)
        uow.jobs.add(settle_job(order.id, now), now)
        give_back(uow, order, capacity=False)  # its promotions' uses; its day was used
        return changes

    return update(fulfillment_id, uow, source, scope, _taken_by(scope, S.NOT_COLLECTED, step))


def cancel_units(
    order_id: str,
    units: Mapping[int, int],
    uow: OrchestrationWork,
    source: Source,
    scope: OrderScope = EVERY_ORDER,
    guard: Guard | None = None,
) -> dict[str, Any]:
    """Cancel some units of some lines (line_no → units) that have not left a location;
    `guard` refuses (raises) on the order as read under its lock."""

    def attempt(_: int) -> dict[str, Any]:
        with uow:
            order = existing_order(uow, order_id, scope, for_update=True)
            if guard is not None:
                guard(uow, order)
            changes = fulfilling.cancel_lines(order, units, source.now, source.reason)
            uow.orders.save(order)  # first: a concurrent change loses here
            give_back(uow, order)  # before the stock, as capture takes them
            apply_stock(uow, order, changes, source)
            uow.jobs.add(settle_job(order.id, source.now), source.now)
            uow.commit()
            payments = uow.payments.of_order(order.id)
        return with_payments(order, payments)

    return with_retries(attempt)


def _capture_later(uow: OrchestrationWork, order: Order, fo: Fulfillment, now: datetime) -> Bill:
    """Invoice what the fulfillment order took (what its units were paid, the order's
    charges with the first), its total shared among the order's tenders, and queue
    the capture of the card's part (the others are captured with the invoice)."""
    invoice = invoice_shipment(uow, order, fo, now)
    card = sum((t.amount for t in invoice.tenders if t.method == PaymentMethod.CARD), Decimal(0))
    if card > 0:  # then settled, as each capture is
        uow.jobs.add(capture_job(order.id, fo.id, str(card), now), now)
    else:  # what the tenders hold and the order will not take let go, if nothing more ships
        uow.jobs.add(settle_job(order.id, now), now)
    return invoice


def get_fulfillment(
    fulfillment_id: str, uow: OrchestrationWork, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    with uow:
        order, fo = _fulfillment(uow, fulfillment_id, scope)
        names = uow.catalog.names(line.sku for line in fo.lines)
    return queued(order, fo, names)


def get_customs(
    fulfillment_id: str, uow: OrchestrationWork, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    """The customs declaration of a parcel that crosses a customs border: as made
    when it shipped, or a preview (NotFound when it crosses none)."""
    with uow:
        order, fo = _fulfillment(uow, fulfillment_id, scope)
        return customs_of(uow, order, fo)


def location_queue(
    location_id: str,
    statuses: Sequence[FulfillmentStatus],
    limit: int,
    uow: OrchestrationWork,
    scope: OrderScope = EVERY_ORDER,
    *,
    work_only: bool = False,
) -> list[dict[str, Any]]:
    """A location's fulfillment orders in these states, oldest order first: its work
    (to accept, to pick, a parcel on its way to the store, ready for pickup), each in
    the queue of the location whose word it waits for (`Fulfillment.in_queue_of`;
    `work_only`: nothing else, not what merely went through it); only of the orders
    `scope` admits (a channel's key sees its channel's). Each says whose order it is
    and what the goods are called, for the person who picks them and hands them over."""
    wanted = {str(status) for status in statuses}
    with uow:
        ids = uow.orders.fulfillments_at(location_id, sorted(wanted), limit)
        found = [
            (order, fo)
            for order in (uow.orders.get(order_id) for order_id in ids)
            if order is not None and scope.admits(order)
            for fo in order.fulfillments
            if str(fo.status) in wanted and _listed(fo, location_id, work_only)
        ][:limit]
        names = uow.catalog.names(line.sku for _, fo in found for line in fo.lines)
    return [queued(order, fo, names) for order, fo in found]


def _listed(fo: Fulfillment, location_id: str, work_only: bool) -> bool:
    return fo.waits_on == location_id if work_only else fo.in_queue_of(location_id)


def queued(order: Order, fo: Fulfillment, names: Mapping[str, str]) -> dict[str, Any]:
    """A fulfillment order as its location works on it: with the order's number, the
    customer's name (who comes to collect) and each product's name."""
    document = fulfillment_document(fo)
    lines = [line | {"name": names.get(line["sku"])} for line in document["lines"]]
    return (
        {
            "order_id": order.id,
            "order_number": order.external_id,
            "customer_name": order.customer.name,
        }
        | document
        | {"lines": lines}
    )


def _taken_by(scope: OrderScope, target: FulfillmentStatus, step: Step) -> Step:
    """The step, refused (before it changes anything) to a store's key when moving
    the fulfillment order to `target` is another location's to say."""

    def taken(order: Order, fo: Fulfillment) -> list[StockChange]:
        scope.refuse_step_elsewhere(fo, target)
        return step(order, fo)

    return taken


def update(
    fulfillment_id: str,
    uow: OrchestrationWork,
    source: Source,
    scope: OrderScope,
    step: Step,
    *,
    reroute: Capture | None = None,
) -> dict[str, Any]:
    def attempt(_: int) -> dict[str, Any]:
        with uow:
            order, fo = _fulfillment(uow, fulfillment_id, scope, for_update=True)
            before = fo.status
            changes = step(order, fo)
            if fo.status is not before:  # it moved on: what it breached is behind it
                uow.breaches.resolve(fo.id, source.now)
            uow.orders.save(order)  # first: a concurrent update loses here
            apply_stock(uow, order, changes, source)
            turned_down = {c.location_id for c in changes if c.effect is StockEffect.RELEASED}
            if reroute is not None and turned_down:
                (location_id,) = turned_down
                source_waiting(uow, reroute, order, source.now, REROUTE, also=location_id)
                uow.jobs.add(advance_job(order.id, source.now), source.now)
            uow.commit()
        return {"order": order_view(order), "fulfillment": fulfillment_document(fo)}

    return with_retries(attempt)


def _fulfillment(
    uow: OrchestrationWork, fulfillment_id: str, scope: OrderScope, *, for_update: bool = False
) -> tuple[Order, Fulfillment]:
    """The fulfillment order and its order, or NotFound: one of another store (not its
    location, nor the store the customer collects at) is not found."""
    order_id = uow.orders.order_of_fulfillment(fulfillment_id)
    missing = NotFound(f"no fulfillment {fulfillment_id}", extra={"fulfillment_id": fulfillment_id})
    if order_id is None:
        raise missing
    order = existing_order(uow, order_id, scope, for_update=for_update)
    fo = order.fulfillment(fulfillment_id)
    if scope.location_id is not None and scope.location_id not in (fo.location_id, fo.store_id):
        raise missing
    return order, fo


def apply_stock(
    uow: OrchestrationWork, order: Order, changes: Sequence[StockChange], source: Source
) -> None:
    """The stock follows the order: reservations let go of, goods gone (a
    `fulfillment` movement) or back on the shelf (`restock`)."""
    now = source.now
    for c in changes:
        if c.effect is not StockEffect.RETURNED:
            held = Reservation(new_id(now), order.id, c.line_no, c.location_id, c.sku, c.quantity)
            uow.inventory.unhold(held, now, freed=c.effect is StockEffect.RELEASED)
    for effect, kind, sign in (
        (StockEffect.CONSUMED, MovementKind.FULFILLMENT, -1),
        (StockEffect.RETURNED, MovementKind.RESTOCK, 1),
    ):
        deltas = [
            Adjustment(
                None, c.location_id, c.sku, sign * c.quantity, f"fulfillment {c.fulfillment_id}"
            )
            for c in changes
            if c.effect is effect
        ]
        if deltas:
            about = Source(source.actor, now, source.reason, f"order/{order.id}")
            current = uow.movements.current((d.location_id, d.sku) for d in deltas)
            write_plan(uow, plan_adjustments(deltas, current, (), kind, about), about)
