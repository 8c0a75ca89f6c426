"""The sourcing heuristic, in arrays over every usable candidate (`optimiser_fast`).

1. The cheapest location that ships the whole order, over all candidates.
2. If the floors (`optimiser_floors`) show that no plan of two or more packages can
   beat it, that is the optimum: done (with a thousand candidates, the usual case).
3. Where no location ships everything, or a plan of three or more packages might
   beat the best that does, two greedy starts over all candidates, locations taken
   one at a time: the one that fills most of what is left (fewest packages), and
   the cheapest per unit it fills.
4. Every plan of two packages from a shortlist, each line's units split every way
   between the two: exact over the shortlist, which keeps every location the
   floors cannot rule out, up to a bound on the work.
5. If the search of step 4 was whole and the floors rule out three or more
   packages, the best plan is the optimum; otherwise it gets local moves
   (`optimiser_moves`).

Filling comes first throughout (more units filled, then less cost); ties go to the
location first by id. Trials are priced in floats, the plan chosen in decimals by
`solution`. What one location can take of the order is the most it can
(`Table.take`), so the plan never fills less than the best single location could.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from ordino.sourcing.engine.optimiser import (
    Assignment,
    Candidate,
    Solution,
    SourcingProblem,
    solution,
)
from ordino.sourcing.engine.optimiser_fast import Floats, Ints, Table
from ordino.sourcing.engine.optimiser_floors import floors, least_from, least_from_two_roughly
from ordino.sourcing.engine.optimiser_moves import improve
from ordino.sourcing.engine.optimiser_pairs import BETTER, best_pair, shortlist


@dataclass(frozen=True)
class Found:
    solution: Solution
    proven: bool  # the floors show that no plan beats it
    candidates: tuple[Candidate, ...]  # usable(problem)
    every_pair: bool = True  # every plan of one or two packages was priced


def heuristic(problem: SourcingProblem, candidates: Sequence[Candidate] | None = None) -> Solution:
    """`candidates`: `usable(problem)`, when the caller has it already."""
    return search(problem, candidates).solution


def search(problem: SourcingProblem, candidates: Sequence[Candidate] | None = None) -> Found:
    """The heuristic's plan, whether the floors prove it optimal, and the usable
    candidates (all the problem's are looked at unless `candidates` are given)."""
    t = Table(problem, candidates)
    if t.size == 0 or t.max_packages == 0:
        none = solution(problem, (), "heuristic", optimal=False)
        return Found(none, True, t.candidates)
    plan, proven, every_pair = _plan(t)
    found = solution(problem, _assignments(t, plan), "heuristic", optimal=False)
    found = replace(found, runners_up=_singles(t))
    return Found(found, proven, t.candidates, every_pair)


RUNNERS_UP = 4  # single-location plans kept beside a solution, for its explanation


def _singles(t: Table) -> tuple[str, ...]:
    """The locations that ship everything alone, the cheapest first (a few)."""
    whole = t.take(t.quantity)
    full = np.flatnonzero(whole.sum(axis=1) == t.quantity.sum())
    if len(full) == 0:
        return ()
    cost = t.packages(full, whole[full]) + t.lateness(t.late[full])
    order = np.lexsort((t.km[full], cost))[:RUNNERS_UP]
    return tuple(t.ids[int(full[k])] for k in order.tolist() if math.isfinite(cost[k]))


def _plan(t: Table) -> tuple[Ints | None, bool, bool]:
    """The plan, whether it is proven the cheapest, and whether every plan of one or
    two packages was priced."""
    whole = t.take(t.quantity)
    best = _single(t, whole)
    if best is not None and t.cost(best) <= least_from_two_roughly(t) + BETTER:
        return best, True, True  # most orders end here, before the finer floors
    f = floors(t)
    everything = int(t.quantity.sum())
    if best is not None and t.cost(best) <= least_from(t, f, 2) + BETTER:
        return best, True, True
    if best is None or t.cost(best) > least_from(t, f, 3) + BETTER:
        # Needed where no location ships everything, or three packages might beat it.
        best = _best(t, [best, _greedy(t, fewest=True), _greedy(t, fewest=False)])
    incumbent = t.cost(best) if best is not None and best.sum() == everything else math.inf
    rows, listed = shortlist(t, f, incumbent, whole)
    pair, complete = best_pair(t, rows, f, incumbent)
    best = _best(t, [best, pair])
    if best is None:  # no location could ship what it holds (too heavy, say)
        return None, False, listed and complete
    whole_search = best.sum() == everything and listed and complete
    if whole_search and t.cost(best) <= least_from(t, f, 3) + BETTER:
        return best, True, True
    return improve(t, best, rows), False, listed and complete


def _best(t: Table, plans: Sequence[Ints | None]) -> Ints | None:
    found = [plan for plan in plans if plan is not None]
    if not found:
        return None
    return min(found, key=lambda plan: (-int(plan.sum()), t.cost(plan)))


def _single(t: Table, whole: Ints) -> Ints | None:
    """The cheapest location that ships everything."""
    full = np.flatnonzero(whole.sum(axis=1) == t.quantity.sum())
    if len(full) == 0:
        return None
    cost = t.packages(full, whole[full]) + t.lateness(t.late[full])
    at = int(np.lexsort((t.km[full], cost))[0])  # the cheapest; of equals, the nearest
    if not math.isfinite(cost[at]):
        return None
    plan = np.zeros_like(whole)
    plan[full[at]] = whole[full[at]]
    return plan


def _greedy(t: Table, *, fewest: bool) -> Ints | None:
    """Locations one at a time: with `fewest`, the one that fills most of what is
    left (the cheaper per unit on a tie); else the cheapest per unit it fills."""
    remaining = t.quantity.copy()
    plan = np.zeros((t.size, len(t.quantity)), np.int64)
    count = 0
    while remaining.any() and (t.max_packages is None or count < t.max_packages):
        taken = t.take(remaining)
        taken[plan.any(axis=1)] = 0
        at = _step(t, plan, taken, count, fewest=fewest)
        if at is None:
            break
        plan[at] = taken[at]
        remaining -= taken[at]
        count += 1
    return plan if count else None


def _step(t: Table, plan: Ints, taken: Ints, count: int, *, fewest: bool) -> int | None:
    covered = taken.sum(axis=1)
    rows = np.flatnonzero(covered > 0)
    if len(rows) == 0:
        return None
    late = int(t.late[plan.any(axis=1)].max()) if count else 0
    added = t.packages(rows, taken[rows]) + (t.extra_package if count else 0.0)
    added += _later(t, late, t.late[rows])
    each: Floats = added / covered[rows]
    keep = np.isfinite(each)
    if not keep.any():
        return None
    rows, each, covered = rows[keep], each[keep], covered[rows][keep]
    order = np.lexsort((each, -covered)) if fewest else np.argsort(each, kind="stable")
    return int(rows[order[0]])


def _later(t: Table, late: int, days: Ints) -> Floats:
    """What lateness adds when a location `days` late joins a plan `late` days late."""
    return t.lateness(np.maximum(days, late)) - float(t.lateness(np.array([late]))[0])


def _assignments(t: Table, plan: Ints | None) -> list[Assignment]:
    if plan is None:
        return []
    rows, lines = np.nonzero(plan)
    return [
        Assignment(t.line_nos[i], t.ids[k], int(plan[k, i]))
        for k, i in zip(rows.tolist(), lines.tolist(), strict=True)
    ]
