"""The heuristic's shortcuts keep its promises: its table holds the usable candidates
and prices any plan as the cost model does; the floors are lower bounds, so a plan
they prove the cheapest is; plans of up to two packages are found exactly; and a
shortlist cut short never loses units that one location could ship."""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal
from unittest.mock import patch

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ordino.kernel.domain.geo import Point
from ordino.network.domain.carriers import Lane
from ordino.sourcing.engine import optimiser_pairs
from ordino.sourcing.engine.optimiser import (
    Assignment,
    Candidate,
    SourcingLine,
    SourcingProblem,
    evaluate,
    feasible,
    usable,
)
from ordino.sourcing.engine.optimiser_fast import Ints, Table
from ordino.sourcing.engine.optimiser_floors import (
    floors,
    least_from,
    least_from_two_roughly,
    pair_floors,
)
from ordino.sourcing.engine.optimiser_greedy import heuristic, search
from ordino.sourcing.engine.optimiser_mip import exact
from tests.sourcing.test_optimiser import CARD, CUSTOMER, problems

D = Decimal


def _matrix(t: Table, assignments: list[Assignment] | tuple[Assignment, ...]) -> Ints:
    plan = np.zeros((t.size, len(t.line_nos)), np.int64)
    for a in assignments:
        plan[t.ids.index(a.location_id), t.line_nos.index(a.line_no)] += a.quantity
    return plan


@st.composite
def whole_plans(draw: st.DrawFn, problem: SourcingProblem) -> list[Assignment]:
    """Any plan over usable candidates that ships every unit (stock not minded)."""
    ids = [c.location_id for c in usable(problem)]
    plan = []
    for line in problem.lines:
        first = draw(st.sampled_from(ids))
        part = draw(st.integers(0, line.quantity))
        plan.append(Assignment(line.line_no, first, part))
        plan.append(Assignment(line.line_no, draw(st.sampled_from(ids)), line.quantity - part))
    return [a for a in plan if a.quantity]


@settings(max_examples=150, deadline=None)
@given(problems(most=8))
def test_the_table_holds_the_usable_candidates_in_their_order(problem: SourcingProblem) -> None:
    assert Table(problem).candidates == usable(problem)
    assert Table(problem, usable(problem)).candidates == usable(problem)


@settings(max_examples=150, deadline=None)
@given(problems(), st.data())
def test_the_table_prices_any_plan_as_the_cost_model_does(
    problem: SourcingProblem, data: st.DataObject
) -> None:
    if not usable(problem):
        return
    plan = data.draw(whole_plans(problem))
    t = Table(problem)
    priced = evaluate(problem, plan)
    if priced is None:
        assert t.cost(_matrix(t, plan)) == math.inf
    else:
        assert math.isclose(t.cost(_matrix(t, plan)), float(priced.total), abs_tol=1e-6)


@settings(max_examples=150, deadline=None)
@given(problems(most=8), st.data())
def test_no_plan_costs_less_than_its_floor(problem: SourcingProblem, data: st.DataObject) -> None:
    if not usable(problem):
        return
    plan = data.draw(whole_plans(problem))
    packages = len({a.location_id for a in plan})
    t = Table(problem)
    f = floors(t)
    cost = t.cost(_matrix(t, plan))
    if problem.max_packages is None or packages <= problem.max_packages:
        assert cost >= least_from(t, f, packages) - 1e-9
        if packages >= 2:
            assert cost >= least_from_two_roughly(t) - 1e-9
    if packages == 2:
        a, b = sorted({t.ids.index(a.location_id) for a in plan})
        assert cost >= pair_floors(t, f, np.array([a]), np.array([b]))[0] - 1e-9


@settings(max_examples=150, deadline=None)
@given(problems(most=8))
def test_a_plan_the_floors_prove_the_cheapest_is(problem: SourcingProblem) -> None:
    found = search(problem)
    if not found.proven:
        return
    proven = exact(problem, effort=None)
    if proven is None:
        assert found.solution.filled == 0
        return
    assert (found.solution.filled, found.solution.total) == (proven.filled, proven.total)


@settings(max_examples=150, deadline=None)
@given(problems(most=8))
def test_plans_of_up_to_two_packages_are_found_exactly(problem: SourcingProblem) -> None:
    proven = exact(problem, effort=None)
    if proven is None or proven.unfilled:
        return
    if len({a.location_id for a in proven.assignments}) > 2:
        return
    quick = heuristic(problem)
    assert (quick.filled, quick.total) == (proven.filled, proven.total)


@settings(max_examples=100, deadline=None)
@given(problems(most=8))
def test_a_shortlist_cut_short_keeps_what_one_location_could_ship(
    problem: SourcingProblem,
) -> None:
    with (
        patch.object(optimiser_pairs, "SHORTLIST", 2),
        patch.object(optimiser_pairs, "WORK", 8),
    ):
        found = heuristic(problem)
    assert feasible(problem, found.assignments)
    one = exact(replace(problem, max_packages=1), effort=None)
    assert found.filled >= (0 if one is None else one.filled)


def test_lines_of_thousands_of_units_are_sourced_within_stock() -> None:
    near, far = Point(52.40, 13.05), Point(48.14, 11.58)
    problem = SourcingProblem(
        (SourcingLine(1, "A", 2_500, D("0.1")), SourcingLine(2, "B", 1_200, D("0.1"))),
        (
            Candidate("FAR", Lane.between("DE", far, "DE", CUSTOMER), {"A": 3_000, "B": 900}),
            Candidate("MID", Lane.between("DE", far, "DE", CUSTOMER), {"A": 400, "B": 300}),
            Candidate("NEAR", Lane.between("DE", near, "DE", CUSTOMER), {"A": 1_000}),
        ),
        CARD,
    )
    found = heuristic(problem)
    assert feasible(problem, found.assignments)
    assert (found.filled, found.unfilled) == (3_700, {})
    assert heuristic(problem) == found
