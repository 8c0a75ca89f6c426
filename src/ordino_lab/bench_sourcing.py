"""`ordino bench sourcing`: the optimiser on generated problems, in process.

`--mode gap`: small problems (20 candidates, 3 lines by default) solved by the
heuristic and by the exact model; the heuristic's cost above the optimum, as a
distribution, the split rate of both, and their times. `--mode decision`: 5-line
orders over 1,000 candidates, the time of a decision (`solve`, which takes the
heuristic at that size): p50, p95, p99 and the slowest.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import click

from ordino.kernel.domain.geo import Point
from ordino.network.domain.carriers import Lane, LaneMatch
from ordino.network.domain.costs import CostWeights, LocationCosts, RateCard, RateZone, WeightBreak
from ordino.network.domain.locations import Address, Location, LocationType
from ordino.sourcing.domain.profiles import Filters, SourcingProfile, Strategy
from ordino.sourcing.engine.optimise import solve
from ordino.sourcing.engine.optimiser import Candidate, Solution, SourcingLine, SourcingProblem
from ordino.sourcing.engine.optimiser_greedy import heuristic
from ordino.sourcing.engine.optimiser_mip import exact
from ordino.sourcing.engine.rules import SourcingRequest, SourcingSite, decide
from ordino_lab.bench import bench, json_option, machine, report

D = Decimal
CARD = RateCard(
    "bench-parcel",
    "EUR",
    (
        RateZone(
            LaneMatch(max_km=300),
            (
                WeightBreak(D(1), D("3.20")),
                WeightBreak(D(5), D("4.40")),
                WeightBreak(D(10), D("6.10")),
            ),
            D("0.45"),
        ),
        RateZone(
            LaneMatch(),
            (
                WeightBreak(D(1), D("4.60")),
                WeightBreak(D(5), D("6.30")),
                WeightBreak(D(10), D("8.90")),
            ),
            D("0.70"),
        ),
    ),
    base_per_package=D("0.40"),
    minimum_charge=D("3.50"),
)


def generated(rng: random.Random, candidates: int, lines: int) -> SourcingProblem:
    """Locations anywhere in Germany with sparse stock (most hold a SKU or not at all),
    handling costs that differ, a customer anywhere."""
    customer = Point(rng.uniform(47.5, 54.5), rng.uniform(6.5, 14.5))
    skus = [f"S{n}" for n in range(lines)]
    order = tuple(
        SourcingLine(
            n + 1, sku, rng.choice((1, 1, 2, 3)), D(rng.choice(("0.4", "0.9", "2.5"))), D(30)
        )
        for n, sku in enumerate(skus)
    )
    sites, costs = [], {}
    for n in range(candidates):
        at = f"L{n:04d}"
        point = Point(rng.uniform(47.5, 54.5), rng.uniform(6.5, 14.5))
        stock = {sku: rng.choice((0, 0, 0, 1, 2, 4, 8)) for sku in skus}
        sites.append(Candidate(at, Lane.between("DE", point, "DE", customer), stock))
        costs[at] = LocationCosts(
            per_order=D(rng.choice(("0.80", "1.50", "2.40"))),
            per_unit=D(rng.choice(("0.10", "0.25"))),
            store_labour_per_unit=D(rng.choice(("0", "0", "0.90"))),
        )
    weights = CostWeights(per_extra_package=D("1.50"))
    return SourcingProblem(order, tuple(sites), CARD, costs, weights)


def _packages(found: Solution) -> int:
    return len({a.location_id for a in found.assignments})


@bench.command("sourcing")
@click.option("--mode", type=click.Choice(["gap", "decision"]), default="gap", show_default=True)
@click.option("--problems", default=200, show_default=True)
@click.option("--candidates", default=None, type=int, help="Default: 20 (gap), 1,000 (decision).")
@click.option("--lines", default=None, type=int, help="Default: 3 (gap), 5 (decision).")
@click.option("--seed", default=1, show_default=True)
@json_option
def sourcing_command(
    mode: str,
    problems: int,
    candidates: int | None,
    lines: int | None,
    seed: int,
    json_path: Path | None,
) -> None:
    """The sourcing optimiser on generated problems (no database)."""
    rng = random.Random(seed)
    if mode == "gap":
        figures = _gap(rng, problems, candidates or 20, lines or 3)
    else:
        figures = _decision(rng, problems, candidates or 1_000, lines or 5)
    figures |= {"machine": machine(), "date": datetime.now(UTC).isoformat(timespec="seconds")}
    report(figures, json_path)


def _gap(rng: random.Random, count: int, candidates: int, lines: int) -> dict[str, object]:
    gaps, quick_times, exact_times, optimal = [], [], [], 0
    totals = [Decimal(0), Decimal(0)]  # heuristic, exact
    splits = {"heuristic": 0, "exact": 0}
    compared = 0
    with click.progressbar(range(count), label="problems", file=sys.stderr) as bar:
        for _ in bar:
            problem = generated(rng, candidates, lines)
            started = time.perf_counter()
            quick = heuristic(problem)
            quick_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            proven = exact(problem, effort=None)
            exact_times.append(time.perf_counter() - started)
            if proven is None or proven.filled != quick.filled or proven.total == 0:
                continue
            compared += 1
            optimal += proven.optimal
            gaps.append(float((quick.total - proven.total) / proven.total * 100))
            totals[0] += quick.total
            totals[1] += proven.total
            splits["heuristic"] += _packages(quick) > 1
            splits["exact"] += _packages(proven) > 1
    gaps.sort()
    return {
        "benchmark": "sourcing gap",
        "problems": count,
        "compared": compared,
        "proven_optimal": optimal,
        "candidates": candidates,
        "lines": lines,
        "total_cost_heuristic": str(totals[0]),
        "total_cost_exact": str(totals[1]),
        "total_gap_percent": round(float((totals[0] - totals[1]) / totals[1] * 100), 3)
        if totals[1]
        else None,
        "gap_percent_mean": round(statistics.fmean(gaps), 3) if gaps else None,
        "gap_percent_median": round(gaps[len(gaps) // 2], 3) if gaps else None,
        "gap_percent_p95": round(gaps[int(len(gaps) * 0.95)], 3) if gaps else None,
        "gap_percent_max": round(gaps[-1], 3) if gaps else None,
        "within_1_percent": round(sum(g <= 1 for g in gaps) / len(gaps), 4) if gaps else None,
        "split_rate_heuristic": round(splits["heuristic"] / max(1, compared), 4),
        "split_rate_exact": round(splits["exact"] / max(1, compared), 4),
        "heuristic_ms_median": round(statistics.median(quick_times) * 1000, 2),
        "exact_ms_median": round(statistics.median(exact_times) * 1000, 2),
        "exact_ms_max": round(max(exact_times) * 1000, 2),
    }


# A decision as an order gets it: a profile's filters, then its strategies in order,
# the explanation's alternatives priced.
PROFILE = SourcingProfile(
    "bench",
    frozenset({"web"}),
    (Strategy("one package", max_packages=1), Strategy("split", max_packages=3)),
    Filters(exclude=frozenset({"L0000"})),
    CostWeights(per_extra_package=D("1.50")),
)


def _decision(rng: random.Random, count: int, candidates: int, lines: int) -> dict[str, object]:
    """`decide` by a profile (the decision an order gets) and, on the same orders,
    `solve` alone (the optimiser)."""
    times: list[float] = []
    optimiser: list[float] = []
    with click.progressbar(range(count), label="orders", file=sys.stderr) as bar:
        for _ in bar:
            problem = generated(rng, candidates, lines)
            sites = tuple(
                SourcingSite(_location(c, n), c) for n, c in enumerate(problem.candidates)
            )
            request = SourcingRequest(PROFILE, problem.lines, sites, CARD, problem.costs)
            started = time.perf_counter()
            decide(request)
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            solve(problem)
            optimiser.append(time.perf_counter() - started)
    return {
        "benchmark": "sourcing decision",
        "orders": count,
        "candidates": candidates,
        "lines": lines,
        **_percentiles(times, ""),
        **_percentiles(optimiser, "optimiser_"),
    }


def _percentiles(times: list[float], prefix: str) -> dict[str, float]:
    times = sorted(times)

    def at(share: float) -> float:
        return round(times[min(len(times) - 1, int(len(times) * share))] * 1000, 2)

    return {
        f"{prefix}p50_ms": at(0.5),
        f"{prefix}p95_ms": at(0.95),
        f"{prefix}p99_ms": at(0.99),
        f"{prefix}max_ms": round(times[-1] * 1000, 2),
    }


def _location(candidate: Candidate, n: int) -> Location:
    point = candidate.lane.origin
    kind = LocationType.STORE if n % 4 else LocationType.WAREHOUSE
    return Location(
        candidate.location_id,
        candidate.location_id,
        kind,
        Address("Str. 1", "Ort", "10115", "DE"),
        point,
        "Europe/Berlin",
        ships=True,
        pickup=kind is LocationType.STORE,
        returns=True,
    )
