"""What sourcing decides from: the settings (profiles, each carrier service's rate
card, each location's costs) from the process's picture, and the products'
weights; the request itself is put together by `ordino.sourcing.engine.requests`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ordino.inventory.services import StockPicture, entered
from ordino.sourcing.domain.plans import ToSource
from ordino.sourcing.domain.profiles import DEFAULT_PROFILE, SourcingProfile
from ordino.sourcing.engine.choice import SourcingRequest
from ordino.sourcing.engine.requests import SourcingSettings
from ordino.sourcing.engine.requests import sourcing_request as request_of
from ordino.sourcing.engine.rules import SourcingSite
from ordino.sourcing.services.ports import SourcingWork


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
    """The request for `order` among `sites`, from the picture's settings and the
    products' weights as the database has them now (a reroute decides from the
    database; capture takes them from its snapshot). `profile`: the one to decide by
    (a reroute keeps the order's); else the one that applies."""
    settings = sourcing_settings(picture, uow)
    weights: dict[str, Decimal | None] = {}  # the distance scale weighs nothing
    if order.service is not None and order.service in settings.cards:
        products = uow.catalog.facts([line.sku for line in order.lines])
        weights = {sku: facts.weight_kg for sku, facts in products.items()}
    return request_of(settings, order, sites, weights, profile=profile, rejected=rejected)


def profile_named(uow: SourcingWork, name: str, version: int) -> SourcingProfile:
    """The rules of a recorded decision: that version of the profile."""
    if name == DEFAULT_PROFILE.name and version == DEFAULT_PROFILE.version:
        return DEFAULT_PROFILE
    found = uow.profiles.version(name, version)
    return DEFAULT_PROFILE if found is None else found
