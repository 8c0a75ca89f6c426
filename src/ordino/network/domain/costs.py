"""What it costs to fulfil from a location: carrier rate cards and a location's own
handling costs, and the cost of a plan's packages with each part named.

A rate card prices one package of a carrier service on a lane: the first zone whose
lane match (origin and destination countries, destination postal prefixes, a
distance band) fits gives weight breaks (the price of a package up to that weight)
and, above the last break, a price per extra kilogram; the card adds a base per
package and charges at least its minimum. A lane no zone fits has no price: the
service cannot carry it.

Money here is in the card's currency; a plan's cost adds only like currencies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from functools import cache
from typing import Any

from ordino.kernel.domain import InvalidInput, Money
from ordino.network.domain.carriers import (
    Lane,
    LaneMatch,
    lane_match_document,
    lane_match_from_document,
)


@dataclass(frozen=True)
class WeightBreak:
    up_to_kg: Decimal
    price: Decimal


@dataclass(frozen=True)
class RateZone:
    match: LaneMatch
    breaks: tuple[WeightBreak, ...]  # by weight, ascending
    per_extra_kg: Decimal | None = None  # above the last break; None: not carried

    def __post_init__(self) -> None:
        weights = [b.up_to_kg for b in self.breaks]
        if not weights or weights != sorted(set(weights)) or weights[0] <= 0:
            raise InvalidInput("weight breaks: at least one, ascending, above 0 kg")
        prices = [b.price for b in self.breaks]
        if prices != sorted(prices) or prices[0] < 0:
            raise InvalidInput("weight breaks: a heavier package never costs less")

    def price(self, weight_kg: Decimal) -> Decimal | None:
        for weight_break in self.breaks:
            if weight_kg <= weight_break.up_to_kg:
                return weight_break.price
        if self.per_extra_kg is None:
            return None
        last = self.breaks[-1]
        extra = (weight_kg - last.up_to_kg).to_integral_value(rounding=ROUND_CEILING)
        return last.price + extra * self.per_extra_kg


@dataclass(frozen=True)
class RateCard:
    """The price list of one carrier service."""

    service: str
    currency: str
    zones: tuple[RateZone, ...]
    base_per_package: Decimal = Decimal(0)
    minimum_charge: Decimal = Decimal(0)

    def zone(self, lane: Lane) -> RateZone | None:
        return next((zone for zone in self.zones if zone.match.matches(lane)), None)

    def package(self, lane: Lane, weight_kg: Decimal) -> Money | None:
        """What one package of `weight_kg` costs on `lane`; None where not carried."""
        zone = self.zone(lane)
        price = None if zone is None else zone.price(weight_kg)
        if price is None:
            return None
        return Money(self.charge(price), self.currency)

    def charge(self, price: Decimal) -> Decimal:
        """A zone's price as charged: with the base, at least the minimum."""
        return max(self.minimum_charge, self.base_per_package + price)


@dataclass(frozen=True)
class LocationCosts:
    """What a location spends to fulfil: per order it ships (a package's handling),
    per unit picked, and for stores the labour per unit (shop staff pick between
    customers); `markdown` per SKU: the share of its price lost by selling it here
    rather than where it would sell at full price (0 to 1)."""

    per_order: Decimal = Decimal(0)
    per_unit: Decimal = Decimal(0)
    store_labour_per_unit: Decimal = Decimal(0)
    markdown: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Package:
    """Units of an order leaving one location together, and what is known of them."""

    location_id: str
    lane: Lane
    units: Mapping[str, int]  # per SKU
    weight_kg: Decimal
    values: Mapping[str, Decimal]  # per SKU, what its units sell for (for markdown)


@dataclass(frozen=True)
class CostWeights:
    """How much each part of a plan's cost counts (1: at its price), what each
    package beyond the first costs more, and what a missed promise costs per day
    late (None: a late plan is not allowed)."""

    shipping: Decimal = Decimal(1)
    handling: Decimal = Decimal(1)
    labour: Decimal = Decimal(1)
    margin: Decimal = Decimal(1)
    per_extra_package: Decimal = Decimal(0)
    per_day_late: Decimal | None = None


