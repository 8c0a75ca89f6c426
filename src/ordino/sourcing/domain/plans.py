"""What a sourcing engine is asked (an order's lines to source) and answers:
allocations of order lines to locations, and what it could not place. Plain data, so
any engine can produce it and the order can use it.

Invariant of a plan: for every line, allocated + short = requested.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
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


@dataclass(frozen=True)
class LineToSource:
    line_no: int
    sku: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class ToSource:
    """What of an order is to be sourced: its channel, currency and service (the
    profile and rate card go by them), and the lines or the units of them."""

    channel: str
    currency: str
    service: str | None
    lines: Sequence[LineToSource]
    order_type: str | None = None  # profiles may apply to some types only
