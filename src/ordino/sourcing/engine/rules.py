"""A sourcing decision by a profile: its filters exclude locations (each exclusion
recorded with its rule), then its strategies are tried in order, each solved by the
optimiser over the locations it admits, until one fills the order; a `backorder`
strategy takes the best partial plan and leaves the rest to wait for supply, a
`cancel` strategy (or running out of strategies) refuses what cannot be filled.
Pure and deterministic; the decision carries all it needs to explain itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

from ordino.network.domain import Location, LocationCosts, RateCard
from ordino.sourcing.domain.profiles import SourcingProfile, StrategyKind
from ordino.sourcing.engine.optimise import EXACT_EFFORT, solve
from ordino.sourcing.engine.optimiser import (
    Assignment,
    Candidate,
    Solution,
    SourcingLine,
    SourcingProblem,
    better,
    evaluate,
)


class Outcome(StrEnum):
    SOURCED = "sourced"  # every unit allocated
    BACKORDERED = "backordered"  # some units wait for supply
    REFUSED = "refused"  # some units cannot be had


@dataclass(frozen=True)
class SourcingSite:
    location: Location
    candidate: Candidate


@dataclass(frozen=True)
class Excluded:
    location_id: str
    rule: str


@dataclass(frozen=True)
class Tried:
    strategy: str
    candidates: int
    filled: int
    total: Decimal | None
    method: str


@dataclass(frozen=True)
class Alternative:
    """A plan the decision did not take, and what it would have cost."""

    location_ids: tuple[str, ...]
    total: Decimal


@dataclass(frozen=True)
class Decision:
    profile: str
    version: int
    outcome: Outcome
    strategy: str  # the one that decided
    solution: Solution
    excluded: tuple[Excluded, ...]
    tried: tuple[Tried, ...]
    cancel_after_days: int | None = None  # of a backorder
    alternatives: tuple[Alternative, ...] = ()

    @property
    def waiting(self) -> Mapping[int, int]:
        """Per line, the units backordered or refused."""
        return self.solution.unfilled


@dataclass(frozen=True)
class SourcingRequest:
    """An order to source: its profile, lines, the sites that could ship (each a
    location and what it can give), the rate card of its service, what each location
    costs, and the locations that turned this order down (never chosen again)."""

    profile: SourcingProfile
    lines: tuple[SourcingLine, ...]
    sites: tuple[SourcingSite, ...]
    card: RateCard
    costs: Mapping[str, LocationCosts] = field(default_factory=dict)
    rejected: frozenset[str] = frozenset()


def decide(request: SourcingRequest, effort: int | None = EXACT_EFFORT) -> Decision:
    profile, lines, card, costs = request.profile, request.lines, request.card, request.costs
    admitted, excluded = _filtered(profile, request.sites, request.rejected)
    run = _Run(profile, tuple(lines), excluded)
    best: Solution | None = None
    for strategy in profile.strategies:
        if strategy.kind is StrategyKind.BACKORDER:
            return run.decision(
                Outcome.BACKORDERED, strategy.name, best, strategy.cancel_after_days
            )
        if strategy.kind is StrategyKind.CANCEL:
            return run.decision(Outcome.REFUSED, strategy.name, best)
        scope = tuple(
            s.candidate
            for s in admitted
            if strategy.admits(s.location, s.candidate.lane.distance_km)
        )
        problem = SourcingProblem(
            tuple(lines),
            scope,
            card,
            costs,
            profile.weights,
            strategy.max_packages,
            strategy.split_lines,
        )
        found = solve(problem, effort)
        total = found.total if found.cost is not None else None
        run.tried.append(Tried(strategy.name, len(scope), found.filled, total, found.method))
        if not found.unfilled:
            return run.decision(
                Outcome.SOURCED, strategy.name, found, alternatives=_alternatives(problem, found)
            )
        if best is None or better(found, best):
            best = found
    return run.decision(Outcome.REFUSED, profile.strategies[-1].name, best)


def _filtered(
    profile: SourcingProfile, sites: Sequence[SourcingSite], rejected: frozenset[str]
) -> tuple[list[SourcingSite], tuple[Excluded, ...]]:
    admitted, excluded = [], []
    keep = profile.filters.min_stock_left
    for site in sorted(sites, key=lambda s: s.location.id):
        rule = profile.filters.excludes(site.location, site.candidate.lane.distance_km)
        if rule is None and site.location.id in rejected:
            rule = REJECTED
        if rule is not None:
            excluded.append(Excluded(site.location.id, rule))
        elif keep:
            held = site.candidate.available
            available = {sku: max(0, n - keep) for sku, n in held.items()}
            admitted.append(replace(site, candidate=replace(site.candidate, available=available)))
        else:
            admitted.append(site)
    return admitted, tuple(excluded)


REJECTED = "rejected"  # the location turned the order down
ALTERNATIVES = 3  # single-location plans an explanation shows beside the chosen one


def _alternatives(problem: SourcingProblem, chosen: Solution) -> tuple[Alternative, ...]:
    """The cheapest plans from one location, other than the chosen one: what the
    choice is measured against (the optimiser ranked them, each a location that ships
    everything alone within its capacity; priced here in decimals)."""
    taken = {a.location_id for a in chosen.assignments}
    found = []
    for at in chosen.runners_up:
        if {at} == taken:
            continue
        plan = [Assignment(line.line_no, at, line.quantity) for line in problem.lines]
        priced = evaluate(problem, plan)
        if priced is not None:
            found.append(Alternative((at,), priced.total))
    return tuple(sorted(found, key=lambda a: (a.total, a.location_ids))[:ALTERNATIVES])


@dataclass
class _Run:
    profile: SourcingProfile
    lines: tuple[SourcingLine, ...]
    excluded: tuple[Excluded, ...]
    tried: list[Tried] = field(default_factory=list)

    def decision(
        self,
        outcome: Outcome,
        strategy: str,
        found: Solution | None,
        cancel_after_days: int | None = None,
        alternatives: tuple[Alternative, ...] = (),
    ) -> Decision:
        if found is None:
            unfilled = {line.line_no: line.quantity for line in self.lines}
            found = Solution((), unfilled, None, "none")
        if outcome is Outcome.BACKORDERED and not found.unfilled:
            outcome = Outcome.SOURCED
        return Decision(
            self.profile.name,
            self.profile.version,
            outcome,
            strategy,
            found,
            self.excluded,
            tuple(self.tried),
            cancel_after_days if outcome is Outcome.BACKORDERED else None,
            alternatives,
        )
