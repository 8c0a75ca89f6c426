"""Sourcing profiles: the rules a merchandiser sets for which locations may fulfil an
order and in what order of preference, as data.

A profile applies to the orders of its channels (and, when it names them, order
types and carrier services). Its filters exclude locations outright; its strategies
are tried in order until one fills the order: each says which of the remaining
locations it may use (types, a radius), how many packages at most, whether a line
may be split across locations; `backorder` accepts what could not be filled to wait
for supply; `cancel` gives up on it. Its cost weights say what the optimiser
minimises. Every change makes a new version; an order records the version and the
strategy that decided it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ordino.kernel.domain import InvalidInput
from ordino.network.domain import CostWeights, Location, LocationType


class StrategyKind(StrEnum):
    SOURCE = "source"  # allocate from the locations the strategy admits
    BACKORDER = "backorder"  # take what can be filled, the rest waits for supply
    CANCEL = "cancel"  # what cannot be filled is not taken


@dataclass(frozen=True)
class Filters:
    """Locations no strategy of the profile may use."""

    location_types: frozenset[LocationType] = frozenset()  # empty: every type
    countries: frozenset[str] = frozenset()
    include: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    radius_km: float | None = None  # from the customer
    min_stock_left: int = 0  # units a location must keep of a SKU after the order
    ship_from_store: bool = True

    def excludes(self, location: Location, distance_km: float | None) -> str | None:
        """The first rule that excludes `location`, or None. (Each rule is looked at
        only while none before it excluded: a decision asks of every location.)"""
        kind = location.type
        return (
            ("location-type" if self.location_types and kind not in self.location_types else None)
            or (
                "country"
                if self.countries and location.address.country not in self.countries
                else None
            )
            or ("not-included" if self.include and location.id not in self.include else None)
            or ("excluded" if location.id in self.exclude else None)
            or (
                "no-ship-from-store"
                if not self.ship_from_store and kind is LocationType.STORE
                else None
            )
            or (
                "radius"
                if self.radius_km is not None and not _within(distance_km, self.radius_km)
                else None
            )
        )


def _within(distance_km: float | None, radius_km: float) -> bool:
    return distance_km is not None and distance_km <= radius_km


@dataclass(frozen=True)
class Strategy:
    name: str
    kind: StrategyKind = StrategyKind.SOURCE
    location_types: frozenset[LocationType] = frozenset()  # empty: what the filters left
    radius_km: float | None = None
    max_packages: int | None = None
    split_lines: bool = True
    cancel_after_days: int | None = None  # a backorder not filled by then is cancelled

    def __post_init__(self) -> None:
        if self.max_packages is not None and self.max_packages < 1:
            raise InvalidInput.of("max_packages", "must be at least 1")

    def admits(self, location: Location, distance_km: float | None) -> bool:
        if self.location_types and location.type not in self.location_types:
            return False
        return self.radius_km is None or (distance_km is not None and distance_km <= self.radius_km)


@dataclass(frozen=True)
class SourcingProfile:
    name: str
    channels: frozenset[str]
    strategies: tuple[Strategy, ...]
    filters: Filters = field(default_factory=Filters)
    weights: CostWeights = field(default_factory=CostWeights)
    order_types: frozenset[str] = frozenset()  # empty: every type
    services: frozenset[str] = frozenset()  # empty: every carrier service
    version: int = 1

    def __post_init__(self) -> None:
        if not self.strategies:
            raise InvalidInput.of("strategies", "a profile needs at least one strategy")

    def applies(self, channel: str, order_type: str | None, service: str | None) -> bool:
        return (
            channel in self.channels
            and (not self.order_types or order_type in self.order_types)
            and (not self.services or service in self.services)
        )


DEFAULT_PROFILE = SourcingProfile(
    "built-in",
    frozenset(),
    (
        Strategy("whole lines", split_lines=False),
        Strategy("split lines"),
    ),
    weights=CostWeights(per_extra_package=Decimal(100)),
    version=0,
)
"""The rules for an order no profile applies to: the fewest packages (each beyond
the first costs more than any distance), from the nearest locations (by the order's
rate card, or by `distance_card` when its service has none), a line split across
locations only when no plan keeps every line whole."""


def applying(
    profiles: Iterable[SourcingProfile],
    channel: str,
    order_type: str | None = None,
    service: str | None = None,
) -> SourcingProfile:
    """The most specific profile that applies to the order, else DEFAULT_PROFILE: one
    naming the order's type before one naming its service before one for any order
    of the channel, the first by name among equals. (By name alone, a profile for
    every type would hide one made for a type whenever its name sorted first.)"""

    def rank(profile: SourcingProfile) -> tuple[bool, bool, str]:
        return (not profile.order_types, not profile.services, profile.name)

    applies = [p for p in profiles if p.applies(channel, order_type, service)]
    return min(applies, key=rank, default=DEFAULT_PROFILE)


def profile_document(profile: SourcingProfile) -> dict[str, Any]:
    """A profile's rules as JSON: how it is stored, and what the API reads and writes."""
    f, w = profile.filters, profile.weights
    return {
        "channels": sorted(profile.channels),
        "order_types": sorted(profile.order_types),
        "services": sorted(profile.services),
        "filters": {
            "location_types": sorted(f.location_types),
            "countries": sorted(f.countries),
            "include": sorted(f.include),
            "exclude": sorted(f.exclude),
            "radius_km": f.radius_km,
            "min_stock_left": f.min_stock_left,
            "ship_from_store": f.ship_from_store,
        },
        "strategies": [
            {
                "name": s.name,
                "kind": str(s.kind),
                "location_types": sorted(s.location_types),
                "radius_km": s.radius_km,
                "max_packages": s.max_packages,
                "split_lines": s.split_lines,
                "cancel_after_days": s.cancel_after_days,
            }
            for s in profile.strategies
        ],
        "weights": {
            "shipping": str(w.shipping),
            "handling": str(w.handling),
            "labour": str(w.labour),
            "margin": str(w.margin),
            "per_extra_package": str(w.per_extra_package),
            "per_day_late": None if w.per_day_late is None else str(w.per_day_late),
        },
    }


def profile_from_document(name: str, d: dict[str, Any], version: int) -> SourcingProfile:
    f, w = d["filters"], d["weights"]
    return SourcingProfile(
        name=name,
        channels=frozenset(d["channels"]),
        order_types=frozenset(d["order_types"]),
        services=frozenset(d["services"]),
        filters=Filters(
            frozenset(LocationType(t) for t in f["location_types"]),
            frozenset(f["countries"]),
            frozenset(f["include"]),
            frozenset(f["exclude"]),
            f["radius_km"],
            f["min_stock_left"],
            f["ship_from_store"],
        ),
        strategies=tuple(
            Strategy(
                s["name"],
                StrategyKind(s["kind"]),
                frozenset(LocationType(t) for t in s["location_types"]),
                s["radius_km"],
                s["max_packages"],
                s["split_lines"],
                s["cancel_after_days"],
            )
            for s in d["strategies"]
        ),
        weights=CostWeights(
            Decimal(w["shipping"]),
            Decimal(w["handling"]),
            Decimal(w["labour"]),
            Decimal(w["margin"]),
            Decimal(w["per_extra_package"]),
            None if w["per_day_late"] is None else Decimal(w["per_day_late"]),
        ),
        version=version,
    )
