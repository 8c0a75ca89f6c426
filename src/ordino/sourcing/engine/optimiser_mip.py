"""The exact sourcing model: a mixed-integer programme solved by HiGHS.

Variables per usable location k and line i: the units x[k,i] (integer; with
`split_lines` off, a whole line or nothing: x = quantity * w, w binary); y[k] = 1 when
k ships; u[i] the units of line i left unfilled. Shipping is the rate card's step
function of the package's weight: one binary z[k,b] per weight break (the package
weighs at most that break's kilograms and pays its price), or the extra region (the
last break's price plus e[k] whole kilograms above it); at least the minimum charge.
Lateness: L, at least the days late of every location used. The objective is the
cost model's, with a penalty per unfilled unit far above any cost, so filling comes
first. The answer is checked and priced again by `evaluate`, in decimals.

How long it may search is counted in HiGHS's own steps, never in seconds: HiGHS
stops to ask whether to go on at fixed points of its search (its MIP interrupt
callback), and with one thread and a fixed seed it passes the same points in the
same order whatever the machine is doing. A budget of such checks therefore gives
the same plan for the same problem on a quiet machine and on a loaded one; a time
limit did not (of 531 problems of a simulated day, 210 came out differently with
the cores busy).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import highspy

from ordino.sourcing.engine.highs import quiet_highs
from ordino.sourcing.engine.optimiser import (
    Assignment,
    Candidate,
    Solution,
    SourcingProblem,
    feasible,
    solution,
    usable,
)

UNFILLED = 1e7  # per unit: more than any plan's cost
HEAVY = 1e6  # kilograms: no package weighs more


def exact(
    problem: SourcingProblem,
    effort: int | None,
    candidates: tuple[Candidate, ...] | None = None,
) -> Solution | None:
    """The optimal plan, or the best found within `effort` of HiGHS's checks (then not
    marked optimal; None: search to the optimum); None when HiGHS found none.
    `candidates`: `usable(problem)`, when the caller has it already."""
    candidates = usable(problem) if candidates is None else candidates
    if not candidates:
        return None
    model = _Model(problem, candidates)
    status = model.run(effort)
    if status is None:
        return None
    assignments = model.assignments()
    if not feasible(problem, assignments):
        return None
    return solution(problem, assignments, "exact", optimal=status)


class _Budget:
    """Interrupts HiGHS at its check after the `effort`-th (see the module's
    docstring: counted in its steps, so the same wherever it runs)."""

    def __init__(self, effort: int) -> None:
        self.left = effort

    def __call__(self, event: Any) -> None:
        self.left -= 1
        if self.left < 0:
            event.interrupt()


class _Model:
    def __init__(self, problem: SourcingProblem, candidates: tuple[Candidate, ...]) -> None:
        self.problem, self.candidates = problem, candidates
        self.h = quiet_highs()
        self.h.setOptionValue("threads", 1)
        self.h.setOptionValue("random_seed", 0)
        self.x: dict[tuple[int, int], Any] = {}
        self.y: list[Any] = []
        self.objective: list[Any] = []
        self._build()

    def run(self, effort: int | None) -> bool | None:
        """True: proven optimal; False: a plan, not proven; None: no plan."""
        if effort is not None:
            self.h.cbMipInterrupt.subscribe(_Budget(effort))
        self.h.setOptionValue("mip_rel_gap", 1e-9)
        self.h.minimize(sum(self.objective))
        status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            return True
        if self.h.getInfo().primal_solution_status == 2:  # feasible
            return False
        return None

    def assignments(self) -> list[Assignment]:
        found = []
        for (k, i), var in self.x.items():
            quantity = round(self.h.val(var))
            if quantity > 0:
                line = self.problem.lines[i]
                found.append(Assignment(line.line_no, self.candidates[k].location_id, quantity))
        return found

    def _build(self) -> None:
        problem, h = self.problem, self.h
        for k, c in enumerate(self.candidates):
            self.y.append(h.addVariable(lb=0, ub=1, type=highspy.HighsVarType.kInteger))
            for i, line in enumerate(problem.lines):
                top = min(line.quantity, c.available.get(line.sku, 0))
                if top > 0:
                    self.x[(k, i)] = self._units(line.quantity, top, k)
        self._cover()
        for k, c in enumerate(self.candidates):
            self._location(k, c)
        if problem.max_packages is not None:
            h.addConstr(sum(self.y) <= problem.max_packages)
        self._lateness()
        extra = float(problem.weights.per_extra_package)
        self.objective.append(extra * sum(self.y))

    def _units(self, quantity: int, top: int, k: int) -> Any:
        h = self.h
        if self.problem.split_lines:
            x = h.addVariable(lb=0, ub=top, type=highspy.HighsVarType.kInteger)
            h.addConstr(x <= quantity * self.y[k])
            return x
        if top < quantity:
            return h.addVariable(lb=0, ub=0)
        whole = h.addVariable(lb=0, ub=1, type=highspy.HighsVarType.kInteger)
        h.addConstr(whole <= self.y[k])
        return quantity * whole

    def _cover(self) -> None:
        h = self.h
        for i, line in enumerate(self.problem.lines):
            terms = [x for (_, j), x in self.x.items() if j == i]
            short = h.addVariable(lb=0, ub=line.quantity, type=highspy.HighsVarType.kInteger)
            h.addConstr(sum(terms) + short == line.quantity)
            self.objective.append(UNFILLED * short)

    def _location(self, k: int, c: Candidate) -> None:
        h, problem, y = self.h, self.problem, self.y[k]
        lines = problem.lines
        mine = {i: x for (at, i), x in self.x.items() if at == k}
        by_sku: dict[str, list[Any]] = defaultdict(list)
        for i, x in mine.items():
            by_sku[lines[i].sku].append(x)
        for sku, xs in by_sku.items():
            h.addConstr(sum(xs) <= c.available.get(sku, 0))
        if not mine:
            h.addConstr(y <= 0)
            return
        units: Any = sum(mine.values())
        if c.units_left is not None:
            h.addConstr(units <= c.units_left)
        weight = sum(float(lines[i].unit_weight_kg) * x for i, x in mine.items())
        self.objective.append(self._shipping(c, y, weight))
        self.objective.append(self._handling(c, y, mine))

    def _shipping(self, c: Candidate, y: Any, weight: Any) -> Any:
        """The package's price as a variable: the rate card's step function."""
        h, card, w = self.h, self.problem.card, self.problem.weights
        zone = card.zone(c.lane)
        assert zone is not None  # `usable` keeps carried locations only
        choices, caps, prices = [], [], []
        for weight_break in zone.breaks:
            choices.append(h.addVariable(lb=0, ub=1, type=highspy.HighsVarType.kInteger))
            caps.append(float(weight_break.up_to_kg))
            prices.append(float(card.charge(weight_break.price)))
        extra_kg = None
        if zone.per_extra_kg is not None:
            beyond = h.addVariable(lb=0, ub=1, type=highspy.HighsVarType.kInteger)
            extra_kg = h.addVariable(lb=0, ub=HEAVY, type=highspy.HighsVarType.kInteger)
            h.addConstr(extra_kg >= weight - caps[-1] - HEAVY * (1 - beyond))
            choices.append(beyond)
            caps.append(HEAVY)
        h.addConstr(sum(choices) == y)
        h.addConstr(weight <= sum(cap * z for cap, z in zip(caps, choices, strict=True)))
        price = h.addVariable(lb=0, ub=highspy.kHighsInf)
        h.addConstr(price >= sum(p * z for p, z in zip(prices, choices, strict=False)))
        h.addConstr(price >= float(card.minimum_charge) * y)
        if extra_kg is not None and zone.per_extra_kg is not None:
            last = float(card.base_per_package + zone.breaks[-1].price)
            h.addConstr(price >= last * choices[-1] + float(zone.per_extra_kg) * extra_kg)
        return float(w.shipping) * price

    def _handling(self, c: Candidate, y: Any, mine: dict[int, Any]) -> Any:
        w = self.problem.weights
        at = self.problem.costs.get(c.location_id)
        if at is None:
            return 0
        lines = self.problem.lines
        per_unit = float(at.per_unit) * float(w.handling) + float(at.store_labour_per_unit) * float(
            w.labour
        )
        markdown = sum(
            float(lines[i].unit_value * at.markdown.get(lines[i].sku, Decimal(0)) * w.margin) * x
            for i, x in mine.items()
        )
        units = sum(mine.values())
        return float(at.per_order * w.handling) * y + per_unit * units + markdown

    def _lateness(self) -> None:
        per_day = self.problem.weights.per_day_late
        if per_day is None:
            return
        h = self.h
        late = h.addVariable(lb=0, ub=highspy.kHighsInf)
        for k, c in enumerate(self.candidates):
            if c.days_late > 0:
                h.addConstr(late >= c.days_late * self.y[k])
        self.objective.append(float(per_day) * late)
