"""Inventory positions and the reservations held against them.

Invariants kept by the store and checked by `ordino check`:
  * `reserved` of a position equals the sum of its active reservations in the ledger;
  * 0 <= reserved <= on_hand, and safety_stock >= 0.
Availability to sell is on hand less reserved less safety stock, never below zero.
"""

from __future__ import annotations

from dataclasses import dataclass

from ordino.domain.geo import Point

# The most units one position may hold: far above any real count, far below the
# 32-bit integers the database stores quantities in.
MAX_ON_HAND = 1_000_000_000


@dataclass(frozen=True)
class Position:
    location_id: str
    sku: str
    on_hand: int
    reserved: int
    safety_stock: int

    @property
    def available(self) -> int:
        return max(0, self.on_hand - self.reserved - self.safety_stock)


@dataclass(frozen=True)
class StockAtLocation:
    """A shipping location and what it can give of each SKU asked for: the sourcing snapshot."""

    location_id: str
    country: str
    point: Point | None
    available: dict[str, int]


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
class Adjustment:
    """A change of on hand reported by a location, applied once per event id."""

    event_id: str
    location_id: str
    sku: str
    delta: int
    reason: str | None = None


@dataclass(frozen=True)
class Discrepancy:
    """A position that breaks an invariant, found by `ordino check`."""

    location_id: str
    sku: str
    problem: str
