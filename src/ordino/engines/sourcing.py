"""Sourcing: choose the location(s) that ship each order line.

The engine interface is `SourcingEngine.plan(demands, destination, stock)`; services
depend on the interface, so a later engine (rules and a cost optimiser) replaces
`NearestFirst` without touching them.

NearestFirst: the nearest location that can ship the whole order; otherwise the fewest
locations, each time taking the one that covers the most of what is left, the
nearer one on a tie. Lines are split across locations only when no single
location can fill them. Pure and deterministic: ties fall to the location id.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Protocol

from ordino.domain.geo import distance_km
from ordino.domain.inventory import StockAtLocation
from ordino.domain.sourcing import (
    Destination,
    LineDemand,
    PlannedAllocation,
    Shortfall,
    SourcingPlan,
)


class SourcingEngine(Protocol):
    def plan(
        self,
        demands: Sequence[LineDemand],
        destination: Destination,
        stock: Sequence[StockAtLocation],
    ) -> SourcingPlan: ...


class NearestFirst:
    def plan(
        self,
        demands: Sequence[LineDemand],
        destination: Destination,
        stock: Sequence[StockAtLocation],
    ) -> SourcingPlan:
        ranked = sorted(stock, key=lambda location: _rank(location, destination))
        whole = _first_that_covers(ranked, demands)
        if whole is not None:
            allocations = tuple(
                PlannedAllocation(d.line_no, d.sku, whole.location_id, d.quantity) for d in demands
            )
            return SourcingPlan(allocations, ())
        return _fewest_locations(ranked, demands)


def _rank(location: StockAtLocation, destination: Destination) -> tuple[float, int, str]:
    if location.point is not None and destination.point is not None:
        distance = distance_km(location.point, destination.point)
    else:
        distance = math.inf
    foreign = 0 if location.country == destination.country else 1
    return (distance, foreign, location.location_id)


def _first_that_covers(
    ranked: Sequence[StockAtLocation], demands: Sequence[LineDemand]
) -> StockAtLocation | None:
    needed = Counter[str]()
    for demand in demands:
        needed[demand.sku] += demand.quantity
    for location in ranked:
        if all(location.available.get(sku, 0) >= qty for sku, qty in needed.items()):
            return location
    return None


def _fewest_locations(
    ranked: Sequence[StockAtLocation], demands: Sequence[LineDemand]
) -> SourcingPlan:
    remaining = {d.line_no: d.quantity for d in demands}
    left = {loc.location_id: dict(loc.available) for loc in ranked}
    allocations: list[PlannedAllocation] = []
    while any(remaining.values()):
        whole = _fillable_whole(demands, remaining, left)
        best = _best_cover(ranked, demands, remaining, left, whole)
        if best is None:
            break
        allocations.extend(_take(best, demands, remaining, left[best], whole))
    return SourcingPlan(tuple(allocations), _shortfalls(demands, remaining, ranked))


def _fillable_whole(
    demands: Sequence[LineDemand], remaining: dict[int, int], left: dict[str, dict[str, int]]
) -> set[int]:
    """The lines whose remainder some single location still has whole."""
    return {
        d.line_no
        for d in demands
        if any(stock.get(d.sku, 0) >= remaining[d.line_no] for stock in left.values())
    }


def _portions(
    demands: Sequence[LineDemand],
    remaining: dict[int, int],
    available: dict[str, int],
    whole: set[int],
) -> list[tuple[LineDemand, int]]:
    """What one location would give each line: the line's remainder whole, or part of it
    only when no location has the whole remainder (so lines are split only then)."""
    pool = dict(available)
    portions = []
    for demand in demands:
        wanted, has = remaining[demand.line_no], pool.get(demand.sku, 0)
        if has < wanted and demand.line_no in whole:
            continue
        take = min(wanted, has)
        if take > 0:
            pool[demand.sku] = has - take
            portions.append((demand, take))
    return portions


def _best_cover(
    ranked: Sequence[StockAtLocation],
    demands: Sequence[LineDemand],
    remaining: dict[int, int],
    left: dict[str, dict[str, int]],
    whole: set[int],
) -> str | None:
    best, best_units = None, 0
    for location in ranked:  # nearest first, so a strict > keeps the nearer on a tie
        portions = _portions(demands, remaining, left[location.location_id], whole)
        units = sum(quantity for _, quantity in portions)
        if units > best_units:
            best, best_units = location.location_id, units
    return best


def _take(
    location_id: str,
    demands: Sequence[LineDemand],
    remaining: dict[int, int],
    available: dict[str, int],
    whole: set[int],
) -> list[PlannedAllocation]:
    taken = []
    for demand, quantity in _portions(demands, remaining, available, whole):
        available[demand.sku] -= quantity
        remaining[demand.line_no] -= quantity
        taken.append(PlannedAllocation(demand.line_no, demand.sku, location_id, quantity))
    return taken


def _shortfalls(
    demands: Sequence[LineDemand],
    remaining: dict[int, int],
    ranked: Sequence[StockAtLocation],
) -> tuple[Shortfall, ...]:
    total = Counter[str]()
    for location in ranked:
        total.update(location.available)
    return tuple(
        Shortfall(d.line_no, d.sku, d.quantity, total.get(d.sku, 0), remaining[d.line_no])
        for d in demands
        if remaining[d.line_no] > 0
    )
