"""The cost model in floats, for the heuristic's many trials: each candidate's
package price as a step function of weight and its per-order, per-unit and markdown
costs, worked out once per problem; a plan's cost then adds a few numbers. The plan
chosen is priced again in decimals by `ordino.engines.optimiser.evaluate`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from ordino.engines.optimiser import Assignment, Candidate, SourcingProblem


class FastCosts:
    def __init__(self, problem: SourcingProblem, candidates: Sequence[Candidate]) -> None:
        w = problem.weights
        self.extra_package = float(w.per_extra_package)
        self.per_day_late = None if w.per_day_late is None else float(w.per_day_late)
        self.lines = {line.line_no: line for line in problem.lines}
        self.unit_weight = {no: float(line.unit_weight_kg) for no, line in self.lines.items()}
        self.fixed: dict[str, float] = {}
        self.unit: dict[tuple[str, int], float] = {}  # (location, line) -> a unit's cost
        self.steps: dict[str, tuple[list[float], list[float], float | None, float, float]] = {}
        self.shipping = float(problem.weights.shipping)
        self.late: dict[str, int] = {}
        # Decimals to floats once per distinct value and zone: locations share them.
        self._handling: dict[tuple[Decimal, Decimal, Decimal], tuple[float, float]] = {}
        self._zones: dict[int, tuple[list[float], list[float], float | None, float, float]] = {}
        for c in candidates:
            self._prepare(problem, c)

    def _prepare(self, problem: SourcingProblem, c: Candidate) -> None:
        w = problem.weights
        at = problem.costs.get(c.location_id)
        fixed, unit = 0.0, 0.0
        if at is not None:
            key = (at.per_order, at.per_unit, at.store_labour_per_unit)
            if key not in self._handling:
                self._handling[key] = (
                    float(at.per_order * w.handling),
                    float(at.per_unit * w.handling + at.store_labour_per_unit * w.labour),
                )
            fixed, unit = self._handling[key]
        self.fixed[c.location_id] = fixed
        for no, line in self.lines.items():
            markdown = at.markdown.get(line.sku) if at is not None and at.markdown else None
            lost = float(line.unit_value * markdown * w.margin) if markdown else 0.0
            self.unit[(c.location_id, no)] = unit + lost
        zone = problem.card.zone(c.lane)
        assert zone is not None
        if id(zone) not in self._zones:
            card = problem.card
            caps = [float(b.up_to_kg) for b in zone.breaks]
            prices = [float(card.charge(b.price)) * float(w.shipping) for b in zone.breaks]
            extra = None if zone.per_extra_kg is None else float(zone.per_extra_kg)
            last = float(card.base_per_package + zone.breaks[-1].price)
            self._zones[id(zone)] = (caps, prices, extra, last, float(card.minimum_charge))
        self.steps[c.location_id] = self._zones[id(zone)]
        self.late[c.location_id] = c.days_late

    def package(self, location_id: str, units: dict[int, int]) -> float:
        """One package from `location_id` of `units` per line: shipping and handling."""
        weight = sum(self.unit_weight[no] * n for no, n in units.items())
        cost = self.fixed[location_id] + sum(
            self.unit[(location_id, no)] * n for no, n in units.items()
        )
        return cost + self._shipping(location_id, weight)

    def _shipping(self, location_id: str, weight: float) -> float:
        caps, prices, extra, last, minimum = self.steps[location_id]
        for cap, price in zip(caps, prices, strict=True):
            if weight <= cap + 1e-9:
                return price
        if extra is None:
            return math.inf
        return max(minimum, last + math.ceil(weight - caps[-1] - 1e-9) * extra) * self.shipping

    def plan(self, assignments: Sequence[Assignment]) -> float:
        by_location: dict[str, dict[int, int]] = {}
        for a in assignments:
            held = by_location.setdefault(a.location_id, {})
            held[a.line_no] = held.get(a.line_no, 0) + a.quantity
        if not by_location:
            return 0.0
        total = sum(self.package(at, units) for at, units in by_location.items())
        total += self.extra_package * (len(by_location) - 1)
        late = max(self.late[at] for at in by_location)
        if late > 0:
            total += math.inf if self.per_day_late is None else self.per_day_late * late
        return total
