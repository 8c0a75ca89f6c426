"""Sourcing: choose the location(s) that ship each order line.

Services depend on the interface, `SourcingEngine.decide(request)`; `RulesEngine`
decides by the order's sourcing profile (`ordino.sourcing.engine.rules`) with the cost
optimiser. `plan_of` turns a decision into the plan an order is placed with: its
allocations, and the lines it leaves unfilled as shortfalls.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any, Protocol

from ordino.network.domain import CostBreakdown
from ordino.sourcing.domain.plans import PlannedAllocation, Shortfall, SourcingPlan, SourcingRecord
from ordino.sourcing.engine.optimise import EXACT_EFFORT
from ordino.sourcing.engine.rules import Decision, SourcingRequest, decide

__all__ = ["RulesEngine", "SourcingEngine", "SourcingRequest", "plan_of", "record_of"]


class SourcingEngine(Protocol):
    def decide(self, request: SourcingRequest) -> Decision: ...


@dataclass(frozen=True)
class RulesEngine:
    effort: int | None = EXACT_EFFORT  # of the exact model, in HiGHS's checks

    def decide(self, request: SourcingRequest) -> Decision:
        return decide(request, self.effort)


def plan_of(request: SourcingRequest, decision: Decision) -> SourcingPlan:
    """The decision as allocations of the order's lines; what it leaves unfilled as
    shortfalls, with what the sites had of the SKU in all."""
    skus = {line.line_no: line.sku for line in request.lines}
    allocations = tuple(
        PlannedAllocation(a.line_no, skus[a.line_no], a.location_id, a.quantity)
        for a in decision.solution.assignments
    )
    held = Counter[str]()
    for site in request.sites:
        held.update(site.candidate.available)
    shortfalls = tuple(
        Shortfall(line.line_no, line.sku, line.quantity, held[line.sku], short)
        for line in request.lines
        if (short := decision.waiting.get(line.line_no, 0)) > 0
    )
    return SourcingPlan(allocations, shortfalls)


NEAREST_SHOWN = 50  # candidates an explanation lists, nearest first


def record_of(request: SourcingRequest, decision: Decision, reason: str) -> SourcingRecord:
    """The decision as an order keeps it: what decided it and why, with the
    candidates it weighed (the nearest, and how many in all), what each rule
    excluded, what each strategy tried found, the chosen plan's cost and the best
    alternatives'."""
    excluded = {e.location_id for e in decision.excluded}
    considered = sorted(
        (s.candidate for s in request.sites if s.location.id not in excluded),
        key=lambda c: (_km(c.lane.distance_km), c.location_id),
    )
    skus = {line.sku for line in request.lines}
    solution = decision.solution
    explanation: dict[str, Any] = {
        "profile": {"name": decision.profile, "version": decision.version},
        "strategy": decision.strategy,
        "outcome": str(decision.outcome),
        "rate_card": request.card.service,
        "currency": request.card.currency,
        "chosen": {
            "allocations": [
                {"line_no": a.line_no, "location_id": a.location_id, "quantity": a.quantity}
                for a in solution.assignments
            ],
            "cost": None if solution.cost is None else _cost(solution.cost),
            "method": solution.method,
            "optimal": solution.optimal,
        },
        "waiting": [
            {"line_no": line_no, "quantity": units}
            for line_no, units in sorted(decision.waiting.items())
        ],
        "cancel_after_days": decision.cancel_after_days,
        "alternatives": [
            {"location_ids": list(a.location_ids), "total": str(a.total)}
            for a in decision.alternatives
        ],
        "tried": [
            {
                "strategy": t.strategy,
                "candidates": t.candidates,
                "filled": t.filled,
                "total": None if t.total is None else str(t.total),
                "method": t.method,
            }
            for t in decision.tried
        ],
        "excluded": [{"location_id": e.location_id, "rule": e.rule} for e in decision.excluded],
        "rejected": sorted(request.rejected),
        "candidates": {
            "count": len(considered),
            "nearest": [
                {
                    "location_id": c.location_id,
                    "distance_km": None
                    if c.lane.distance_km is None
                    else round(c.lane.distance_km, 1),
                    "available": {sku: n for sku, n in sorted(c.available.items()) if sku in skus},
                }
                for c in considered[:NEAREST_SHOWN]
            ],
        },
    }
    return SourcingRecord(
        reason,
        decision.profile,
        decision.version,
        decision.strategy,
        str(decision.outcome),
        explanation,
    )


def _km(distance_km: float | None) -> float:
    return math.inf if distance_km is None else distance_km


def _cost(cost: CostBreakdown) -> dict[str, str]:
    return {name: str(value) for name, value in cost.parts.items()}
