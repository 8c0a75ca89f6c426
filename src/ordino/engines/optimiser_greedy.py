"""The sourcing heuristic: the cheapest location that ships the whole order; else
locations taken one at a time, the one that fills the most of what is left first
(fewest packages), the cheaper on a tie; then local moves (a line's units to another
location, a location's lines to the others) while they lower the cost."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ordino.engines.optimiser import (
    Assignment,
    Candidate,
    Solution,
    SourcingProblem,
    better,
    feasible,
    solution,
    usable,
)

NEAR_FOR_MOVES = 20  # locations, beyond those in the plan, a move may go to
MAX_ROUNDS = 50


def heuristic(problem: SourcingProblem) -> Solution:
    candidates = usable(problem)
    best = _greedy(problem, candidates)
    whole = _single_location(problem, candidates)
    if whole is not None and (best is None or not better(best, whole)):
        best = whole
    if best is None:
        return solution(problem, (), "heuristic", optimal=False)
    return _improve(problem, candidates, best)


def _take(
    problem: SourcingProblem,
    candidate: Candidate,
    remaining: dict[int, int],
) -> list[Assignment]:
    """What `candidate` can take of what is left, line by line."""
    stock = dict(candidate.available)
    room = candidate.units_left
    taken = []
    for line in problem.lines:
        want = remaining.get(line.line_no, 0)
        have = min(want, stock.get(line.sku, 0), want if room is None else room)
        if have <= 0 or (not problem.split_lines and have < line.quantity):
            continue
        stock[line.sku] = stock.get(line.sku, 0) - have
        room = None if room is None else room - have
        taken.append(Assignment(line.line_no, candidate.location_id, have))
    return taken


def _single_location(problem: SourcingProblem, candidates: Sequence[Candidate]) -> Solution | None:
    wanted = {line.line_no: line.quantity for line in problem.lines}
    everything = sum(wanted.values())
    best: Solution | None = None
    for candidate in candidates:
        taken = _take(problem, candidate, wanted)
        if sum(a.quantity for a in taken) < everything:
            continue
        found = solution(problem, taken, "heuristic", optimal=False)
        if found.cost is not None and (best is None or better(found, best)):
            best = found
    return best


def _greedy(problem: SourcingProblem, candidates: Sequence[Candidate]) -> Solution | None:
    remaining = {line.line_no: line.quantity for line in problem.lines}
    plan: list[Assignment] = []
    used: set[str] = set()
    while any(remaining.values()) and (
        problem.max_packages is None or len(used) < problem.max_packages
    ):
        step = _best_step(problem, candidates, remaining, plan, used)
        if step is None:
            break
        for a in step:
            remaining[a.line_no] -= a.quantity
            used.add(a.location_id)
        plan.extend(step)
    return solution(problem, plan, "heuristic", optimal=False) if plan else None


def _best_step(
    problem: SourcingProblem,
    candidates: Sequence[Candidate],
    remaining: dict[int, int],
    plan: list[Assignment],
    used: set[str],
) -> list[Assignment] | None:
    base = solution(problem, plan, "heuristic", optimal=False).total
    best: tuple[int, Decimal, str] | None = None
    chosen: list[Assignment] | None = None
    for candidate in candidates:
        if candidate.location_id in used:
            continue
        taken = _take(problem, candidate, remaining)
        covered = sum(a.quantity for a in taken)
        if not covered:
            continue
        with_it = solution(problem, [*plan, *taken], "heuristic", optimal=False)
        if with_it.cost is None:
            continue
        key = (-covered, (with_it.total - base) / covered, candidate.location_id)
        if best is None or key < best:
            best, chosen = key, taken
    return chosen


def _improve(
    problem: SourcingProblem, candidates: Sequence[Candidate], start: Solution
) -> Solution:
    best = start
    for _ in range(MAX_ROUNDS):
        moved = _first_better_move(problem, candidates, best)
        if moved is None:
            return best
        best = moved
    return best


def _first_better_move(
    problem: SourcingProblem, candidates: Sequence[Candidate], current: Solution
) -> Solution | None:
    in_plan = sorted({a.location_id for a in current.assignments})
    targets = in_plan + [
        c.location_id
        for c in candidates[: NEAR_FOR_MOVES + len(in_plan)]
        if c.location_id not in in_plan
    ]
    plan = list(current.assignments)
    for index, a in enumerate(plan):
        for target in targets:
            if target == a.location_id:
                continue
            rest = plan[:index] + plan[index + 1 :]
            trial = _merged([*rest, Assignment(a.line_no, target, a.quantity)])
            if not feasible(problem, trial):
                continue
            found = solution(problem, trial, "heuristic", optimal=False)
            if found.cost is not None and better(found, current):
                return found
    return None


def _merged(assignments: Sequence[Assignment]) -> list[Assignment]:
    totals: dict[tuple[int, str], int] = {}
    for a in assignments:
        key = (a.line_no, a.location_id)
        totals[key] = totals.get(key, 0) + a.quantity
    return [Assignment(no, at, quantity) for (no, at), quantity in sorted(totals.items())]
