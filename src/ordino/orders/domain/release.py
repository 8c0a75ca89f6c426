"""The order after capture: released to its locations as fulfillment orders, which
the locations accept or reject, pick, pack, ship or make ready for pickup; and
units cancelled on the way. Pure functions over the order aggregate: each changes
the order, records the events that say so, and returns what must happen to stock
(`StockChange`), which the service applies in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from ordino.kernel.domain import FieldError, IllegalTransition, InvalidInput
from ordino.network.domain import ship_to_document
from ordino.orders.domain.fulfillment import (
    Fulfillment,
    FulfillmentLine,
    FulfillmentStatus,
    Shipment,
    fulfillment_document,
)
from ordino.orders.domain.orders import Order
from ordino.promising.domain import Method

S = FulfillmentStatus
_NO_STOCK_STEPS = frozenset({S.PICKED, S.PACKED})


class StockEffect(StrEnum):
    CONSUMED = "consumed"  # left the location: reserved and on hand go down
    RELEASED = "released"  # the reservation is let go: reserved goes down
    RETURNED = "returned"  # goods came back into the location's stock: on hand up


@dataclass(frozen=True)
class StockChange:
    effect: StockEffect
    location_id: str
    line_no: int
    sku: str
    quantity: int
    fulfillment_id: str | None = None


def release(order: Order, now: datetime) -> list[Fulfillment]:
    """Turn the units held and not yet released at each location into a fulfillment
    order for it, by the order's method; the new ones (none: all released already)."""
    order.refuse_if_closed()
    made: list[Fulfillment] = []
    for location_id in sorted({a.location_id for line in order.lines for a in line.allocations}):
        method, store_id = _method(order, location_id)
        lines = [
            FulfillmentLine(line.line_no, line.sku, units)
            for line in order.lines
            if (units := _unreleased(order, line.line_no, location_id)) > 0
        ]
        if lines:
            number = len(order.fulfillments) + 1
            fo = Fulfillment(_id(order, number), location_id, method, S.RELEASED, lines, now, now)
            fo.store_id = store_id
            order.fulfillments.append(fo)
            made.append(fo)
    if made:
        order.touch(now)
        for fo in made:
            _record(order, fo, "fulfillment.released", now, _release_details(order))
    return made


def _id(order: Order, number: int | None = None) -> str:
    """The order's id and the fulfillment order's number in it: ids sort in the order
    they were made."""
    return f"{order.id}-{number or len(order.fulfillments) + 1:03d}"


def _method(order: Order, location_id: str) -> tuple[Method, str | None]:
    """How the units held at the location reach the customer: by the order's promise;
    a pickup's units held anywhere but its store (rerouted there) travel to the store
    first."""
    promise = order.promise
    if promise is None or promise.method is Method.SHIP:
        return Method.SHIP, None
    if promise.method is Method.PICKUP and location_id != promise.store_id:
        return Method.SHIP_TO_STORE, promise.store_id
    return promise.method, promise.store_id


def _unreleased(order: Order, line_no: int, location_id: str) -> int:
    held = order.line(line_no).allocation_at(location_id)
    released = sum(
        fo.quantity_of(line_no)
        for fo in order.fulfillments
        if fo.location_id == location_id and fo.holds_stock
    )
    return (held.quantity if held else 0) - released


def _release_details(order: Order) -> dict[str, Any]:
    """What a location needs to fulfil: where to and for whom, and by when."""
    promise = order.promise
    return {
        "ship_to": ship_to_document(order.ship_to, order.ship_to_point),
        "customer_name": order.customer.name,
        "service": promise.service if promise else None,
        "ship_by": promise.ship_date.isoformat() if promise else None,
        "ready_by": promise.ready_by.isoformat() if promise and promise.ready_by else None,
    }


def accept(
    order: Order, fulfillment_id: str, now: datetime, keep: Mapping[int, int] | None = None
) -> list[StockChange]:
    """The location takes the fulfillment order on; `keep` (line_no → units): only
    those, the rest is split off and rejected (it is sourced again elsewhere)."""
    fo = order.fulfillment(fulfillment_id)
    if keep is not None:
        fo.check_move(S.ACCEPTED)  # refused before the split, or the split stays
        _refuse_more_than_held(fo, keep, "lines")
        rest = fo.split(dict(keep), _id(order), now)
        if rest is not None:
            order.fulfillments.append(rest)
            fo.move(S.ACCEPTED, now)
            order.touch(now)
            _record(order, fo, "fulfillment.split", now, {"into": rest.id})
            _record(order, fo, "fulfillment.accepted", now)
            return reject(order, rest.id, now, "no-stock")
    fo.move(S.ACCEPTED, now)
    order.touch(now)
    _record(order, fo, "fulfillment.accepted", now)
    return []


