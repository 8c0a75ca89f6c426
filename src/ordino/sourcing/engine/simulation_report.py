"""What a simulated day comes to: orders by outcome, cost, split rate, promises
kept, the strategies that decided, and what each location shipped against its
capacity.

Definitions (docs/simulation.md): every order is sourced, backordered or refused,
and the three add up to the orders; the cost is money (each part at its price, as
the rate cards and location costs give it), the objective is the profile's
(weighted, with its package and lateness penalties), so two profiles compare on
the cost; a split order ships in more than one package, out of the orders that
ship anything; a promise is kept when the whole order is sourced and every
package arrives by its `deliver_by`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ordino.network.domain import CostBreakdown, LocationOperations
from ordino.sourcing.domain.profiles import SourcingProfile
from ordino.sourcing.domain.scenario import Scenario, ScenarioOrder
from ordino.sourcing.engine.optimiser import Candidate
from ordino.sourcing.engine.rules import Decision, Outcome

NOTHING = CostBreakdown(*(Decimal(0),) * 6)


@dataclass(frozen=True)
class LocationUse:
    """What a location shipped, and its capacity on its busiest day."""

    location_id: str
    type: str
    packages: int
    units: int
    limit: int | None = None  # per day; None: no limit
    unit: str | None = None  # "orders" or "units"
    busiest_day: date | None = None
    busiest: int = 0  # capacity used that day

    @property
    def use(self) -> float | None:
        if not self.limit:
            return None
        return self.busiest / self.limit


@dataclass(frozen=True)
class SimulationReport:
    scenario: str
    profile: str
    profile_version: int
    currency: str
    orders: int
    outcomes: Mapping[Outcome, int]
    units: int
    units_filled: int
    shipping_orders: int  # orders that ship anything
    packages: int
    split_orders: int
    promises_kept: int
    late_orders: int  # orders with a package due after `deliver_by`
    cost: CostBreakdown  # money: each part at its price
    objective: CostBreakdown  # as the profile weighs it
    strategies: Mapping[str, int]  # the strategy that decided, per order
    packages_by_type: Mapping[str, int]
    locations: tuple[LocationUse, ...]  # busiest first
    stock_left: Mapping[str, Mapping[str, int]]  # per location and SKU, at the end

    def count(self, outcome: Outcome) -> int:
        return self.outcomes.get(outcome, 0)

    @property
    def split_rate(self) -> float:
        return self.split_orders / self.shipping_orders if self.shipping_orders else 0.0

    @property
    def promises_kept_rate(self) -> float:
        return self.promises_kept / self.orders if self.orders else 0.0

    @property
    def cost_per_order(self) -> Decimal:
        if not self.shipping_orders:
            return Decimal(0)
        return (self.cost.total / self.shipping_orders).quantize(Decimal("0.01"))


@dataclass
class Tally:
    scenario: Scenario
    profile: SourcingProfile
    outcomes: Counter[Outcome] = field(default_factory=Counter)
    strategies: Counter[str] = field(default_factory=Counter)
    by_type: Counter[str] = field(default_factory=Counter)
    packages: Counter[str] = field(default_factory=Counter)  # per location
    units: Counter[str] = field(default_factory=Counter)  # per location
    counts: Counter[str] = field(default_factory=Counter)
    cost: CostBreakdown = NOTHING
    objective: CostBreakdown = NOTHING
    types: dict[str, str] = field(default_factory=dict)  # per location

    def __post_init__(self) -> None:
        self.types = {at.id: str(at.type) for at in self.scenario.locations}

    def add(
        self,
        order: ScenarioOrder,
        decision: Decision,
        at_price: CostBreakdown | None,
        candidates: Sequence[Candidate],
    ) -> None:
        self.outcomes[decision.outcome] += 1
        self.strategies[decision.strategy] += 1
        self.counts["units"] += sum(line.quantity for line in order.lines)
        self.counts["units_filled"] += decision.solution.filled
        shipped: dict[str, int] = defaultdict(int)
        for a in decision.solution.assignments:
            shipped[a.location_id] += a.quantity
        if not shipped:
            return
        self._shipped(shipped)
        late = max(c.days_late for c in candidates if c.location_id in shipped)
        self.counts["late"] += late > 0
        self.counts["kept"] += late <= 0 and decision.outcome is Outcome.SOURCED
        self.cost = _plus(self.cost, at_price)
        self.objective = _plus(self.objective, decision.solution.cost)

    def _shipped(self, shipped: Mapping[str, int]) -> None:
        self.counts["shipping_orders"] += 1
        self.counts["split"] += len(shipped) > 1
        for at, units in shipped.items():
            self.packages[at] += 1
            self.units[at] += units
            self.by_type[self.types[at]] += 1

    def report(
        self,
        used: Mapping[str, Mapping[date, int]],
        operations: Mapping[str, LocationOperations],
        stock: Mapping[str, Mapping[str, int]],
    ) -> SimulationReport:
        currencies = {card.currency for card in self.scenario.cards.values()}
        return SimulationReport(
            scenario=self.scenario.name,
            profile=self.profile.name,
            profile_version=self.profile.version,
            currency=", ".join(sorted(currencies)),
            orders=sum(self.outcomes.values()),
            outcomes=dict(self.outcomes),
            units=self.counts["units"],
            units_filled=self.counts["units_filled"],
            shipping_orders=self.counts["shipping_orders"],
            packages=sum(self.packages.values()),
            split_orders=self.counts["split"],
            promises_kept=self.counts["kept"],
            late_orders=self.counts["late"],
            cost=self.cost,
            objective=self.objective,
            strategies=dict(self.strategies.most_common()),
            packages_by_type=dict(sorted(self.by_type.items())),
            locations=self._uses(used, operations),
            stock_left={at: dict(held) for at, held in stock.items()},
        )

    def _uses(
        self, used: Mapping[str, Mapping[date, int]], operations: Mapping[str, LocationOperations]
    ) -> tuple[LocationUse, ...]:
        found = []
        for at in self.scenario.locations:
            capacity = operations[at.id].capacity if at.id in operations else None
            if capacity is None and not self.packages[at.id]:
                continue
            days = used.get(at.id, {})
            busiest = max(days, key=lambda day: (days[day], -day.toordinal()), default=None)
            found.append(
                LocationUse(
                    at.id,
                    str(at.type),
                    self.packages[at.id],
                    self.units[at.id],
                    capacity.limit if capacity else None,
                    str(capacity.unit) if capacity else None,
                    busiest,
                    days[busiest] if busiest is not None else 0,
                )
            )
        found.sort(key=lambda u: (-(u.use or 0.0), -u.packages, u.location_id))
        return tuple(found)


def _plus(a: CostBreakdown, b: CostBreakdown | None) -> CostBreakdown:
    if b is None:
        return a
    return CostBreakdown(
        a.shipping + b.shipping,
        a.handling + b.handling,
        a.labour + b.labour,
        a.margin + b.margin,
        a.packages + b.packages,
        a.lateness + b.lateness,
    )


def report_document(report: SimulationReport, top: int | None = None) -> dict[str, Any]:
    """The report as JSON (money as strings); `top`: only the busiest locations."""
    return {
        "scenario": report.scenario,
        "profile": {"name": report.profile, "version": report.profile_version},
        "orders": report.orders,
        "sourced": report.count(Outcome.SOURCED),
        "backordered": report.count(Outcome.BACKORDERED),
        "refused": report.count(Outcome.REFUSED),
        "units": report.units,
        "units_filled": report.units_filled,
        "currency": report.currency,
        "cost": _cost_document(report.cost, money=True),
        "cost_per_order": str(report.cost_per_order),
        "objective": _cost_document(report.objective, money=False),
        "orders_shipping": report.shipping_orders,
        "packages": report.packages,
        "split_orders": report.split_orders,
        "split_rate": round(report.split_rate, 4),
        "promises_kept": report.promises_kept,
        "promises_kept_rate": round(report.promises_kept_rate, 4),
        "late_orders": report.late_orders,
        "strategies": dict(report.strategies),
        "packages_by_location_type": dict(report.packages_by_type),
        "locations": [_use_document(u) for u in report.locations[:top]],
    }


def _cost_document(cost: CostBreakdown, money: bool) -> dict[str, str]:
    """Money: what is paid (no penalties); else the weighted objective, all of it."""
    names = ["total", "shipping", "handling", "labour", "margin"]
    names += [] if money else ["packages", "lateness"]
    return {name: str(cost.parts[name].quantize(Decimal("0.01"))) for name in names}


def _use_document(use: LocationUse) -> dict[str, Any]:
    return {
        "location_id": use.location_id,
        "type": use.type,
        "packages": use.packages,
        "units": use.units,
        "capacity": None if use.limit is None else {"limit": use.limit, "unit": use.unit},
        "busiest_day": None if use.busiest_day is None else use.busiest_day.isoformat(),
        "busiest_day_used": use.busiest,
        "use": None if use.use is None else round(use.use, 4),
    }
