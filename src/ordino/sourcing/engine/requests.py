"""What sourcing decides from, put together: the order's profile (the one given, else
the first that applies to its channel, type and service, else the built-in one), the
rate card of its service (else the built-in distance scale), each location's costs,
the lines with their weights, and the sites that could ship. Pure: the settings and
the weights are read by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from ordino.inventory.domain import StockAtLocation
from ordino.network.domain import (
    Lane,
    Location,
    LocationCosts,
    PromiseDestination,
    RateCard,
    distance_card,
)
from ordino.sourcing.domain.plans import ToSource
from ordino.sourcing.domain.profiles import SourcingProfile, applying
from ordino.sourcing.engine.optimiser import Candidate, SourcingLine
from ordino.sourcing.engine.rules import SourcingRequest, SourcingSite


class SourcingSettings(NamedTuple):
    """What sourcing decides by besides stock: the profiles, each carrier service's
    rate card, each location's costs."""

    profiles: tuple[SourcingProfile, ...]
    cards: Mapping[str, RateCard]
    costs: Mapping[str, LocationCosts]


def sourcing_request(
    settings: SourcingSettings,
    order: ToSource,
    sites: Sequence[SourcingSite],
    weights: Mapping[str, Decimal | None],
    *,
    profile: SourcingProfile | None = None,
    rejected: frozenset[str] = frozenset(),
) -> SourcingRequest:
    """`profile`: the one to decide by (a reroute keeps the order's); else the one
    that applies. `weights`: per SKU, its weight where known; the built-in distance
    scale (no rate card for the service) ranks by distance, not weight."""
    service = order.service
    if profile is None:
        profile = applying(settings.profiles, order.channel, order.order_type, service)
    card = settings.cards.get(service) if service is not None else None
    lines = tuple(
        SourcingLine(
            line.line_no,
            line.sku,
            line.quantity,
            _weight(weights.get(line.sku) if card is not None else None),
            line.unit_price,
        )
        for line in order.lines
    )
    card = card or distance_card(order.currency)
    return SourcingRequest(profile, lines, tuple(sites), card, settings.costs, rejected)


def _weight(known: Decimal | None) -> Decimal:
    return SourcingLine.unit_weight_kg if known is None else known


def stock_sites(
    stock: Sequence[StockAtLocation], locations: Mapping[str, Location], to: PromiseDestination
) -> tuple[SourcingSite, ...]:
    """Each location with stock, as a candidate on its lane to the customer."""
    return tuple(
        SourcingSite(
            locations[at.location_id],
            Candidate(
                at.location_id,
                Lane.between(at.country, at.point, to.country, to.point, to.postal_code),
                at.available,
            ),
        )
        for at in stock
        if at.location_id in locations
    )
