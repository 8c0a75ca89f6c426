"""The cost model in arrays, for the heuristic's many trials: one row per usable
candidate (in the order given, by location id), one column per order line. A plan is
a matrix of units (row: location, column: line); a package's price is the rate
card's step function of its weight, worked out per zone for many weights at once;
handling, labour and markdown are a fixed cost per package and a cost per unit.

Floats, not decimals: the plan chosen is priced again in decimals by
`ordino.sourcing.engine.optimiser.evaluate`. A weight the card cannot carry, or lateness
where it is not allowed, costs infinity. Nothing here changes the problem.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from ordino.network.domain import Lane, LocationCosts, RateZone
from ordino.sourcing.engine.optimiser import Candidate, SourcingProblem

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
UNLIMITED = 2**62  # room where a location has no limit
WHOLE_LINES = 6  # unsplit lines, at most, whose every combination a location may take
NO_COSTS = LocationCosts()  # a location nobody described costs nothing
EPS = 1e-9  # kilograms: a package at a break's weight pays that break's price


@dataclass(frozen=True)
class Steps:
    """One zone's price of a package by weight, weighted: the breaks' prices as
    charged, then the last break's price and a price per started extra kilogram."""

    caps: Floats
    prices: Floats
    last: float
    per_kg: float | None
    minimum: float
    weight: float  # of shipping in the plan's cost

    def price(self, kg: Floats) -> Floats:
        at = np.searchsorted(self.caps + EPS, kg)
        inside: Floats = self.prices[np.minimum(at, len(self.caps) - 1)]
        if bool((at < len(self.caps)).all()):
            return inside
        if self.per_kg is None:
            beyond = np.full(kg.shape, np.inf)
        else:
            started = np.maximum(np.ceil(kg - self.caps[-1] - EPS), 1)
            beyond = np.maximum(self.minimum, self.last + started * self.per_kg) * self.weight
        return np.where(at < len(self.caps), inside, beyond)

    @property
    def cheapest(self) -> float:
        """The least any package pays here, where prices rise with weight."""
        return float(self.prices[0])


def steps(problem: SourcingProblem, zone: RateZone) -> Steps:
    card, shipping = problem.card, float(problem.weights.shipping)
    return Steps(
        np.array([float(b.up_to_kg) for b in zone.breaks]),
        np.array([float(card.charge(b.price)) * shipping for b in zone.breaks]),
        float(card.base_per_package + zone.breaks[-1].price),
        None if zone.per_extra_kg is None else float(zone.per_extra_kg),
        float(card.minimum_charge),
        shipping,
    )


class Table:
    """The problem's numbers as arrays, worked out once per problem, for the usable
    candidates (`ordino.sourcing.engine.optimiser.usable`, the same ones in the same order)
    of those given (default: all the problem's)."""

    # Per location: stock per SKU, room (units it may still ship, at most the
    # order), days late, zone, cost per package, cost per unit of each line.
    stock: Ints
    room: Ints
    late: Ints
    zone: Ints
    fixed: Floats
    unit: Floats

    def __init__(
        self, problem: SourcingProblem, candidates: Sequence[Candidate] | None = None
    ) -> None:
        lines = problem.lines
        self.line_nos = [line.line_no for line in lines]
        self.skus = sorted({line.sku for line in lines})
        self.sku_of: Ints = np.array([self.skus.index(line.sku) for line in lines], np.int64)
        self.quantity: Ints = np.array([line.quantity for line in lines], np.int64)
        self.unit_weight: Floats = np.array([float(line.unit_weight_kg) for line in lines])
        self.need: Ints = np.bincount(self.sku_of, self.quantity, len(self.skus)).astype(np.int64)
        self.max_packages = problem.max_packages
        self.split_lines = problem.split_lines
        w = problem.weights
        self.extra_package = float(w.per_extra_package)
        self.per_day_late = None if w.per_day_late is None else float(w.per_day_late)
        self.zones: list[Steps] = []
        given = problem.candidates if candidates is None else candidates
        self.candidates = _Rows(self, problem).fill(given)
        self.ids = [c.location_id for c in self.candidates]
        # How far each ships to the customer: of plans that cost the same, the nearer.
        self.km: Floats = np.array(
            [
                math.inf if c.lane.distance_km is None else c.lane.distance_km
                for c in self.candidates
            ]
        )

    @property
    def size(self) -> int:
        return len(self.ids)

    def shipping(self, rows: Ints, kg: Floats) -> Floats:
        """The price of a package of `kg` from each of `rows` (same shapes)."""
        if len(self.zones) == 1:
            return self.zones[0].price(kg)
        out = np.empty(kg.shape)
        zone = self.zone[rows]
        for index, zone_steps in enumerate(self.zones):
            mine = zone == index
            if mine.any():
                out[mine] = zone_steps.price(kg[mine])
        return out

    def packages(self, rows: Ints, units: Ints) -> Floats:
        """What each package costs: `units[j]` per line from location `rows[j]`."""
        kg = units @ self.unit_weight
        handling: Floats = self.fixed[rows] + (self.unit[rows] * units).sum(axis=1)
        return handling + self.shipping(rows, kg)

    def lateness(self, days: Ints) -> Floats:
        late = days > 0
        if self.per_day_late is None:
            return np.where(late, np.inf, 0.0)
        return np.where(late, days * self.per_day_late, 0.0)

    def cost(self, plan: Ints) -> float:
        """A plan's cost: its packages, those beyond the first, its lateness."""
        rows = np.flatnonzero(plan.any(axis=1))
        if len(rows) == 0:
            return 0.0
        total = float(self.packages(rows, plan[rows]).sum())
        late = self.lateness(np.array([self.late[rows].max()]))
        return total + self.extra_package * (len(rows) - 1) + float(late[0])

    def take(self, remaining: Ints) -> Ints:
        """What each location can take of `remaining` on its own, as many units as it
        can within its stock (lines of one SKU share it) and its room; whole lines
        only where lines may not be split."""
        wanted = np.flatnonzero(remaining > 0)
        if not self.split_lines and 0 < len(wanted) <= WHOLE_LINES:
            shared = len(set(self.sku_of[wanted].tolist())) < len(wanted)
            if shared or bool((self.room < remaining.sum()).any()):
                return self._whole_lines(remaining, wanted)
        stock, room = self.stock.copy(), self.room.copy()
        out = np.zeros((len(room), len(self.quantity)), np.int64)
        for i in wanted.tolist():
            sku = self.sku_of[i]
            have = np.minimum(np.minimum(stock[:, sku], room), remaining[i])
            if not self.split_lines:
                have = np.where(have >= self.quantity[i], have, 0)
            out[:, i] = have
            stock[:, sku] -= have
            room -= have
        return out

    def _whole_lines(self, remaining: Ints, wanted: Ints) -> Ints:
        """Per location, the set of whole lines that ships most units; of equal sets,
        the one with the earlier lines. Line by line in order could take a small
        line and leave no stock or room for a larger one."""
        count = len(wanted)
        masks = np.arange(2**count - 1, -1, -1)[:, None] >> np.arange(count - 1, -1, -1)
        sets = np.zeros((2**count, len(self.quantity)), np.int64)
        sets[:, wanted] = (masks & 1) * remaining[wanted]
        units = sets.sum(axis=1)
        fits = (self.by_sku(sets)[None, :, :] <= self.stock[:, None, :]).all(axis=2)
        fits &= units[None, :] <= self.room[:, None]
        out: Ints = sets[np.argmax(np.where(fits, units[None, :], -1), axis=1)]
        return out

    def by_sku(self, units: Ints) -> Ints:
        """Units per line (last axis) summed per SKU."""
        out = np.zeros((*units.shape[:-1], len(self.skus)), np.int64)
        for i, sku in enumerate(self.sku_of.tolist()):
            out[..., sku] += units[..., i]
        return out


