"""Pure engines of sourcing over frozen snapshots: they take `now`, never mutate input,
break ties deterministically and return shortfalls as data."""

from ordino.sourcing.engine.choice import (
    RulesEngine,
    SourcingEngine,
    SourcingRequest,
    plan_of,
    record_of,
)
from ordino.sourcing.engine.optimiser import Candidate
from ordino.sourcing.engine.requests import SourcingSettings, sourcing_request, stock_sites
from ordino.sourcing.engine.rules import Decision, Outcome, SourcingSite

__all__ = [
    "Candidate",
    "Decision",
    "Outcome",
    "RulesEngine",
    "SourcingEngine",
    "SourcingRequest",
    "SourcingSettings",
    "SourcingSite",
    "plan_of",
    "record_of",
    "sourcing_request",
    "stock_sites",
]