def reject(order: Order, fulfillment_id: str, now: datetime, reason: str) -> list[StockChange]:
    """The location turns the fulfillment order down: its units are no longer held
    there and wait to be sourced again (never from this location)."""
    fo = order.fulfillment(fulfillment_id)
    fo.move(S.REJECTED, now)
    fo.reason = reason
    changes = _let_go(order, fo, StockEffect.RELEASED)
    order.touch(now)
    _record(order, fo, "fulfillment.rejected", now)
    return changes


def progress(order: Order, fulfillment_id: str, target: FulfillmentStatus, now: datetime) -> None:
    """A step that changes no stock: picked, packed."""
    fo = order.fulfillment(fulfillment_id)
    if target not in _NO_STOCK_STEPS:
        # The others change stock or counters: here they would leave units both
        # allocated and out (shipped), or rejected yet still allocated.
        raise IllegalTransition(
            f"fulfillment {fo.id} cannot be moved to {target} this way",
            extra={"from": str(fo.status), "to": str(target)},
        )
    fo.move(target, now)
    order.touch(now)
    _record(order, fo, f"fulfillment.{target}", now)


def ship(order: Order, fulfillment_id: str, shipment: Shipment, now: datetime) -> list[StockChange]:
    """The location handed units to a carrier. Part of the fulfillment order: it is
    split, the shipped part keeps its id, the rest stays at the stage it was."""
    fo = order.fulfillment(fulfillment_id)
    if shipment.lines is not None:
        fo.check_move(S.SHIPPED)  # refused before the split, or the split stays
        _refuse_more_than_held(fo, shipment.lines, "lines")
        rest = fo.split(shipment.lines, _id(order), now)
        if rest is not None:
            order.fulfillments.append(rest)
            _record(order, fo, "fulfillment.split", now, {"into": rest.id})
    fo.move(S.SHIPPED, now)
    fo.carrier, fo.tracking_number = shipment.carrier, shipment.tracking_number
    changes = _let_go(order, fo, StockEffect.CONSUMED)
    order.touch(now)
    _record(order, fo, "fulfillment.shipped", now)
    return changes


def deliver(
    order: Order, fulfillment_id: str, now: datetime, delivered_at: datetime | None = None
) -> Fulfillment:
    """The carrier delivered the parcel to the customer at `delivered_at` (None: now)
    (to their store: it is ready for them to collect once the store says so)."""
    fo = order.fulfillment(fulfillment_id)
    fo.move(S.DELIVERED, now)
    fo.done_at = delivered_at or now
    order.touch(now)
    _record(order, fo, "fulfillment.delivered", now)
    return fo


def ready(order: Order, fulfillment_id: str, code: str, deadline: datetime, now: datetime) -> None:
    """The goods wait at the store; the customer is sent `code` to collect them by
    `deadline` (the event carries it, for the notification that sends it)."""
    fo = order.fulfillment(fulfillment_id)
    fo.move(S.READY, now)
    fo.pickup_code = code
    order.touch(now)
    extra = {
        "pickup_code": code,
        "collect_by": deadline.isoformat(),
        "customer_email": order.customer.email,
    }
    _record(order, fo, "fulfillment.ready_for_pickup", now, extra)


def pick_up(order: Order, fulfillment_id: str, code: str, now: datetime) -> list[StockChange]:
    """The customer collected, giving the code they were sent."""
    fo = order.fulfillment(fulfillment_id)
    if fo.status is not S.READY:
        raise IllegalTransition(
            f"fulfillment {fo.id} is {fo.status}, not ready for pickup",
            extra={"from": str(fo.status), "to": str(S.PICKED_UP)},
        )
    fo.check_code(code)
    fo.move(S.PICKED_UP, now)
    fo.done_at = now
    changes = _let_go(order, fo, StockEffect.CONSUMED) if fo.method is Method.PICKUP else []
    order.touch(now)
    _record(order, fo, "fulfillment.picked_up", now)
    return changes


def not_collected(order: Order, fulfillment_id: str, now: datetime) -> list[StockChange]:
    """The customer did not come by the deadline: the units are cancelled and go back
    to the store's stock (released; or received, when they were shipped in)."""
    fo = order.fulfillment(fulfillment_id)
    shipped_in = fo.method is Method.SHIP_TO_STORE
    fo.move(S.NOT_COLLECTED, now)
    fo.reason = "not collected"
    if shipped_in:
        changes = [_change(StockEffect.RETURNED, fo, line, fo.store_id) for line in fo.lines]
    else:
        changes = _let_go(order, fo, StockEffect.RELEASED)
    for line in fo.lines:
        order.line(line.line_no).cancelled += line.quantity
    order.touch(now)
    _record(order, fo, "fulfillment.not_collected", now)
    order.end_holds(now, fo.reason)
    return changes


