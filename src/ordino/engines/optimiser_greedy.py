"""The sourcing heuristic: the best of three starts — the cheapest location that ships
the whole order; locations taken one at a time, the one that fills the most of what
is left first (fewest packages); locations taken one at a time, the cheapest per
unit first — then local moves (a line's units to another location) while they lower
the cost."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ordino.engines.optimiser import (
    Assignment,
    Candidate,
    Solution,
    SourcingProblem,
    feasible,
    solution,
    usable,
)
from ordino.engines.optimiser_fast import FastCosts

NEAR_FOR_MOVES = 20  # locations, beyond those in the plan, a move may go to
SHORTLIST = 12  # per line (and by coverage): the candidates split plans are made of
MAX_ROUNDS = 50


def heuristic(problem: SourcingProblem, candidates: Sequence[Candidate] | None = None) -> Solution:
    """`candidates`: `usable(problem)`, when the caller has it already."""
    candidates = usable(problem) if candidates is None else candidates
    fast = FastCosts(problem, candidates)
    wanted = {line.line_no: line.quantity for line in problem.lines}
    whole = {c.location_id: _take(problem, c, wanted) for c in candidates}  # each, once
    shortlist = _shortlist(problem, candidates, fast, whole)
    plans = [
        plan
        for plan in (
            _single_location(problem, candidates, fast, whole),
            _greedy(problem, shortlist, fast, fewest=True),
            _greedy(problem, shortlist, fast, fewest=False),
        )
        if plan
    ]
    if not plans:
        return solution(problem, (), "heuristic", optimal=False)
    best = min(plans, key=lambda plan: _rank(fast, plan))
    return solution(problem, _improve(problem, shortlist, fast, best), "heuristic", optimal=False)


def _rank(fast: FastCosts, plan: Sequence[Assignment]) -> tuple[int, float]:
    return (-sum(a.quantity for a in plan), fast.plan(plan))


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


def _shortlist(
    problem: SourcingProblem,
    candidates: Sequence[Candidate],
    fast: FastCosts,
    whole: dict[str, list[Assignment]],
) -> list[Candidate]:
    """The candidates a split plan is built from: per line, those that ship it most
    cheaply per unit; and those that fill most of the order. Others could only
    matter in plans the cheap ones already beat."""
    if len(candidates) <= SHORTLIST * (len(problem.lines) + 1):
        return list(candidates)
    chosen: set[str] = set()
    for line in problem.lines:
        offers = []
        for c in candidates:
            units = min(line.quantity, c.available.get(line.sku, 0))
            if units > 0:
                cost = fast.package(c.location_id, {line.line_no: units}) / units
                offers.append((cost, c.location_id))
        chosen.update(at for _, at in sorted(offers)[:SHORTLIST])
    coverage = sorted(
        (-sum(a.quantity for a in whole[c.location_id]), c.location_id) for c in candidates
    )
    chosen.update(at for _, at in coverage[:SHORTLIST])
    return [c for c in candidates if c.location_id in chosen]


def _single_location(
    problem: SourcingProblem,
    candidates: Sequence[Candidate],
    fast: FastCosts,
    whole: dict[str, list[Assignment]],
) -> list[Assignment] | None:
    everything = sum(line.quantity for line in problem.lines)
    best: tuple[float, str] | None = None
    chosen = None
    for candidate in candidates:
        taken = whole[candidate.location_id]
        if sum(a.quantity for a in taken) < everything:
            continue
        key = (fast.plan(taken), candidate.location_id)
        if math.isfinite(key[0]) and (best is None or key < best):
            best, chosen = key, taken
    return chosen


def _greedy(
    problem: SourcingProblem, candidates: Sequence[Candidate], fast: FastCosts, *, fewest: bool
) -> list[Assignment] | None:
    """Locations one at a time: with `fewest`, the one that fills most of what is left
    (the cheaper per unit on a tie); else the cheapest per unit it fills."""
    remaining = {line.line_no: line.quantity for line in problem.lines}
    plan: list[Assignment] = []
    used: set[str] = set()
    while any(remaining.values()) and (
        problem.max_packages is None or len(used) < problem.max_packages
    ):
        step = _best_step(problem, candidates, fast, (remaining, plan, used), fewest=fewest)
        if step is None:
            break
        for a in step:
            remaining[a.line_no] -= a.quantity
            used.add(a.location_id)
        plan.extend(step)
    return plan or None


def _best_step(
    problem: SourcingProblem,
    candidates: Sequence[Candidate],
    fast: FastCosts,
    state: tuple[dict[int, int], list[Assignment], set[str]],
    *,
    fewest: bool,
) -> list[Assignment] | None:
    remaining, plan, used = state
    base = fast.plan(plan)
    best: tuple[int, float, str] | None = None
    chosen: list[Assignment] | None = None
    for candidate in candidates:
        if candidate.location_id in used:
            continue
        taken = _take(problem, candidate, remaining)
        covered = sum(a.quantity for a in taken)
        if not covered:
            continue
        cost = fast.plan([*plan, *taken])
        if not math.isfinite(cost):
            continue
        key = (-covered if fewest else 0, (cost - base) / covered, candidate.location_id)
        if best is None or key < best:
            best, chosen = key, taken
    return chosen


def _improve(
    problem: SourcingProblem,
    candidates: Sequence[Candidate],
    fast: FastCosts,
    start: list[Assignment],
) -> list[Assignment]:
    # Where a line may move beyond the plan's own locations: the cheapest to send from.
    cheapest = [
        c.location_id
        for c in sorted(candidates, key=lambda c: (fast.package(c.location_id, {}), c.location_id))
    ]
    best = start
    for _ in range(MAX_ROUNDS):
        moved = _first_better_move(problem, cheapest, fast, best)
        if moved is None:
            return best
        best = moved
    return best


def _first_better_move(
    problem: SourcingProblem,
    cheapest: Sequence[str],
    fast: FastCosts,
    current: list[Assignment],
) -> list[Assignment] | None:
    in_plan = sorted({a.location_id for a in current})
    others = [at for at in cheapest[: NEAR_FOR_MOVES + len(in_plan)] if at not in in_plan]
    targets = in_plan + others[:NEAR_FOR_MOVES]
    now = _rank(fast, current)
    for index, a in enumerate(current):
        for target in targets:
            if target == a.location_id:
                continue
            rest = current[:index] + current[index + 1 :]
            trial = _merged([*rest, Assignment(a.line_no, target, a.quantity)])
            if _rank(fast, trial) < now and feasible(problem, trial):
                return trial
    return None


def _merged(assignments: Sequence[Assignment]) -> list[Assignment]:
    totals: dict[tuple[int, str], int] = {}
    for a in assignments:
        key = (a.line_no, a.location_id)
        totals[key] = totals.get(key, 0) + a.quantity
    return [Assignment(no, at, quantity) for (no, at), quantity in sorted(totals.items())]