@dataclass(frozen=True)
class CostBreakdown:
    shipping: Decimal
    handling: Decimal
    labour: Decimal
    margin: Decimal
    packages: Decimal  # the penalty for packages beyond the first
    lateness: Decimal

    @property
    def total(self) -> Decimal:
        return (
            self.shipping
            + self.handling
            + self.labour
            + self.margin
            + self.packages
            + self.lateness
        )

    @property
    def parts(self) -> dict[str, Decimal]:
        """Each part by name, and the total: how documents show a cost."""
        return {
            "shipping": self.shipping,
            "handling": self.handling,
            "labour": self.labour,
            "margin": self.margin,
            "packages": self.packages,
            "lateness": self.lateness,
            "total": self.total,
        }


def plan_cost(
    packages: Sequence[Package],
    card: RateCard,
    costs: Mapping[str, LocationCosts],
    weights: CostWeights,
    days_late: int = 0,
) -> CostBreakdown | None:
    """The weighted cost of sending `packages` by the card's service, `days_late` past
    the promise; None when a package cannot be carried or lateness is not allowed."""
    if days_late > 0 and weights.per_day_late is None:
        return None
    shipping = handling = labour = margin = Decimal(0)
    for package in packages:
        price = card.package(package.lane, package.weight_kg)
        if price is None:
            return None
        at = costs.get(package.location_id, LocationCosts())
        units = sum(package.units.values())
        shipping += price.amount
        handling += at.per_order + at.per_unit * units
        labour += at.store_labour_per_unit * units
        margin += _markdown(package, at)
    extra = max(0, len(packages) - 1)
    return CostBreakdown(
        shipping * weights.shipping,
        handling * weights.handling,
        labour * weights.labour,
        margin * weights.margin,
        weights.per_extra_package * extra,
        (weights.per_day_late or Decimal(0)) * max(0, days_late),
    )


def _markdown(package: Package, at: LocationCosts) -> Decimal:
    """What selling the package's units here loses: each SKU's value times its
    markdown share (each line at its own price, as the optimiser counts it)."""
    if not at.markdown:
        return Decimal(0)
    lost = (value * at.markdown.get(sku, Decimal(0)) for sku, value in package.values.items())
    return sum(lost, Decimal(0))


def rate_card_document(card: RateCard) -> dict[str, Any]:
    """A rate card as JSON: stored so, read and written by the API."""
    return {
        "currency": card.currency,
        "base_per_package": str(card.base_per_package),
        "minimum_charge": str(card.minimum_charge),
        "zones": [
            lane_match_document(zone.match)
            | {
                "breaks": [
                    {"up_to_kg": str(b.up_to_kg), "price": str(b.price)} for b in zone.breaks
                ],
                "per_extra_kg": None if zone.per_extra_kg is None else str(zone.per_extra_kg),
            }
            for zone in card.zones
        ],
    }


def rate_card_from_document(service: str, d: dict[str, Any]) -> RateCard:
    return RateCard(
        service,
        d["currency"],
        tuple(
            RateZone(
                lane_match_from_document(z),
                tuple(
                    WeightBreak(Decimal(b["up_to_kg"]), Decimal(b["price"])) for b in z["breaks"]
                ),
                None if z["per_extra_kg"] is None else Decimal(z["per_extra_kg"]),
            )
            for z in d["zones"]
        ),
        Decimal(d["base_per_package"]),
        Decimal(d["minimum_charge"]),
    )


def location_costs_document(costs: LocationCosts) -> dict[str, Any]:
    return {
        "per_order": str(costs.per_order),
        "per_unit": str(costs.per_unit),
        "store_labour_per_unit": str(costs.store_labour_per_unit),
        "markdown": {sku: str(share) for sku, share in sorted(costs.markdown.items())},
    }


def location_costs_from_document(d: dict[str, Any]) -> LocationCosts:
    return LocationCosts(
        Decimal(d["per_order"]),
        Decimal(d["per_unit"]),
        Decimal(d["store_labour_per_unit"]),
        {sku: Decimal(share) for sku, share in d["markdown"].items()},
    )


DISTANCE_BANDS_KM = (10, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120, 10240)


@cache
def distance_card(currency: str) -> RateCard:
    """The card sourcing prices by when the order's service has none: one point per
    distance band (10, 20, 40, ... km; a lane of unknown distance in the last band).
    It ranks locations nearest first; its figures are not money."""
    everywhere = tuple(
        RateZone(LaneMatch(max_km=km), (WeightBreak(Decimal(1_000_000), Decimal(n)),))
        for n, km in enumerate(DISTANCE_BANDS_KM, start=1)
    )
    last = len(DISTANCE_BANDS_KM) + 1
    beyond = RateZone(LaneMatch(), (WeightBreak(Decimal(1_000_000), Decimal(last)),))
    return RateCard("distance", currency, (*everywhere, beyond))
