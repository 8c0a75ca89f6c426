"""Inventory positions and the reservations held against them.

Invariants kept by the store and checked by `ordino check`:
  * `reserved` of a position equals the sum of its active reservations in the ledger;
  * on hand equals the sum of the position's movements (`ordino.inventory.domain.feeds`);
  * 0 <= on_hand, 0 <= reserved, 0 <= safety_stock. A reservation never takes more
    than is available, but a count or a delta (a fact reported by the location) may
    leave on hand below reserved: the position is then `short`.
Availability to sell is on hand less reserved less safety stock, never below zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from ordino.kernel.domain import Point

# The most units one position may hold: far above any real count, far below the
# 32-bit integers the database stores quantities in.
MAX_ON_HAND = 1_000_000_000


class Position(NamedTuple):
    """A named tuple: cheap to make, and plain values as a tuple (the picture of stock
    keeps them so, out of the garbage collector's way)."""

    location_id: str
    sku: str
    on_hand: int
    reserved: int
    safety_stock: int
    counted_at: datetime | None = None  # when the last count was taken
    moved_at: datetime | None = None  # when the latest delta happened

    @property
    def available(self) -> int:
        return max(0, self.on_hand - self.reserved - self.safety_stock)

    @property
    def short(self) -> int:
        """Units reserved that the location no longer has."""
        return max(0, self.reserved - self.on_hand)


@dataclass(frozen=True)
class StockAtLocation:
    """A shipping location and what it can give of each SKU asked for: the sourcing snapshot."""

    location_id: str
    country: str
    point: Point | None
    available: dict[str, int]


@dataclass(frozen=True)
class Floor:
    """What a reservation must leave at a position, as a channel's view wants: the
    larger of `safety` and the position's own safety stock, plus `protection` (units a
    store keeps for walk-in customers)."""

    safety: int = 0
    protection: int = 0


NO_FLOOR = Floor()


@dataclass(frozen=True)
class Reservation:
    """One row of the reservation ledger: `quantity` of `sku` held at `location_id`
    for line `line_no` of order `order_id`."""

    id: str
    order_id: str
    line_no: int
    location_id: str
    sku: str
    quantity: int


@dataclass(frozen=True)
class Discrepancy:
    """A position that breaks an invariant, found by `ordino check`."""

    location_id: str
    sku: str
    problem: str
