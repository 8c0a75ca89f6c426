"""Roll-up states: a line's status from its quantity counters, an order's from its
lines'. Derived every time the order changes, never set by hand, so they cannot
disagree with the quantities."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OrderStatus(StrEnum):
    """Derived from the lines' statuses (`order_status`), never set."""

    PLACED = "placed"  # captured and allocated, not released yet
    BACKORDERED = "backordered"  # some units wait for supply
    RELEASED = "released"  # every unit sent to its location
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"  # every unit left its location
    PARTIALLY_FULFILLED = "partially_fulfilled"
    FULFILLED = "fulfilled"  # the customer has every unit (delivered or picked up)
    CANCELLED = "cancelled"


class ReturnState(StrEnum):
    """What came back of the order (`return_state`), beside its status: derived from
    the lines' returned and being-returned counters, never set."""

    NONE = "none"  # nothing returned, nothing on its way back
    IN_PROGRESS = "in_progress"  # some units are being returned (a return is open)
    PARTIALLY_RETURNED = "partially_returned"
    RETURNED = "returned"  # every unit the customer had is back


class LineStatus(StrEnum):
    """Derived from the line's counters (`line_status`), never set."""

    ALLOCATED = "allocated"
    BACKORDERED = "backordered"
    RELEASED = "released"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class LineCounts:
    """A line's quantity counters. `allocated`: held at locations (released or not);
    `out`: left a location for the customer (shipped to them or to their store, or
    handed over) and not cancelled since; the rest of what is not cancelled waits."""

    ordered: int
    cancelled: int
    allocated: int
    released: int
    shipped: int
    delivered: int
    picked_up: int
    out: int
    returned: int = 0  # came back (received by a return)
    being_returned: int = 0  # on an open return, not received yet

    @property
    def returnable(self) -> int:
        """Units the customer has (delivered or collected) and may still return."""
        return self.delivered + self.picked_up - self.returned - self.being_returned

    @property
    def live(self) -> int:
        return self.ordered - self.cancelled

    @property
    def backordered(self) -> int:
        return self.live - self.allocated - self.out

    @property
    def status(self) -> LineStatus:
        return line_status(self)


def line_status(counts: LineCounts) -> LineStatus:
    """The furthest every live unit got (fulfilled, shipped: all of them, else
    partially), else backordered if any waits, released if every allocated unit is."""
    live, done = counts.live, counts.delivered + counts.picked_up
    if live == 0:
        return LineStatus.CANCELLED
    if done:
        return LineStatus.FULFILLED if done >= live else LineStatus.PARTIALLY_FULFILLED
    if counts.out:
        return LineStatus.SHIPPED if counts.out >= live else LineStatus.PARTIALLY_SHIPPED
    if counts.backordered:
        return LineStatus.BACKORDERED
    return LineStatus.RELEASED if counts.released == counts.allocated else LineStatus.ALLOCATED


_FURTHEST: tuple[tuple[LineStatus, OrderStatus, OrderStatus], ...] = (
    # (a line status, the order's when all live lines have it, when some have)
    (LineStatus.FULFILLED, OrderStatus.FULFILLED, OrderStatus.PARTIALLY_FULFILLED),
    (
        LineStatus.PARTIALLY_FULFILLED,
        OrderStatus.PARTIALLY_FULFILLED,
        OrderStatus.PARTIALLY_FULFILLED,
    ),
    (LineStatus.SHIPPED, OrderStatus.SHIPPED, OrderStatus.PARTIALLY_SHIPPED),
    (LineStatus.PARTIALLY_SHIPPED, OrderStatus.PARTIALLY_SHIPPED, OrderStatus.PARTIALLY_SHIPPED),
    (LineStatus.BACKORDERED, OrderStatus.BACKORDERED, OrderStatus.BACKORDERED),
)


def order_status(lines: list[LineStatus]) -> OrderStatus:
    """The order's roll-up: the furthest any line got (all of them: that state; some:
    partially), else backordered if any waits, released if all are, else placed."""
    live = [status for status in lines if status is not LineStatus.CANCELLED]
    if not live:
        return OrderStatus.CANCELLED
    for line_status, every, some in _FURTHEST:
        if all(status is line_status for status in live):
            return every
        if line_status in live:
            return some
    if all(status is LineStatus.RELEASED for status in live):
        return OrderStatus.RELEASED
    return OrderStatus.PLACED


def return_state_of(lines: list[LineCounts]) -> ReturnState:
    """The order's returns roll-up: in progress while any unit is on its way back,
    returned when every unit not cancelled came back, partially when some did."""
    if any(counts.being_returned for counts in lines):
        return ReturnState.IN_PROGRESS
    returned = sum(counts.returned for counts in lines)
    if not returned:
        return ReturnState.NONE
    if returned >= sum(counts.live for counts in lines):
        return ReturnState.RETURNED
    return ReturnState.PARTIALLY_RETURNED
