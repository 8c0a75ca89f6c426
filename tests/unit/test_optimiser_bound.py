"""The bound that spares the exact model: whenever it calls a single-location plan
optimal, the exact model finds nothing cheaper."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings

from ordino.engines.optimiser import SourcingProblem, usable
from ordino.engines.optimiser_bound import proven_single
from ordino.engines.optimiser_greedy import heuristic
from ordino.engines.optimiser_mip import exact
from tests.unit.test_optimiser import problems


@settings(max_examples=300, deadline=None)
@given(problems())
def test_a_plan_the_bound_proves_is_as_cheap_as_the_exact_optimum(
    problem: SourcingProblem,
) -> None:
    # (It proves about 4 in 5 of the generated single-location plans complete.)
    candidates = usable(problem)
    quick = heuristic(problem, candidates)
    if not candidates or not proven_single(problem, candidates, quick):
        return
    optimum = exact(problem, 10.0, candidates)
    assert optimum is not None
    assert optimum.filled == quick.filled
    assert quick.total <= optimum.total + Decimal("0.000001")
