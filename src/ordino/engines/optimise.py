"""Sourcing decisions: the heuristic always, the exact model when the problem is
small enough for it to answer within its time limit and the heuristic's floors do
not already prove its plan the cheapest; the better of the two."""

from __future__ import annotations

from ordino.engines.optimiser import Solution, SourcingProblem, better
from ordino.engines.optimiser_greedy import search
from ordino.engines.optimiser_mip import exact

# Problems up to this many (candidate, line) pairs go to the exact model as well.
EXACT_PAIRS = 400


def solve(problem: SourcingProblem, time_limit: float = 0.05) -> Solution:
    found = search(problem)
    quick, candidates = found.solution, found.candidates
    pairs = len(candidates) * len(problem.lines)
    if found.proven or pairs == 0 or pairs > EXACT_PAIRS:
        return quick
    proven = exact(problem, time_limit, candidates)
    if proven is None or better(quick, proven):
        return quick
    return proven
