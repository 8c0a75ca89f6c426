"""Availability views: how a channel sees stock, as data a merchandiser edits.

A view says which locations count (by type, country, list), what is held back at
each (safety stock rules per location type, location or SKU, in units or as a
share of on hand; store protection for walk-in customers), whether inbound
supply counts and how far ahead, when stale supplier feeds stop counting, and
from how many units a SKU shows as in stock.

What a location can sell through a view:

    available = max(0, on_hand - reserved - holdback)
    holdback  = max(position's safety stock, the most specific matching rule)
                + store protection (at stores)

A rule matching the SKU beats one matching the location, which beats one
matching the location type; among equals the first listed wins.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ordino.inventory.domain.positions import Position
from ordino.inventory.domain.supply import SupplyKind
from ordino.kernel.domain import Forbidden, InvalidInput
from ordino.network.domain import Location, LocationType


class StockStatus(StrEnum):
    IN_STOCK = "in_stock"
    LOW_STOCK = "low_stock"
    OUT_OF_STOCK = "out_of_stock"


@dataclass(frozen=True)
class Holdback:
    """Units held back: a number, or a share of on hand (rounded up)."""

    units: int = 0
    percent: Decimal = Decimal(0)

    def of(self, on_hand: int) -> int:
        if self.percent:
            return math.ceil(on_hand * self.percent / 100)
        return self.units


@dataclass(frozen=True)
class SafetyRule:
    holdback: Holdback
    location_type: LocationType | None = None
    location_id: str | None = None
    sku: str | None = None

    def matches(self, location: Location, sku: str) -> bool:
        return (
            (self.sku is None or self.sku == sku)
            and (self.location_id is None or self.location_id == location.id)
            and (self.location_type is None or self.location_type is location.type)
        )

    @property
    def specificity(self) -> tuple[bool, bool, bool]:
        return (self.sku is not None, self.location_id is not None, self.location_type is not None)


@dataclass(frozen=True)
class LocationFilter:
    """Which locations count; an empty set admits all."""

    types: frozenset[LocationType] = frozenset()
    countries: frozenset[str] = frozenset()
    include: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()

    def admits(self, location: Location) -> bool:
        return (
            (not self.types or location.type in self.types)
            and (not self.countries or location.address.country in self.countries)
            and (not self.include or location.id in self.include)
            and location.id not in self.exclude
        )


@dataclass(frozen=True)
class InboundRule:
    counts: bool = False
    horizon_days: int = 0
    kinds: frozenset[SupplyKind] = frozenset(SupplyKind)


@dataclass(frozen=True)
class AvailabilityView:
    name: str
    channels: frozenset[str] = frozenset()
    description: str | None = None
    locations: LocationFilter = field(default_factory=LocationFilter)
    safety_stock: tuple[SafetyRule, ...] = ()
    store_protection: Holdback | None = None
    inbound: InboundRule = field(default_factory=InboundRule)
    supplier_max_age_hours: int | None = None  # older supplier feeds count as nothing
    in_stock_minimum: int = 1  # fewer units than this show as out of stock
    low_stock_below: int = 0  # fewer units than this (but enough to show) are low stock
    version: int = 0

    def rule_safety(self, location: Location, sku: str, on_hand: int) -> int:
        """What the most specific matching rule holds back (0 when none matches)."""
        best: SafetyRule | None = None
        for rule in self.safety_stock:
            if rule.matches(location, sku) and (
                best is None or rule.specificity > best.specificity
            ):
                best = rule
        return 0 if best is None else best.holdback.of(on_hand)

    def protection(self, location: Location, on_hand: int) -> int:
        if self.store_protection is None or location.type is not LocationType.STORE:
            return 0
        return self.store_protection.of(on_hand)

    def holdback(self, location: Location, position: Position) -> int:
        rule = self.rule_safety(location, position.sku, position.on_hand)
        safety = max(position.safety_stock, rule)
        return safety + self.protection(location, position.on_hand)

    def status(self, available: int) -> StockStatus:
        if available < max(1, self.in_stock_minimum):
            return StockStatus.OUT_OF_STOCK
        if available < self.low_stock_below:
            return StockStatus.LOW_STOCK
        return StockStatus.IN_STOCK


DEFAULT_VIEW_NAME = "default"
# Every location, each position's own safety stock, stock on hand only.
DEFAULT_VIEW = AvailabilityView(DEFAULT_VIEW_NAME, description="every location, stock on hand")


def view_document(view: AvailabilityView) -> dict[str, Any]:
    """The view's rules as JSON: how it is stored, and what the API reads and writes."""
    inbound, where = view.inbound, view.locations
    return {
        "description": view.description,
        "channels": sorted(view.channels),
        "locations": {
            "types": sorted(where.types),
            "countries": sorted(where.countries),
            "include": sorted(where.include),
            "exclude": sorted(where.exclude),
        },
        "safety_stock": [
            {
                "location_type": rule.location_type,
                "location_id": rule.location_id,
                "sku": rule.sku,
                **_holdback(rule.holdback),
            }
            for rule in view.safety_stock
        ],
        "store_protection": None
        if view.store_protection is None
        else _holdback(view.store_protection),
        "inbound": {
            "counts": inbound.counts,
            "horizon_days": inbound.horizon_days,
            "kinds": sorted(inbound.kinds),
        },
        "supplier_max_age_hours": view.supplier_max_age_hours,
        "in_stock_minimum": view.in_stock_minimum,
        "low_stock_below": view.low_stock_below,
    }


