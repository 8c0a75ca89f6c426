"""What a commit changed that a picture of stock must forget: SKUs whose positions or
inbound supply moved, products the catalogue changed (`products`: their SKUs too),
the network (locations), the availability views; and whether it revoked a key, which
every process's cache of keys must forget (`access`).

`down` is how much a SKU's availability may have fallen, at most, in any view (a
reservation's quantity, a fall of on hand, a rise of safety stock): the stock signals
skip SKUs still far above their thresholds with it. `up` says it may have risen.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SkuChange:
    sku: str
    down: int = 0
    up: bool = False


@dataclass(frozen=True)
class Change:
    skus: frozenset[str] = frozenset()
    network: bool = False
    views: bool = False
    everything: bool = False  # a listener lost track: forget all
    access: bool = False  # a key was revoked
    # Their catalogue entries (prices) changed: what a picture keeps of the catalogue
    # outlives the many changes of their stock, not these.
    products: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.skus or self.network or self.views or self.everything or self.access)


EVERYTHING = Change(everything=True)


@dataclass(frozen=True)
class Recorded:
    """A change as `stock_changes` keeps it, for the stock signals: kind is `stock` (of
    `sku`), `network` (of `location_id`, or of postal codes when None) or `views`
    (`access`, a key revoked, is there for the SQLite feed: the signals pass it by)."""

    kind: str
    sku: str | None
    down: int
    up: bool
    location_id: str | None = None


@dataclass
class ChangeLog:
    """Collects a unit of work's changes until it commits."""

    skus: dict[str, SkuChange] = field(default_factory=dict)
    network: bool = False  # locations or postal codes
    locations: set[str] = field(default_factory=set)  # locations redefined
    views: bool = False
    access: bool = False  # a key revoked
    products: set[str] = field(default_factory=set)  # catalogue entries changed

    def product(self, sku: str) -> None:
        self.products.add(sku)
        self.sku(sku)

    def location(self, location_id: str) -> None:
        self.network = True
        self.locations.add(location_id)

    def sku(self, sku: str, down: int = 0, up: bool = False) -> None:
        earlier = self.skus.get(sku)
        if earlier is not None:
            down, up = down + earlier.down, up or earlier.up
        self.skus[sku] = SkuChange(sku, down, up)

    def change(self) -> Change:
        return Change(
            frozenset(self.skus),
            self.network,
            self.views,
            access=self.access,
            products=frozenset(self.products),
        )
