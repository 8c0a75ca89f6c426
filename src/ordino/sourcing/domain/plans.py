"""What a sourcing engine answers: allocations of order lines to locations, and what
it could not place. Plain data, so any engine can produce it and the order can use it.

Invariant of a plan: for every line, allocated + short = requested.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class LineDemand:
    line_no: int
    sku: str
    quantity: int


@dataclass(frozen=True)
class PlannedAllocation:
    line_no: int
    sku: str
    location_id: str
    quantity: int
    ship_date: date | None = None  # when a promise says it leaves the location


@dataclass(frozen=True)
class Shortfall:
    """A line the plan could not fill: `short` of `requested` units are missing;
    `available` is what the whole network has of the SKU."""

    line_no: int
    sku: str
    requested: int
    available: int
    short: int


@dataclass(frozen=True)
class SourcingPlan:
    allocations: tuple[PlannedAllocation, ...]
    shortfalls: tuple[Shortfall, ...]

    @property
    def complete(self) -> bool:
        return not self.shortfalls


CAPTURE, REROUTE, SUPPLY = "capture", "reroute", "supply"  # why an order was sourced


@dataclass(frozen=True)
class SourcingRecord:
    """One sourcing decision of an order, as kept: why it was made (`capture`,
    `reroute`, `supply`), the profile version and strategy that decided it, its
    outcome, and its explanation (a JSON document)."""

    reason: str
    profile: str
    profile_version: int
    strategy: str
    outcome: str
    explanation: dict[str, Any]
