"""What sourcing decides from, read from the process's picture: the settings
(profiles, each carrier service's rate card, each location's costs) and the
products' weights; the request itself is put together by
`ordino.sourcing.engine.requests`.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    """The request for `order` among `sites`, from the picture's settings and weights.
    `profile`: the one to decide by (a reroute keeps the order's); else the one that
    applies."""
    products = picture.products(uow, [line.sku for line in order.lines])
    weights = {sku: facts.weight_kg for sku, facts in products.items()}
    settings = sourcing_settings(picture, uow)
    return request_of(settings, order, sites, weights, profile=profile, rejected=rejected)


def profile_named(uow: SourcingWork, name: str, version: int) -> SourcingProfile:
    """The rules of a recorded decision: that version of the profile."""
    if name == DEFAULT_PROFILE.name and version == DEFAULT_PROFILE.version:
        return DEFAULT_PROFILE
    found = uow.profiles.version(name, version)
    return DEFAULT_PROFILE if found is None else found
