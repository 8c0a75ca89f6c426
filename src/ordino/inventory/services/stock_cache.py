"""The picture of stock a process keeps: what availability reads and order capture
plans from, without asking the database each time.

It holds the locations (how each works, the carrier services), the availability
views, the channels, the postal codes looked up, what capture needs of each product
(the currencies the catalogue prices it in, its weight: kept through the changes of
its stock, only a change of the product makes the picture forget them), and per
SKU its positions and open inbound supply (least recently used SKUs go when it
holds more positions than it may), with each view's computed availability.

Fresh:
  * after a commit of this process, at once: the unit of work tells the picture what
    it changed (`forget`) before the use case answers;
  * after a commit of another process, within the delay of the change feed that
    tells it (PostgreSQL NOTIFY, or a poll of `stock_changes` on SQLite; see
    `ordino.store.change_feed`);
  * a load that overlapped a change of its SKU is not kept: each SKU has a counter
    of changes, read before the load and checked after it;
  * a computed availability is kept until the stock changes or time changes it
    (supply coming due or into a view's horizon, a supplier's count growing old).
Order capture may plan from it: the reservation is conditional in the database, so
a plan from a stale picture loses its race and the retry plans from the database.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, TypeVar, cast

from ordino.inventory.domain.positions import Floor, Position
from ordino.inventory.domain.supply import InboundLine
from ordino.inventory.domain.views import AvailabilityView
from ordino.inventory.engine.availability import (
    SkuAvailability,
    SkuSummary,
    location_grid,
    sku_availability,
    sourcing_stock,
    valid_until,
)
from ordino.inventory.services.ports import InventoryWork
from ordino.kernel.domain import Change, Grid, Point
from ordino.network.domain import (
    CarrierService,
    Channel,
    Location,
    LocationOperations,
    ProductFacts,
    default_operations,
    operations_from_document,
)

T = TypeVar("T")
W = TypeVar("W", bound=InventoryWork)  # the port of whoever reads through the picture

DEFAULT_MAX_POSITIONS = 2_000_000
MAX_PRODUCTS = 200_000  # products whose facts are kept (least recently used go)


class Sellable(NamedTuple):
    location_id: str
    available: int
    floor: Floor


class NotCached(Exception):
    """A read without a unit of work needed what the picture does not hold."""


@dataclass
class SkuStock:
    """A SKU as the picture holds it. Positions are kept as plain tuples and results as
    summaries: a process holding a million positions then gives the garbage collector
    next to nothing to scan (exact tuples of plain values are not tracked; measured:
    full collections of 0.4 to 1.1 s with a million positions held as objects)."""

    known: bool  # the SKU is in the catalogue
    rows: tuple[tuple[Any, ...], ...]  # Position fields, in order
    inbound: tuple[InboundLine, ...]
    # Per (view, version): computed at, valid until (None: until stock changes), summary.
    results: dict[tuple[str, int], tuple[datetime, datetime | None, SkuSummary]] = field(
        default_factory=dict
    )
    # Per (view, version): where it can be sold or collected, how much, and the floor a
    # reservation keeps there (promises and capture ask it); forgotten with the stock
    # and when the network changes.
    sellable: dict[tuple[str, int], tuple[Sellable, ...]] = field(default_factory=dict)

    @property
    def positions(self) -> list[Position]:
        return [Position._make(row) for row in self.rows]


class StockPicture:
    def __init__(self, max_positions: int = DEFAULT_MAX_POSITIONS) -> None:
        self.max_positions = max_positions
        self._lock = threading.Lock()
        self._skus: OrderedDict[str, SkuStock] = OrderedDict()
        self._held = 0  # positions held
        self._versions: dict[str, int] = {}  # changes seen per SKU
        self._epoch = 0  # forget-everything count
        self._settings = 0  # count of changes to the network or the views
        self._locations: dict[str, Location] | None = None
        self._grid: Grid | None = None
        self._views: tuple[AvailabilityView, ...] | None = None
        self._channels: dict[str, Channel] | None = None  # forgotten with the views
        self._operations: dict[str, LocationOperations] | None = None
        self._carriers: tuple[CarrierService, ...] | None = None
        # Worked out from the locations and settings by the capabilities above: kept
        # until the network changes.
        self._derived: dict[Hashable, object] = {}
        self._places: dict[tuple[str, str], Point] = {}
        self._names: dict[str, str] = {}  # location ids and SKUs, each held once
        # Per SKU the catalogue knows: the currencies it has a price in, its weight.
        self._products: OrderedDict[str, ProductFacts] = OrderedDict()
        self._catalogue = 0  # count of changes to the catalogue
        self.hits = self.misses = 0

    # What changed

    def forget(self, change: Change) -> None:
        with self._lock:
            if change.everything or change.network or change.views:
                self._settings += 1
            if change.everything or change.products:
                self._catalogue += 1
                for sku in change.products:
                    self._products.pop(sku, None)
            if change.everything:
                self._epoch += 1
                self._products.clear()
                self._skus.clear()
                self._held = 0
                self._forget_network()
                self._views, self._channels = None, None
                return
            for sku in change.skus:
                self._versions[sku] = self._versions.get(sku, 0) + 1
                self._drop(sku)
            if change.network:
                self._forget_network()
                for entry in self._skus.values():
                    entry.sellable.clear()
            if change.views:
                self._views, self._channels = None, None

    # Reads. Misses are loaded through `uow`, which must be entered; without one
    # (None), a miss raises NotCached: the caller then reads in a thread of its own.

    def _forget_network(self) -> None:
        self._locations, self._grid = None, None
        self._operations, self._carriers = None, None
        self._derived = {}
        self._places.clear()

    def locations(self, uow: InventoryWork | None) -> Mapping[str, Location]:
        found = self._locations
        if found is None:
            settings = self._settings
            found = {location.id: location for location in entered(uow).network.all()}
            with self._lock:
                if settings == self._settings:
                    self._locations = found
        return found

    def operations(self, uow: InventoryWork | None) -> Mapping[str, LocationOperations]:
        """How each location works: as described, or `default_operations`."""
        found = self._operations
        if found is None:
            settings = self._settings
            locations = self.locations(uow)
            documents = entered(uow).operations.documents()
            found = _operations(locations, documents)
            with self._lock:
                if settings == self._settings:
                    self._operations = found
        return found

    def carriers(self, uow: InventoryWork | None) -> Sequence[CarrierService]:
        found = self._carriers
        if found is None:
            settings = self._settings
            found = tuple(service for service, _ in entered(uow).carriers.all())
            with self._lock:
                if settings == self._settings:
                    self._carriers = found
        return found

    def derived(self, key: Hashable, load: Callable[[], T]) -> T:
        """A value worked out from the locations and settings (a promise's frame, what
        sourcing decides by), loaded by `load` on a miss and kept, under `key`, until
        the network changes."""
        found = self._derived.get(key)
        if found is None:
            settings = self._settings
            found = load()
            with self._lock:
                if settings == self._settings:
                    self._derived[key] = found
        return cast(T, found)

    def grid(self, uow: InventoryWork | None) -> Grid:
        """The locations filed by where they are, for "near me"."""
        found = self._grid
        if found is None:
            settings = self._settings
            found = location_grid(self.locations(uow))
            with self._lock:
                if settings == self._settings:
                    self._grid = found
        return found

    def views(self, uow: InventoryWork | None) -> Sequence[AvailabilityView]:
        found = self._views
        if found is None:
            settings = self._settings
            found = tuple(entered(uow).views.all())
            with self._lock:
                if settings == self._settings:
                    self._views = found
        return found

    def channels(self, uow: InventoryWork | None) -> Mapping[str, Channel]:
        """The channels known, by name."""
        found = self._channels
        if found is None:
            settings = self._settings
            found = {channel.name: channel for channel, _ in entered(uow).channels.all()}
            with self._lock:
                if settings == self._settings:
                    self._channels = found
        return found

    def products(self, uow: InventoryWork | None, skus: Iterable[str]) -> dict[str, ProductFacts]:
        """What capture needs of each known SKU of `skus` (none for unknown SKUs: the
        keys are the known ones); what the picture does not hold is read in one query
        and kept."""
        wanted, found = set(skus), {}
        with self._lock:
            for sku in wanted & self._products.keys():
                self._products.move_to_end(sku)
                found[sku] = self._products[sku]
        if missing := wanted - found.keys():
            changes = self._catalogue
            loaded = entered(uow).catalog.facts(missing)
            found |= loaded
            self._keep_products(changes, loaded)
        return found

    def _keep_products(self, changes: int, loaded: Mapping[str, ProductFacts]) -> None:
        with self._lock:
            if changes == self._catalogue:  # no product changed meanwhile
                self._products.update(loaded)
                while len(self._products) > MAX_PRODUCTS:
                    self._products.popitem(last=False)

    def place(self, uow: InventoryWork | None, country: str, postal_code: str) -> Point | None:
        key = (country, postal_code)
        found = self._places.get(key)
        if found is None:
            found = entered(uow).geo.locate(country, postal_code)
            if found is not None and len(self._places) < 100_000:
                self._places[key] = found
        return found

    def stock(self, uow: InventoryWork | None, skus: Iterable[str]) -> dict[str, SkuStock]:
        wanted = list(dict.fromkeys(skus))
        found = self.cached(wanted)
        missing = [sku for sku in wanted if sku not in found]
        if missing:
            found |= self._load(entered(uow), missing)
        self.hits += len(wanted) - len(missing)
        self.misses += len(missing)
        return found

    def cached(self, skus: Iterable[str]) -> dict[str, SkuStock]:
        """What the picture holds of `skus`, without loading anything."""
        found = {}
        with self._lock:
            for sku in skus:
                entry = self._skus.get(sku)
                if entry is not None:
                    self._skus.move_to_end(sku)
                    found[sku] = entry
        return found

    def availability(
        self,
        view: AvailabilityView,
        sku: str,
        entry: SkuStock,
        locations: Mapping[str, Location],
        now: datetime,
    ) -> SkuSummary:
        """The SKU's availability through `view`, computed again only when the stock
        changed or time made it change (`ordino.inventory.engine.availability.valid_until`)."""
        key = (view.name, view.version)
        kept = entry.results.get(key)
        if kept is not None and kept[0] <= now and (kept[1] is None or now < kept[1]):
            return kept[2]
        positions, inbound = entry.positions, entry.inbound
        summary = sku_availability(view, sku, positions, locations, inbound, now).summary()
        until = valid_until(view, positions, locations, inbound, now)
        entry.results[key] = (now, until, summary)
        return summary

    def sellable(
        self, uow: InventoryWork | None, view: AvailabilityView, skus: Sequence[str]
    ) -> dict[str, tuple[Sellable, ...]]:
        """Per SKU, the locations that ship it or hand it over in the view, with what
        each can give and the floor its reservation keeps."""
        held, locations = self.stock(uow, skus), self.locations(uow)
        key, found = (view.name, view.version), {}
        for sku, entry in held.items():
            sellable = entry.sellable.get(key)
            if sellable is None:
                stock, floors = sourcing_stock(view, entry.positions, locations, pickup=True)
                sellable = tuple(
                    Sellable(at.location_id, at.available[sku], floors[(at.location_id, sku)])
                    for at in stock
                )
                entry.sellable[key] = sellable
            found[sku] = sellable
        return found

    def detail(
        self,
        view: AvailabilityView,
        sku: str,
        entry: SkuStock,
        locations: Mapping[str, Location],
        now: datetime,
    ) -> SkuAvailability:
        """Per location: computed each time it is asked (rarely), never kept."""
        return sku_availability(view, sku, entry.positions, locations, entry.inbound, now)

    def _load(self, uow: InventoryWork, skus: Sequence[str]) -> dict[str, SkuStock]:
        with self._lock:
            seen = {sku: self._versions.get(sku, 0) for sku in skus}
            epoch, changes = self._epoch, self._catalogue
        products = uow.catalog.facts(skus)  # of the known SKUs
        by_sku: dict[str, list[tuple[Any, ...]]] = {sku: [] for sku in skus}
        names = self._names
        for p in uow.inventory.positions(skus, shipping_only=False):
            # One string per location and SKU, however many positions name it.
            location_id = names.setdefault(p.location_id, p.location_id)
            by_sku[p.sku].append((location_id, names.setdefault(p.sku, p.sku), *p[2:]))
        inbound = uow.supply.inbound(skus)
        loaded = {
            sku: SkuStock(
                sku in products, tuple(by_sku[sku]), tuple(i for i in inbound if i.sku == sku)
            )
            for sku in skus
        }
        self._keep_products(changes, products)
        with self._lock:
            if epoch == self._epoch:
                for sku, entry in loaded.items():
                    if self._versions.get(sku, 0) == seen[sku]:  # no change meanwhile
                        self._keep(sku, entry)
        return loaded

    def _keep(self, sku: str, entry: SkuStock) -> None:
        self._drop(sku)
        self._skus[sku] = entry
        self._held += len(entry.rows) + 1
        while self._held > self.max_positions and len(self._skus) > 1:
            oldest, _ = next(iter(self._skus.items()))
            self._drop(oldest)

    def _drop(self, sku: str) -> None:
        entry = self._skus.pop(sku, None)
        if entry is not None:
            self._held -= len(entry.rows) + 1


def _operations(
    locations: Mapping[str, Location], documents: Mapping[str, tuple[dict[str, Any], int]]
) -> dict[str, LocationOperations]:
    found = {}
    for location in locations.values():
        entry = documents.get(location.id)
        found[location.id] = (
            default_operations(location.id, location.time_zone)
            if entry is None
            else operations_from_document(location.id, location.time_zone, entry[0])
        )
    return found


def entered(uow: W | None) -> W:
    """The unit of work a miss loads through, or NotCached without one."""
    if uow is None:
        raise NotCached
    return uow
