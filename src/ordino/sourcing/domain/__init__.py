"""Sourcing's pure model: plans and profiles. Plain Python, no I/O, no framework."""

from ordino.sourcing.domain.plans import (
    CAPTURE,
    REROUTE,
    SUPPLY,
    LineDemand,
    LineToSource,
    PlannedAllocation,
    SourcingPlan,
    SourcingRecord,
    ToSource,
)
from ordino.sourcing.domain.profiles import Filters, applying

__all__ = [
    "CAPTURE",
    "REROUTE",
    "SUPPLY",
    "Filters",
    "LineDemand",
    "LineToSource",
    "PlannedAllocation",
    "SourcingPlan",
    "SourcingRecord",
    "ToSource",
    "applying",
]
