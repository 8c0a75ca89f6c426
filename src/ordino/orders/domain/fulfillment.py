"""Fulfillment orders: what one location is asked to do for one order, by one method.

An order's allocations say where its units are held; releasing the order turns the
units held at each location into a fulfillment order for that location, which the
location (a WMS, a store's app) accepts or rejects, picks, packs and ships, or makes
ready for the customer to collect. Each has its own state machine, one table per
method (below); what the location has not reached it may skip (a WMS that reports
only "shipped" ships straight from released).

Invariants:
  * a fulfillment order's lines are positive quantities of the order's lines, and
    never change once it has left `holds_stock`; shipping part of one splits it: the
    shipped part keeps its id, the rest becomes a new one at the same stage;
  * units a fulfillment order `holds_stock` for are still reserved at its location;
    once they `left` it (shipped, handed over) they are no longer.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from ordino.kernel.domain import InvalidInput, TransitionTable, transition
from ordino.promising.domain import Method


class FulfillmentStatus(StrEnum):
    RELEASED = "released"  # sent to the location, not accepted yet
    ACCEPTED = "accepted"
    PICKED = "picked"
    PACKED = "packed"
    SHIPPED = "shipped"  # handed to the carrier
    DELIVERED = "delivered"  # the carrier delivered to the customer
    READY = "ready"  # waiting at the store for the customer, who has the pickup code
    PICKED_UP = "picked_up"
    NOT_COLLECTED = "not_collected"  # the customer did not come: cancelled, back to stock
    REJECTED = "rejected"  # the location turned it down: its units are sourced again
    CANCELLED = "cancelled"


S = FulfillmentStatus
_BEFORE_SHIPPING = {
    S.RELEASED: frozenset({S.ACCEPTED, S.PICKED, S.PACKED, S.SHIPPED}),
    S.ACCEPTED: frozenset({S.PICKED, S.PACKED, S.SHIPPED}),
    S.PICKED: frozenset({S.PACKED, S.SHIPPED}),
    S.PACKED: frozenset({S.SHIPPED}),
}
_TURNED_DOWN = frozenset({S.REJECTED, S.CANCELLED})
_DONE: dict[S, frozenset[S]] = {
    S.DELIVERED: frozenset(),
    S.PICKED_UP: frozenset(),
    S.NOT_COLLECTED: frozenset(),
    S.REJECTED: frozenset(),
    S.CANCELLED: frozenset(),
}

SHIP_TRANSITIONS: TransitionTable[S] = {
    **{status: targets | _TURNED_DOWN for status, targets in _BEFORE_SHIPPING.items()},
    S.SHIPPED: frozenset({S.DELIVERED}),
    **_DONE,
}
PICKUP_TRANSITIONS: TransitionTable[S] = {
    S.RELEASED: frozenset({S.ACCEPTED, S.PICKED, S.READY}) | _TURNED_DOWN,
    S.ACCEPTED: frozenset({S.PICKED, S.READY}) | _TURNED_DOWN,
    S.PICKED: frozenset({S.READY}) | _TURNED_DOWN,
    S.READY: frozenset({S.PICKED_UP, S.NOT_COLLECTED, S.CANCELLED}),
    **_DONE,
}
SHIP_TO_STORE_TRANSITIONS: TransitionTable[S] = {
    **SHIP_TRANSITIONS,
    S.SHIPPED: frozenset({S.READY}),  # arrived at the store
    S.READY: frozenset({S.PICKED_UP, S.NOT_COLLECTED}),
}
TRANSITIONS: dict[Method, TransitionTable[S]] = {
    # Every state has a row; one a method never reaches leads nowhere.
    method: {status: table.get(status, frozenset()) for status in S}
    for method, table in (
        (Method.SHIP, SHIP_TRANSITIONS),
        (Method.PICKUP, PICKUP_TRANSITIONS),
        (Method.SHIP_TO_STORE, SHIP_TO_STORE_TRANSITIONS),
    )
}
_STOCK_HELD = frozenset({S.RELEASED, S.ACCEPTED, S.PICKED, S.PACKED})
_DONE_STATES = frozenset({S.DELIVERED, S.PICKED_UP})


# Where the customer collects, the store says what happens there: that the goods
# wait, were collected, or were not. Every other step (taking it on, picking,
# packing, handing it to a carrier, turning it down) is the sending location's.
AT_THE_STORE = frozenset({S.READY, S.PICKED_UP, S.NOT_COLLECTED})


@dataclass(frozen=True)
class FulfillmentLine:
    line_no: int
    sku: str
    quantity: int
    # Once it left: the first of the order line's units it took (units leave from the
    # first on: `ordino.orders.domain.orders.Order.settle`), so what they were paid
    # is known whatever happens to other parcels.
    first_unit: int | None = None


@dataclass(frozen=True)
class Shipment:
    """What a location reports of a parcel it handed to a carrier; `lines` (line_no →
    units) None: everything the fulfillment order holds."""

    carrier: str
    tracking_number: str
    lines: dict[int, int] | None = None


@dataclass
class Fulfillment:
    id: str
    location_id: str
    method: Method
    status: FulfillmentStatus
    lines: list[FulfillmentLine]
    created_at: datetime
    updated_at: datetime
    store_id: str | None = None  # where the customer collects (pickup, ship to store)
    carrier: str | None = None
    tracking_number: str | None = None
    pickup_code: str | None = None
    reason: str | None = None  # why it was rejected, cancelled, not collected
    # When the customer got the goods: delivered (as the carrier says), or collected.
    done_at: datetime | None = None

    @property
    def holds_stock(self) -> bool:
        """Its units are still reserved at its location."""
        return self.status in _STOCK_HELD or (
            self.status is S.READY and self.method is Method.PICKUP
        )

    @property
    def left(self) -> bool:
        """Its units left the location for the customer, who has them or will."""
        if self.status in (S.SHIPPED, S.DELIVERED, S.PICKED_UP):
            return True
        return self.status is S.READY and self.method is Method.SHIP_TO_STORE

    @property
    def awaits_collection(self) -> bool:
        """Shipped to a store (on its way or ready there) for the customer to collect."""
        return self.method is Method.SHIP_TO_STORE and self.status in (S.SHIPPED, S.READY)

    @property
    def waits_on(self) -> str | None:
        """The location whose word it waits for: the store's once a parcel shipped to
        it is on its way (to say it arrived) or waits there for the customer; before
        it leaves, the location holding it; else nobody's (a carrier brings it to the
        customer, or it is over)."""
        if self.status is S.READY or self.awaits_collection:
            return self.store_id or self.location_id
        if self.status in _STOCK_HELD:
            return self.location_id
        return None

    def in_queue_of(self, location_id: str) -> bool:
        """It is this location's work, or (once nobody's) it went through it: a
        warehouse is never shown as its work a parcel the store is to say arrived or
        to hand over (the store is, and only it may)."""
        waiting = self.waits_on
        if waiting is not None:
            return waiting == location_id
        return location_id in (self.location_id, self.store_id)

    @property
    def done(self) -> bool:
        """The customer has its units."""
        return self.status in _DONE_STATES

    @property
    def shipped(self) -> bool:
        """Its units went with a carrier (to the customer or to the store)."""
        return self.carrier is not None

    def quantity_of(self, line_no: int) -> int:
        return sum(line.quantity for line in self.lines if line.line_no == line_no)

    def move(self, target: FulfillmentStatus, now: datetime) -> None:
        self.status = transition(TRANSITIONS[self.method], self.status, target)
        self.updated_at = now

    def check_move(self, target: FulfillmentStatus) -> None:
        """Raise IllegalTransition unless it may go to `target`: for steps that change
        other things (a split, other fulfillment orders) before they move it."""
        transition(TRANSITIONS[self.method], self.status, target)

    def split(self, keep: dict[int, int], new_id: str, now: datetime) -> Fulfillment | None:
        """Keep `keep` (line_no → units) here; the rest becomes a new fulfillment order
        at the same stage (None when nothing is left over)."""
        kept, rest = [], []
        for line in self.lines:
            here = keep.get(line.line_no, 0)
            if here:
                kept.append(replace(line, quantity=here))
            if line.quantity > here:
                rest.append(replace(line, quantity=line.quantity - here))
        if not rest:
            return None
        self.lines, self.updated_at = kept, now
        return replace(self, id=new_id, lines=rest, created_at=now, updated_at=now)

    def acting_location(self, target: FulfillmentStatus) -> str:
        """The location whose word moves it to `target` (`AT_THE_STORE`)."""
        if target in AT_THE_STORE and self.store_id is not None:
            return self.store_id
        return self.location_id

    def check_code(self, code: str) -> None:
        """A store hands over nothing unless the customer gives the code sent to them."""
        given = code.encode()  # bytes: compare_digest refuses a str that is not ASCII
        if self.pickup_code is None or not hmac.compare_digest(self.pickup_code.encode(), given):
            raise InvalidInput.of("code", "is not the pickup code sent to the customer")


def fulfillment_document(fo: Fulfillment) -> dict[str, Any]:
    """A fulfillment order as events and answers show it (never its pickup code: the
    customer alone is sent that)."""
    return {
        "id": fo.id,
        "location_id": fo.location_id,
        "method": str(fo.method),
        "status": str(fo.status),
        "store_id": fo.store_id,
        "lines": [
            {"line_no": line.line_no, "sku": line.sku, "quantity": line.quantity}
            for line in fo.lines
        ],
        "carrier": fo.carrier,
        "tracking_number": fo.tracking_number,
        "reason": fo.reason,
        "created_at": fo.created_at.isoformat(),
        "updated_at": fo.updated_at.isoformat(),
    }
