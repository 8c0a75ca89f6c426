"""When the heuristic's plan is provably optimal without the exact model.

Most orders are shipped whole from one location. Such a plan is optimal when no
other single location ships the order for less and no plan of two or more packages
can cost less: each package pays at least the lowest charge the rate card has for
any usable candidate's lane and the lowest handling per order, each package beyond
the first the package penalty, and every unit at least the lowest cost per unit.
Lateness, labour and margin only add. (Weights are never negative.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ordino.engines.optimiser import Candidate, Solution, SourcingProblem
from ordino.engines.optimiser_fast import FastCosts

TOLERANCE = 1e-9  # floats: a plan cheaper by less than this is not cheaper


def proven_single(
    problem: SourcingProblem, candidates: Sequence[Candidate], found: Solution
) -> bool:
    """Whether `found` (every unit, from one location) is an optimal plan."""
    w = problem.weights
    if found.unfilled or len({a.location_id for a in found.assignments}) != 1:
        return False
    if min(w.shipping, w.handling, w.labour, w.margin, w.per_extra_package) < 0:
        return False
    fast = FastCosts(problem, candidates)
    cost = fast.plan(found.assignments)
    wanted = Counter[str]()
    for line in problem.lines:
        wanted[line.sku] += line.quantity
    units = sum(wanted.values())
    whole = {line.line_no: line.quantity for line in problem.lines}
    for c in candidates:
        holds = all(c.available.get(sku, 0) >= n for sku, n in wanted.items())
        fits = c.units_left is None or c.units_left >= units
        alone = fast.package(c.location_id, whole) + _late(fast, c) if holds and fits else None
        if alone is not None and alone < cost - TOLERANCE:
            return False  # another single location is cheaper
    return cost <= _two_or_more(problem, candidates, fast, units) + TOLERANCE


def _late(fast: FastCosts, c: Candidate) -> float:
    if c.days_late <= 0:
        return 0.0
    return float("inf") if fast.per_day_late is None else fast.per_day_late * c.days_late


def _two_or_more(
    problem: SourcingProblem, candidates: Sequence[Candidate], fast: FastCosts, units: int
) -> float:
    """No plan of two packages or more costs less than this."""
    cheapest_package = min(
        fast.fixed[c.location_id] + fast.steps[c.location_id][1][0] for c in candidates
    )
    cheapest_unit = min(
        fast.unit[(c.location_id, line.line_no)] for c in candidates for line in problem.lines
    )
    return 2 * cheapest_package + fast.extra_package + units * max(0.0, cheapest_unit)
