"""The backorder queue: units that wait for supply get it in the order of their
orders' priority (higher first), then the oldest order first; and each waiting line
is expected when the supply on its way covers it, in that same order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from ordino.inventory.domain import InboundLine


@dataclass(frozen=True)
class WaitingLine:
    """Units of an order's line that wait for supply, at their place in the queue."""

    order_id: str
    line_no: int
    sku: str
    quantity: int
    expected_on: date | None = None  # as the order says now


def queue_key(priority: int, order_id: str) -> tuple[int, str]:
    """Sorts orders in the queue's order (ids grow with time: older first)."""
    return (-priority, order_id)


def expected_dates(
    queue: Sequence[WaitingLine], inbound: Iterable[InboundLine]
) -> dict[tuple[str, int], date | None]:
    """When each waiting line (`queue`, in the queue's order) is expected: the date
    of the supply that brings its last unit, the units on their way given out
    earliest first to the lines ahead first. None when what is on its way runs out
    before the line is covered."""
    arriving: dict[str, list[_Arriving]] = defaultdict(list)
    for supply in sorted(inbound, key=lambda s: (s.expected_at, s.supply_id)):
        if supply.quantity > 0:
            arriving[supply.sku].append(_Arriving(supply.quantity, supply.expected_at.date()))
    expected: dict[tuple[str, int], date | None] = {}
    for line in queue:
        need, on = line.quantity, None
        coming = arriving[line.sku]
        while need and coming:
            taken = min(need, coming[0].left)
            need, on = need - taken, coming[0].on
            coming[0].left -= taken
            if not coming[0].left:
                coming.pop(0)
        expected[(line.order_id, line.line_no)] = on if need == 0 else None
    return expected


@dataclass
class _Arriving:
    left: int  # units not yet given to a line
    on: date