def cancel_lines(
    order: Order, units: Mapping[int, int], now: datetime, reason: str | None
) -> list[StockChange]:
    """Cancel `units` (line_no → units) of the lines: first what waits for supply,
    then what is held and not released, then released units (their fulfillment
    orders shrink, or are cancelled when nothing is left). Units that left a
    location cannot be cancelled (they are returned instead)."""
    _refuse_uncancellable(order, units)
    changes: list[StockChange] = []
    for line_no, quantity in sorted(units.items()):
        changes += _cancel_units(order, line_no, quantity, now, reason)
    order.touch(now)
    cancelled = [{"line_no": n, "quantity": q} for n, q in sorted(units.items())]
    order.record_cancellation(now, reason, cancelled)
    return changes


def _cancel_units(
    order: Order, line_no: int, quantity: int, now: datetime, reason: str | None
) -> list[StockChange]:
    line = order.line(line_no)
    left = quantity - min(quantity, order.waiting(line))
    line.cancelled += quantity
    changes: list[StockChange] = []
    # Held but not released first, then the newest fulfillment orders.
    for a in sorted(line.allocations, key=lambda a: a.location_id):
        take = min(left, _unreleased(order, line_no, a.location_id))
        if take:
            changes.append(
                StockChange(StockEffect.RELEASED, a.location_id, line_no, line.sku, take)
            )
            line.take(a.location_id, take)
            left -= take
    for fo in reversed(order.fulfillments):
        if left and fo.holds_stock and (take := min(left, fo.quantity_of(line_no))):
            _shrink(order, fo, line_no, take, now, reason)
            changes.append(
                StockChange(StockEffect.RELEASED, fo.location_id, line_no, line.sku, take, fo.id)
            )
            line.take(fo.location_id, take)
            left -= take
    return changes


def _shrink(
    order: Order, fo: Fulfillment, line_no: int, units: int, now: datetime, reason: str | None
) -> None:
    fo.lines = [
        FulfillmentLine(fl.line_no, fl.sku, fl.quantity - (units if fl.line_no == line_no else 0))
        for fl in fo.lines
    ]
    fo.lines = [fl for fl in fo.lines if fl.quantity > 0]
    fo.updated_at = now
    if not fo.lines:
        fo.lines = [FulfillmentLine(line_no, order.line(line_no).sku, units)]
        fo.move(S.CANCELLED, now)
        fo.reason = reason
        _record(order, fo, "fulfillment.cancelled", now)
    else:
        _record(order, fo, "fulfillment.changed", now, {"reason": reason})


def _refuse_uncancellable(order: Order, units: Mapping[int, int]) -> None:
    errors = [] if units else [FieldError("lines", "name at least one line to cancel")]
    numbers = {line.line_no for line in order.lines}
    for line_no, quantity in sorted(units.items()):
        where = f"lines[{line_no}]"
        if line_no not in numbers:
            errors.append(FieldError(f"{where}.line_no", f"the order has no line {line_no}"))
            continue
        line = order.line(line_no)
        open_units = order.waiting(line) + line.allocated
        if quantity <= 0 or quantity > open_units:
            errors.append(
                FieldError(
                    f"{where}.quantity",
                    f"must be between 1 and {open_units}, the units "
                    "not cancelled that have not left a location",
                )
            )
    if errors:
        raise InvalidInput("these units cannot be cancelled", errors=errors)


def _refuse_more_than_held(fo: Fulfillment, units: Mapping[int, int], name: str) -> None:
    errors = []
    for line_no, quantity in sorted(units.items()):
        held = fo.quantity_of(line_no)
        if quantity < 0 or quantity > held:
            errors.append(
                FieldError(f"{name}[{line_no}].quantity", f"must be between 0 and {held}")
            )
    if not any(units.values()):
        errors.append(FieldError(name, "must name at least one unit"))
    if errors:
        raise InvalidInput(f"fulfillment {fo.id} does not hold these units", errors=errors)


def _let_go(order: Order, fo: Fulfillment, effect: StockEffect) -> list[StockChange]:
    """The fulfillment order's units are no longer held at its location."""
    changes = [_change(effect, fo, line, fo.location_id) for line in fo.lines]
    for line in fo.lines:
        order.line(line.line_no).take(fo.location_id, line.quantity)
    return changes


def _change(
    effect: StockEffect, fo: Fulfillment, line: FulfillmentLine, location_id: str | None
) -> StockChange:
    assert location_id is not None
    return StockChange(effect, location_id, line.line_no, line.sku, line.quantity, fo.id)


def _record(
    order: Order,
    fo: Fulfillment,
    event_type: str,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> None:
    order.record(event_type, now, {"fulfillment": fulfillment_document(fo)} | (extra or {}))