def _holdback(holdback: Holdback) -> dict[str, Any]:
    if holdback.percent:
        return {"units": None, "percent": str(holdback.percent)}
    return {"units": holdback.units, "percent": None}


def _holdback_of(document: dict[str, Any]) -> Holdback:
    if document.get("percent") is not None:
        return Holdback(percent=Decimal(document["percent"]))
    return Holdback(units=int(document.get("units") or 0))


def view_from_document(name: str, d: dict[str, Any], version: int) -> AvailabilityView:
    where, inbound = d["locations"], d["inbound"]
    protection = d.get("store_protection")
    return AvailabilityView(
        name=name,
        channels=frozenset(d["channels"]),
        description=d.get("description"),
        locations=LocationFilter(
            frozenset(LocationType(t) for t in where["types"]),
            frozenset(where["countries"]),
            frozenset(where["include"]),
            frozenset(where["exclude"]),
        ),
        safety_stock=tuple(
            SafetyRule(
                _holdback_of(rule),
                LocationType(rule["location_type"]) if rule.get("location_type") else None,
                rule.get("location_id"),
                rule.get("sku"),
            )
            for rule in d["safety_stock"]
        ),
        store_protection=None if protection is None else _holdback_of(protection),
        inbound=InboundRule(
            inbound["counts"],
            inbound["horizon_days"],
            frozenset(SupplyKind(k) for k in inbound["kinds"]),
        ),
        supplier_max_age_hours=d.get("supplier_max_age_hours"),
        in_stock_minimum=d["in_stock_minimum"],
        low_stock_below=d["low_stock_below"],
        version=version,
    )


def resolve_view(
    stored: Sequence[AvailabilityView], name: str | None, channel: str | None
) -> AvailabilityView:
    """The view named, or the channel's, or the default. Named with a channel, it
    must be that channel's: a channel reads through its own view only (a key scoped
    to a channel always reads with it), never another channel's (Forbidden)."""
    by_name = {view.name: view for view in stored}
    own = _channel_view(stored, by_name, channel)
    if name is None:
        return own
    if name in by_name:
        named = by_name[name]
    elif name == DEFAULT_VIEW_NAME:
        named = DEFAULT_VIEW
    else:
        raise InvalidInput.of("view", f"no availability view {name!r}")
    if channel is not None and named.name != own.name:
        raise Forbidden(
            f"channel {channel} reads through view {own.name}, not {name}",
            extra={"view": own.name},  # the one it may read through
        )
    return named


def _channel_view(
    stored: Sequence[AvailabilityView],
    by_name: dict[str, AvailabilityView],
    channel: str | None,
) -> AvailabilityView:
    for view in stored:
        if channel is not None and channel in view.channels:
            return view
    return by_name.get(DEFAULT_VIEW_NAME, DEFAULT_VIEW)
