"""The sourcing optimiser: which locations ship how much of each line, at the least
cost the cost model gives, within stock, capacity, the package limit and the
promise. Pure and deterministic.

Filling comes first: a plan that fills more units beats any cheaper one that fills
fewer; what cannot be filled is returned as data (`unfilled`), never an error.
`ordino.sourcing.engine.optimise.solve` runs the heuristic (`optimiser_greedy`) always and
the exact model (a MIP by HiGHS, `optimiser_mip`) as well while the problem is small
and the heuristic's lower bounds have not already proved its plan the cheapest; it
keeps the better, and `Solution.method` says which decided.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ordino.network.domain import (
    CostBreakdown,
    CostWeights,
    Lane,
    LocationCosts,
    Package,
    RateCard,
    plan_cost,
)


@dataclass(frozen=True)
class SourcingLine:
    line_no: int
    sku: str
    quantity: int
    unit_weight_kg: Decimal = Decimal("0.5")
    unit_value: Decimal = Decimal(0)


@dataclass(frozen=True)
class Candidate:
    """A location that may ship: what it has, what capacity it has left today (None:
    no limit), and how many days late its delivery would be against the promise."""

    location_id: str
    lane: Lane
    available: Mapping[str, int]
    orders_left: int | None = None
    units_left: int | None = None
    days_late: int = 0


@dataclass(frozen=True)
class SourcingProblem:
    lines: tuple[SourcingLine, ...]
    candidates: tuple[Candidate, ...]
    card: RateCard
    costs: Mapping[str, LocationCosts] = field(default_factory=dict)
    weights: CostWeights = field(default_factory=CostWeights)
    max_packages: int | None = None  # None: as many as it takes
    split_lines: bool = True  # may one line's units come from several locations


@dataclass(frozen=True, order=True)
class Assignment:
    line_no: int
    location_id: str
    quantity: int


@dataclass(frozen=True)
class Solution:
    assignments: tuple[Assignment, ...]
    unfilled: Mapping[int, int]  # line number -> units no plan could fill
    cost: CostBreakdown | None  # None: nothing shipped
    method: str  # "exact", "heuristic" or "none"
    optimal: bool = False  # proven optimal by the exact model
    # Locations that ship everything alone, the cheapest first: what an explanation
    # shows the plan against.
    runners_up: tuple[str, ...] = ()

    @property
    def total(self) -> Decimal:
        return self.cost.total if self.cost is not None else Decimal(0)

    @property
    def filled(self) -> int:
        return sum(a.quantity for a in self.assignments)


def usable(problem: SourcingProblem) -> tuple[Candidate, ...]:
    """Candidates that can take part at all: not late where lateness is not allowed,
    with capacity left, carried by the card, holding some of what is asked; by id."""
    skus = {line.sku for line in problem.lines}
    allowed_late = problem.weights.per_day_late is not None
    found = [
        c
        for c in problem.candidates
        if (c.days_late <= 0 or allowed_late)
        and (c.orders_left is None or c.orders_left > 0)
        and (c.units_left is None or c.units_left > 0)
        and any(c.available.get(sku, 0) > 0 for sku in skus)
        and problem.card.zone(c.lane) is not None
    ]
    return tuple(sorted(found, key=lambda c: c.location_id))


def evaluate(problem: SourcingProblem, assignments: Sequence[Assignment]) -> CostBreakdown | None:
    """The cost of a plan by the cost model (None: it cannot be carried or is late
    where lateness is not allowed)."""
    if not assignments:
        return None
    by_line = {line.line_no: line for line in problem.lines}
    candidates = {c.location_id: c for c in problem.candidates}
    units: dict[str, dict[str, int]] = defaultdict(dict)
    weight: dict[str, Decimal] = defaultdict(Decimal)
    values: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for a in assignments:
        line = by_line[a.line_no]
        held, worth = units[a.location_id], values[a.location_id]
        held[line.sku] = held.get(line.sku, 0) + a.quantity
        worth[line.sku] = worth.get(line.sku, Decimal(0)) + line.unit_value * a.quantity
        weight[a.location_id] += line.unit_weight_kg * a.quantity
    packages = [
        Package(at, candidates[at].lane, units[at], weight[at], values[at]) for at in sorted(units)
    ]
    late = max(candidates[at].days_late for at in units)
    return plan_cost(packages, problem.card, problem.costs, problem.weights, late)


def feasible(problem: SourcingProblem, assignments: Sequence[Assignment]) -> bool:
    """Whether a plan keeps every rule: stock, capacity, packages, whole lines."""
    candidates = {c.location_id: c for c in problem.candidates}
    by_line = {line.line_no: line for line in problem.lines}
    taken: dict[tuple[str, str], int] = defaultdict(int)
    units: dict[str, int] = defaultdict(int)
    sources: dict[int, set[str]] = defaultdict(set)
    for a in assignments:
        line = by_line[a.line_no]
        taken[(a.location_id, line.sku)] += a.quantity
        units[a.location_id] += a.quantity
        sources[a.line_no].add(a.location_id)
    if any(taken[(at, sku)] > candidates[at].available.get(sku, 0) for at, sku in taken):
        return False
    for at, count in units.items():
        c = candidates[at]
        if (c.orders_left is not None and c.orders_left < 1) or (
            c.units_left is not None and count > c.units_left
        ):
            return False
    if problem.max_packages is not None and len(units) > problem.max_packages:
        return False
    if not problem.split_lines and any(len(at) > 1 for at in sources.values()):
        return False
    per_line: dict[int, int] = defaultdict(int)
    for a in assignments:
        per_line[a.line_no] += a.quantity
    return all(per_line[no] <= line.quantity for no, line in by_line.items())


def solution(
    problem: SourcingProblem, assignments: Sequence[Assignment], method: str, optimal: bool
) -> Solution:
    kept = tuple(sorted(a for a in assignments if a.quantity > 0))
    filled: dict[int, int] = defaultdict(int)
    for a in kept:
        filled[a.line_no] += a.quantity
    unfilled = {
        line.line_no: line.quantity - filled[line.line_no]
        for line in problem.lines
        if line.quantity > filled[line.line_no]
    }
    return Solution(kept, unfilled, evaluate(problem, kept), method if kept else "none", optimal)


def better(a: Solution, b: Solution) -> bool:
    """Whether `a` beats `b`: more units filled, then less cost."""
    return (-a.filled, a.total) < (-b.filled, b.total)
