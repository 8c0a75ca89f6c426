"""A promise made from a snapshot read at once, and what it was made from kept beside
it: order capture keeps a chosen option by sourcing among the locations that still
deliver by its date (`keeping`), and reserves with the floors of the channel's view.

Pure: the snapshot is read by `ordino.promising.services.promises.promise_snapshot`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from ordino.inventory.domain import Floor
from ordino.network.domain import PromiseDestination, refuse_unknown_skus
from ordino.promising.domain.promises import CartLine, Promise
from ordino.promising.engine.options import PromiseNetwork, PromiseRules, deliveries_by, promise
from ordino.promising.engine.reach import Delivery


@dataclass(frozen=True)
class PromiseSnapshot:
    """What a promise is made from: the cart and where it goes, the network as the
    promise sees it (the sites with what they can sell and the capacity they have
    used, the carrier services, the transit estimator), per (location, SKU) the
    floor a reservation must leave there in the channel's view, and which of the
    cart's SKUs the catalogue knows."""

    lines: tuple[CartLine, ...]
    destination: PromiseDestination
    network: PromiseNetwork
    floors: Mapping[tuple[str, str], Floor]
    known: frozenset[str]
    made_at: datetime


@dataclass(frozen=True)
class Promised:
    """A promise, with what it was made from."""

    answer: Promise
    snapshot: PromiseSnapshot

    @property
    def floors(self) -> Mapping[tuple[str, str], Floor]:
        return self.snapshot.floors


def promise_from(snapshot: PromiseSnapshot, rules: PromiseRules) -> Promised:
    """The options for the cart; a cart naming an unknown SKU is refused."""
    refuse_unknown_skus([line.sku for line in snapshot.lines], snapshot.known, "the cart")
    answer = promise(
        snapshot.lines, snapshot.destination, snapshot.network, snapshot.made_at, rules
    )
    return Promised(answer, snapshot)


def keeping(promised: Promised, service: str, by: date) -> list[Delivery]:
    """The locations with some of the cart that deliver it by `service` no later
    than `by`, soonest first, from what the promise was made."""
    made = promised.snapshot
    return deliveries_by(made.lines, made.destination, made.network, made.made_at, service, by)
