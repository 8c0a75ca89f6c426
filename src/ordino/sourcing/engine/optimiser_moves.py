"""Local moves on a plan: from one of its locations, some units of one line, or its
whole package, to another location (one in the plan, or one of the targets given).
Each round prices every such move at once in arrays and makes the best while it
lowers the cost, for at most MAX_ROUNDS rounds. A move keeps stock, room, the
package limit and whole lines; it never changes how many units are filled.
"""

from __future__ import annotations

import numpy as np

from ordino.sourcing.engine.optimiser_fast import Bools, Floats, Ints, Table

MAX_ROUNDS = 20
SOME_UNITS = 8  # of a line: every amount is tried up to this many
BETTER = 1e-9  # what a cost must be below another's to beat it


def improve(t: Table, plan: Ints, targets: Ints) -> Ints:
    cost = t.cost(plan)
    for _ in range(MAX_ROUNDS):
        moved = _best_move(t, plan, targets, cost)
        if moved is None:
            break
        plan, cost = moved
    return plan


def _best_move(t: Table, plan: Ints, targets: Ints, cost: float) -> tuple[Ints, float] | None:
    used = np.flatnonzero(plan.any(axis=1))
    mark = np.zeros(t.size, bool)  # not np.union1d: its first call imports numpy.ma
    mark[used] = mark[targets] = True
    to = np.flatnonzero(mark)
    best: tuple[float, int, Ints, int] | None = None
    for source in used.tolist():
        moves = _moves(t, plan[source])
        trial = _priced(t, plan, (source, moves, to), cost)
        k, j = np.unravel_index(int(np.argmin(trial)), trial.shape)
        if trial[k, j] < cost - BETTER and (best is None or trial[k, j] < best[0] - BETTER):
            best = (float(trial[k, j]), source, moves[k], int(to[j]))
    if best is None:
        return None
    total, source, units, target = best
    moved = plan.copy()
    moved[source] -= units
    moved[target] += units
    return moved, total


def _moves(t: Table, held: Ints) -> Ints:
    """What may leave a location: its whole package, and of each line it ships some
    units (all of them, where lines may not be split)."""
    found = [held]
    for i, units in enumerate(held.tolist()):
        amounts = _amounts(units) if t.split_lines else [units] if units else []
        for amount in amounts:
            move = np.zeros(len(held), np.int64)
            move[i] = amount
            found.append(move)
    return np.array(found, np.int64)


def _amounts(units: int) -> list[int]:
    """Any number up to SOME_UNITS; beyond, powers of two and what they leave, so a
    line of thousands of units gives a few dozen moves, not thousands."""
    if units <= SOME_UNITS:
        return list(range(1, units + 1))
    powers = [2**k for k in range(units.bit_length()) if 2**k < units]
    return sorted({*powers, *(units - p for p in powers), units})


def _priced(t: Table, plan: Ints, move: tuple[int, Ints, Ints], cost: float) -> Floats:
    """The plan's cost after each move (row) to each target (column); infinite where
    a move breaks a rule."""
    source, moves, to = move
    left = plan[source] - moves
    emptied: Bools = np.logical_not(left.any(axis=1))
    left_cost = np.where(emptied, 0.0, t.packages(np.full(len(moves), source), left))
    here = plan[to]
    holds = here.any(axis=1)
    before = np.where(holds, t.packages(to, here), 0.0)
    after = here[None, :, :] + moves[:, None, :]
    flat = after.reshape(-1, after.shape[2])
    after_cost = t.packages(np.tile(to, len(moves)), flat).reshape(len(moves), len(to))
    added = np.logical_not(holds)[None, :].astype(np.int64) - emptied[:, None].astype(np.int64)
    was = float(t.packages(np.array([source]), plan[source : source + 1])[0])
    total = cost - was + left_cost[:, None] - before[None, :] + after_cost
    total += t.extra_package * added + _lateness_change(t, plan, source, emptied, to)
    count = int(plan.any(axis=1).sum()) + added
    return np.where(_allowed(t, after, count, to) & (to != source)[None, :], total, np.inf)


def _lateness_change(t: Table, plan: Ints, source: int, emptied: Bools, to: Ints) -> Floats:
    used = np.flatnonzero(plan.any(axis=1))
    now = int(t.late[used].max())
    others = used[used != source]
    rest = int(t.late[others].max()) if len(others) else 0
    days = np.maximum(np.where(emptied, rest, now)[:, None], t.late[to][None, :])
    return t.lateness(days) - float(t.lateness(np.array([now]))[0])


def _allowed(t: Table, after: Ints, count: Ints, to: Ints) -> Bools:
    """Moves (rows) to targets (columns) within stock, room and the package limit."""
    ok: Bools = np.all(t.by_sku(after) <= t.stock[to][None, :, :], axis=2)
    ok &= after.sum(axis=2) <= t.room[to][None, :]
    if t.max_packages is not None:
        ok &= count <= t.max_packages
    return ok