class _Rows:
    """Fills a table's per-location arrays in one pass per field over the candidates,
    turning each distinct decimal into a float once (locations share a few values),
    and keeps the usable ones, by location id."""

    def __init__(self, table: Table, problem: SourcingProblem) -> None:
        self.table, self.problem = table, problem
        table.zones = [steps(problem, zone) for zone in problem.card.zones]
        self.matchers = [zone.match.matches for zone in problem.card.zones]

    def fill(self, candidates: Sequence[Candidate]) -> tuple[Candidate, ...]:
        t, n = self.table, len(candidates)
        held = [c.available for c in candidates]
        stock = [have.get(sku, 0) for sku in t.skus for have in held]
        t.stock = np.maximum(np.array(stock, np.int64).reshape(len(t.skus), n).T, 0)
        t.room = np.array([UNLIMITED if c.units_left is None else c.units_left for c in candidates])
        t.late = np.array([c.days_late for c in candidates], np.int64)
        t.zone = np.array([self._zone(c.lane) for c in candidates], np.int64)
        self._costs([self.problem.costs.get(c.location_id, NO_COSTS) for c in candidates])
        return self._usable(candidates)

    def _usable(self, candidates: Sequence[Candidate]) -> tuple[Candidate, ...]:
        """Keeps the rows `usable` keeps, in its order; room at most the order."""
        t = self.table
        keep = (t.zone >= 0) & (t.stock > 0).any(axis=1) & (t.room > 0)
        if t.per_day_late is None:
            keep &= t.late <= 0
        keep &= np.array([c.orders_left is None or c.orders_left > 0 for c in candidates], bool)
        rows = sorted(np.flatnonzero(keep).tolist(), key=lambda k: candidates[k].location_id)
        t.stock, t.room, t.late = t.stock[rows], t.room[rows], t.late[rows]
        t.zone, t.fixed, t.unit = t.zone[rows], t.fixed[rows], t.unit[rows]
        t.room = np.minimum(t.room, int(t.quantity.sum()))
        return tuple(candidates[k] for k in rows)

    def _zone(self, lane: Lane) -> int:
        """The card's first zone that carries `lane` (as `RateCard.zone`, by index);
        -1: none does."""
        for index, matches in enumerate(self.matchers):
            if matches(lane):
                return index
        return -1

    def _costs(self, costs: Sequence[LocationCosts]) -> None:
        t, w, lines = self.table, self.problem.weights, self.problem.lines
        handling, labour = float(w.handling), float(w.labour)
        t.fixed = _floats([at.per_order for at in costs]) * handling
        per_unit = _floats([at.per_unit for at in costs]) * handling
        per_unit += _floats([at.store_labour_per_unit for at in costs]) * labour
        t.unit = np.repeat(per_unit[:, None], len(lines), axis=1)
        for k in [k for k, at in enumerate(costs) if at.markdown]:
            for i, line in enumerate(lines):
                share = costs[k].markdown.get(line.sku)
                if share:
                    t.unit[k, i] += float(line.unit_value * share * w.margin)


def _floats(values: Sequence[Decimal]) -> Floats:
    """Decimals as floats, each distinct value turned once."""
    seen: dict[Decimal, float] = {}
    return np.array([seen[v] if v in seen else seen.setdefault(v, float(v)) for v in values])
