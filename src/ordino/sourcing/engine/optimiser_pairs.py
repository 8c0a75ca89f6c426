"""Plans of two packages, searched exhaustively over a shortlist.

For every pair of the shortlist that can hold the whole order between them and
whose floor (`optimiser_floors`) does not rule it out, and every way of splitting
each line's units between the two, the plan's cost, in one go in arrays; the
cheapest wins, ties to the first pair and split in location-id order. The search is
complete (it has seen every pair that could beat the plan in hand) unless the
shortlist or the work had to be cut.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from ordino.sourcing.engine.optimiser_fast import Floats, Ints, Table
from ordino.sourcing.engine.optimiser_floors import Floors, pair_floors, partner_floors

SPLITS = 1024  # ways of splitting an order between two locations, at most
WORK = 20_000  # pair-and-split costs worked out at once, at most
SHORTLIST = 48  # locations pairs are drawn from, at most
BETTER = 1e-9  # what a cost must be below another's to beat it


def shortlist(t: Table, f: Floors, incumbent: float, whole: Ints) -> tuple[Ints, bool]:
    """The locations pairs are drawn from: those that can be in a pair beating
    `incumbent` (infinite: any); when there are more than SHORTLIST, in turns the
    cheapest per unit for each line, those taking most of the order and those
    with the lowest floors. True when none had to be left out."""
    rows = np.arange(t.size)
    if f.sound and math.isfinite(incumbent):
        rows = np.flatnonzero(partner_floors(t, f) < incumbent - BETTER)
    if len(rows) <= SHORTLIST:
        return rows, True
    orders = [
        np.argsort(-whole[rows].sum(axis=1), kind="stable"),
        np.argsort(f.package[rows], kind="stable"),
    ]
    for i in range(len(t.quantity)):
        units = np.zeros((len(rows), len(t.quantity)), np.int64)
        units[:, i] = np.minimum(whole[rows, i], t.quantity[i])
        held = units[:, i] > 0
        each = np.where(held, t.packages(rows, units) / np.maximum(units[:, i], 1), np.inf)
        orders.append(np.argsort(each, kind="stable")[: int(held.sum())])
    chosen: set[int] = set()
    for turn in range(len(rows)):
        for order in orders:
            if turn < len(order) and len(chosen) < SHORTLIST:
                chosen.add(int(rows[order[turn]]))
        if len(chosen) >= SHORTLIST:
            break
    return np.array(sorted(chosen), np.int64), False


def splits(t: Table) -> Ints | None:
    """Every way the first of two locations can take part of each line (None: too
    many): any number of units, or with lines unsplit, all or nothing."""
    quantities: list[int] = t.quantity.tolist()
    ways = [tuple(range(q + 1)) if t.split_lines else (0, q) for q in quantities]
    if math.prod(len(w) for w in ways) > SPLITS:
        return None
    found = np.array(list(itertools.product(*ways)), np.int64).reshape(-1, len(ways))
    sent = found.sum(axis=1)
    both: Ints = found[(sent > 0) & (sent < t.quantity.sum())]
    return both


def best_pair(t: Table, rows: Ints, f: Floors, incumbent: float) -> tuple[Ints | None, bool]:
    """The cheapest plan of two packages from `rows` that ships everything, if it
    may; and whether the search saw every pair that could beat `incumbent`."""
    ways = splits(t)
    if (t.max_packages is not None and t.max_packages < 2) or len(rows) < 2:
        return None, True
    if ways is None:
        return None, False
    if len(ways) == 0:  # one line, not to be split: no plan of two ships it all
        return None, True
    a, b, complete = _pairs(t, rows, f, incumbent, len(ways))
    if len(a) == 0:
        return None, complete
    cost = _priced(t, a, b, ways)
    best = int(np.argmin(cost))
    pair, way = divmod(best, len(ways))
    if not math.isfinite(cost[pair, way]):
        return None, complete
    plan = np.zeros((t.size, len(t.quantity)), np.int64)
    plan[a[pair]] = ways[way]
    plan[b[pair]] = t.quantity - ways[way]
    return plan, complete


def _pairs(t: Table, rows: Ints, f: Floors, incumbent: float, ways: int) -> tuple[Ints, Ints, bool]:
    """The pairs worth pricing: they hold and have room for the whole order between
    them, and their floors do not rule them out; the least floors first when the
    work must be cut."""
    first, second = np.triu_indices(len(rows), 1)
    a, b = rows[first], rows[second]
    held = np.minimum(t.stock[a], t.need) + np.minimum(t.stock[b], t.need)
    keep = (held >= t.need).all(axis=1) & (t.room[a] + t.room[b] >= t.quantity.sum())
    floor = pair_floors(t, f, a, b)
    if f.sound and math.isfinite(incumbent):
        keep &= floor < incumbent - BETTER
    a, b, floor = a[keep], b[keep], floor[keep]
    most = max(1, WORK // ways)
    if len(a) <= most:
        return a, b, True
    chosen = np.sort(np.argsort(floor, kind="stable")[:most])
    return a[chosen], b[chosen], False


def _priced(t: Table, a: Ints, b: Ints, ways: Ints) -> Floats:
    """Cost per pair (row) and split (column); infinite where stock or room fails."""
    rest = t.quantity - ways
    cost = _side(t, a, ways) + _side(t, b, rest)
    days = np.maximum(t.late[a], t.late[b])
    cost += (t.lateness(days) + t.extra_package)[:, None]
    return cost


def _side(t: Table, at: Ints, units: Ints) -> Floats:
    """What each location of `at` costs for each way of taking `units`; infinite
    where it has not the stock or the room."""
    fits = units.sum(axis=1)[None, :] <= t.room[at][:, None]
    for sku, needed in enumerate(t.by_sku(units).T):
        fits &= needed[None, :] <= t.stock[at, sku][:, None]
    kg = units @ t.unit_weight
    by_zone = np.stack([zone.price(kg) for zone in t.zones])
    cost = t.fixed[at][:, None] + t.unit[at] @ units.T + by_zone[t.zone[at]]
    return np.where(fits, cost, np.inf)
