"""A day of orders through a sourcing profile: what `ordino simulate sourcing` runs.

Orders are decided one at a time in the order they were placed (ties by the order
of the file), each by `decide` over the locations as the earlier orders left them:
their stock less what was sourced from it, their capacity on each day less what
was shipped on it. A location takes part in an order when it ships, holds some of
the order's SKUs (the optimiser would drop any other: this keeps each decision to
the locations that matter), and its carrier service serves the lane. Its promise:
it ships on the first day its operations allow (cut-off, processing, carrier
collection days, a day with capacity left), and the order arrives by the latest
day of the service's transit rule for the lane; days past the order's
`deliver_by` are the candidate's `days_late`.

Invariants: stock never goes below zero; a location's capacity on a day is never
exceeded; every order ends sourced, backordered or refused; the same scenario and
profile give the same result. Pure: no clock, no I/O.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ordino.network.domain import (
    CapacityUnit,
    CarrierService,
    CostBreakdown,
    CostWeights,
    Lane,
    Location,
    LocationOperations,
    RateCard,
    default_operations,
)
from ordino.sourcing.domain.profiles import SourcingProfile
from ordino.sourcing.domain.scenario import Scenario, ScenarioOrder
from ordino.sourcing.engine.optimiser import Candidate, SourcingLine, SourcingProblem, evaluate
from ordino.sourcing.engine.rules import Decision, SourcingRequest, SourcingSite, decide
from ordino.sourcing.engine.simulation_report import SimulationReport, Tally

# What a plan costs in money: every part at its price, no penalties.
AT_PRICE = CostWeights(per_day_late=Decimal(0))

Progress = Callable[[int, int], None]  # (orders done, orders in all)


class StockBroken(Exception):
    """A plan took more than a location held: a bug, never an outcome."""


def simulate(
    scenario: Scenario,
    profile: SourcingProfile | None = None,
    progress: Progress | None = None,
    every: int = 100,
) -> SimulationReport:
    """Run the scenario's orders through `profile` (default: the scenario's own);
    `progress` hears of every `every` orders done, and of the last."""
    profile = profile or scenario.profile
    day = _Day.of(scenario)
    tally = Tally(scenario, profile)
    orders = sorted(scenario.orders, key=lambda o: o.placed_at)
    for done, order in enumerate(orders, 1):
        day.place(order, profile, tally)
        if progress is not None and (done % every == 0 or done == len(orders)):
            progress(done, len(orders))
    return tally.report(day.used, day.operations, day.stock)


@dataclass
class _Day:
    scenario: Scenario
    locations: Mapping[str, Location]  # those that ship
    operations: Mapping[str, LocationOperations]
    stock: dict[str, dict[str, int]]
    holders: dict[str, set[str]]  # per SKU: locations that ship and hold some
    used: dict[str, dict[date, int]] = field(default_factory=lambda: defaultdict(dict))
    _deliveries: dict[tuple[str, date, int], date | None] = field(default_factory=dict)

    @classmethod
    def of(cls, scenario: Scenario) -> _Day:
        locations = {at.id: at for at in scenario.locations if at.ships}
        operations = {
            at.id: scenario.operations.get(at.id) or default_operations(at.id, at.time_zone)
            for at in locations.values()
        }
        stock = {at: dict(held) for at, held in scenario.stock.items() if at in locations}
        holders: dict[str, set[str]] = defaultdict(set)
        for at, held in stock.items():
            for sku, units in held.items():
                if units > 0:
                    holders[sku].add(at)
        return cls(scenario, locations, operations, stock, holders)

    def place(self, order: ScenarioOrder, profile: SourcingProfile, tally: Tally) -> None:
        service = self.scenario.services[order.service]
        card = self.scenario.cards[order.service]
        lines = self._lines(order, card)
        sites, ship_days = self._sites(order, service)
        request = SourcingRequest(profile, lines, tuple(sites), card, self.scenario.costs)
        decision = decide(request)
        self._take(decision, lines, ship_days)
        candidates = tuple(s.candidate for s in sites)
        tally.add(order, decision, self._at_price(lines, candidates, card, decision), candidates)

    def _lines(self, order: ScenarioOrder, card: RateCard) -> tuple[SourcingLine, ...]:
        products = self.scenario.products
        found = []
        for n, line in enumerate(order.lines, 1):
            product = products.get(line.sku)
            weight = product.weight_kg if product and product.weight_kg is not None else None
            value = product.prices.get(card.currency, Decimal(0)) if product else Decimal(0)
            if weight is None:
                found.append(SourcingLine(n, line.sku, line.quantity, unit_value=value))
            else:
                found.append(SourcingLine(n, line.sku, line.quantity, weight, value))
        return tuple(found)

    def _sites(
        self, order: ScenarioOrder, service: CarrierService
    ) -> tuple[list[SourcingSite], dict[str, date]]:
        wanted: dict[str, int] = defaultdict(int)
        for line in order.lines:
            wanted[line.sku] += line.quantity
        skus = sorted(wanted)
        at_all: set[str] = set().union(*(self.holders.get(sku, set()) for sku in skus))
        names = (service.code, str(service.level))
        first_days: dict[tuple[int, int], date | None] = {}
        sites, ship_days = [], {}
        to = order.ship_to
        for at in sorted(at_all):
            location = self.locations[at]
            origin = location.address.country
            lane = Lane.between(origin, location.point, to.country, to.point, to.postal_code)
            rule = service.transit(lane)
            operations, held = self.operations[at], self.stock[at]
            available = {sku: held.get(sku, 0) for sku in skus}
            most = sum(min(wanted[sku], units) for sku, units in available.items())
            ship = self._ship_day(operations, order, names, most, first_days)
            if rule is None or ship is None:
                continue  # the service does not serve the lane, or nothing ships
            delivered = self._delivered(service, ship, rule.max_days)
            if delivered is None:
                continue
            orders_left, units_left = self._left(operations, ship)
            candidate = Candidate(
                at,
                lane,
                available,
                orders_left,
                units_left,
                max(0, (delivered - order.deliver_by).days),
            )
            sites.append(SourcingSite(location, candidate))
            ship_days[at] = ship
        return sites, ship_days

    def _ship_day(
        self,
        operations: LocationOperations,
        order: ScenarioOrder,
        names: tuple[str, str],
        units: int,
        first_days: dict[tuple[int, int], date | None],
    ) -> date | None:
        """The first day with room for the most the location could ship of the order
        (or, where the order is more than a day's capacity, for some of it).
        Locations of one schedule share the day while it has room: worked out once
        per order, and again for a location only when its day is too full."""
        for need in dict.fromkeys((max(1, units), 1)):
            key = (operations.schedule, need)
            if key not in first_days:
                first_days[key] = operations.ship_date(order.placed_at, names, need, {})
            day = first_days[key]
            used = self.used[operations.location_id]
            if day is not None and not operations.has_room(day, need, used):
                day = operations.ship_date(order.placed_at, names, need, used)
            if day is not None:
                return day
        return None

    def _delivered(self, service: CarrierService, shipped: date, days: int) -> date | None:
        key = (service.code, shipped, days)
        if key not in self._deliveries:
            self._deliveries[key] = service.calendar.add_delivery_days(shipped, days)
        return self._deliveries[key]

    def _left(self, operations: LocationOperations, day: date) -> tuple[int | None, int | None]:
        capacity = operations.capacity
        if capacity is None:
            return None, None
        left = capacity.limit - self.used[operations.location_id].get(day, 0)
        return (None, left) if capacity.unit is CapacityUnit.UNITS else (left, None)

    def _take(
        self, decision: Decision, lines: tuple[SourcingLine, ...], ship_days: Mapping[str, date]
    ) -> None:
        skus = {line.line_no: line.sku for line in lines}
        units: dict[str, int] = defaultdict(int)
        for a in decision.solution.assignments:
            sku, held = skus[a.line_no], self.stock[a.location_id]
            held[sku] -= a.quantity
            if held[sku] < 0:
                raise StockBroken(f"{a.location_id} {sku}: {held[sku]} after the plan")
            if held[sku] == 0:
                self.holders[sku].discard(a.location_id)
            units[a.location_id] += a.quantity
        for at, count in units.items():
            capacity, day = self.operations[at].capacity, ship_days[at]
            if capacity is not None:
                used = self.used[at]
                used[day] = used.get(day, 0) + capacity.need(count)

    def _at_price(
        self,
        lines: tuple[SourcingLine, ...],
        candidates: tuple[Candidate, ...],
        card: RateCard,
        decision: Decision,
    ) -> CostBreakdown | None:
        assignments = decision.solution.assignments
        if not assignments:
            return None
        problem = SourcingProblem(lines, candidates, card, self.scenario.costs, AT_PRICE)
        return evaluate(problem, assignments)
