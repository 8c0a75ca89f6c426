"""What sourcing decides from: the order's profile (the first that applies to its
channel and service, else the built-in one), the rate card of its service (else the
built-in distance scale), each location's costs, and the sites that could ship,
from the process's picture; and the explanations orders keep.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from ordino.inventory.domain.positions import StockAtLocation
from ordino.inventory.services.stock_cache import StockPicture, entered
from ordino.network.domain.carriers import Lane
from ordino.network.domain.costs import LocationCosts, RateCard, distance_card
from ordino.network.domain.locations import Location, PromiseDestination
from ordino.sourcing.domain.profiles import DEFAULT_PROFILE, SourcingProfile, applying
from ordino.sourcing.engine.choice import SourcingRequest
from ordino.sourcing.engine.optimiser import Candidate, SourcingLine
from ordino.sourcing.engine.rules import SourcingSite
from ordino.sourcing.services.ports import SourcingWork


@dataclass(frozen=True)
class LineToSource:
    line_no: int
    sku: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class ToSource:
    """What of an order is to be sourced: its channel, currency and service (the
    profile and rate card go by them), and the lines or the units of them."""

    channel: str
    currency: str
    service: str | None
    lines: Sequence[LineToSource]
    order_type: str | None = None  # profiles may apply to some types only


class SourcingSettings(NamedTuple):
    """What sourcing decides by besides stock: the profiles, each carrier service's
    rate card, each location's costs."""

    profiles: tuple[SourcingProfile, ...]
    cards: Mapping[str, RateCard]
    costs: Mapping[str, LocationCosts]


def sourcing_settings(picture: StockPicture, uow: SourcingWork | None) -> SourcingSettings:
    """What sourcing decides by, as the process's picture keeps it (until the network
    changes)."""

    def load() -> SourcingSettings:
        found = entered(uow)
        return SourcingSettings(
            tuple(found.profiles.all()),
            {card.service: card for card, _ in found.rate_cards.all()},
            found.location_costs.all(),
        )

    return picture.derived("sourcing settings", load)


def sourcing_request(
    uow: SourcingWork,
    picture: StockPicture,
    order: ToSource,
    sites: Sequence[SourcingSite],
    *,
    profile: SourcingProfile | None = None,
    rejected: frozenset[str] = frozenset(),
) -> SourcingRequest:
    """`profile`: the one to decide by (a reroute keeps the order's); else the one
    that applies."""
    settings = sourcing_settings(picture, uow)
    lines, service = order.lines, order.service
    if profile is None:
        profile = applying(settings.profiles, order.channel, order.order_type, service)
    card = settings.cards.get(service) if service is not None else None
    weights = uow.catalog.weights({line.sku for line in lines}) if card is not None else {}
    sourcing_lines = tuple(
        SourcingLine(
            line.line_no,
            line.sku,
            line.quantity,
            weights.get(line.sku, SourcingLine.unit_weight_kg),
            line.unit_price,
        )
        for line in lines
    )
    return SourcingRequest(
        profile,
        sourcing_lines,
        tuple(sites),
        card or distance_card(order.currency),
        settings.costs,
        rejected,
    )


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


def profile_named(uow: SourcingWork, name: str, version: int) -> SourcingProfile:
    """The rules of a recorded decision: that version of the profile."""
    if name == DEFAULT_PROFILE.name and version == DEFAULT_PROFILE.version:
        return DEFAULT_PROFILE
    found = uow.profiles.version(name, version)
    return DEFAULT_PROFILE if found is None else found
