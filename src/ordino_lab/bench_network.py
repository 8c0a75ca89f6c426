"""Networks for the benchmarks: locations over Germany, products, stock at every
location, loaded through the same bulk path as `ordino inventory import`.

Deterministic (seeded), so two runs load the same network; ids carry a prefix of
the bench's own, so a bench never touches anything else in the database. What it
needs that has names of their own (the channels `web`, `app`, the views) it creates
only when missing: a database's own configuration is never replaced by a bench.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import click
from sqlalchemy import Engine, select

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.app.unit_of_work import UnitOfWork
from ordino.cli.progress import progress
from ordino.inventory.domain.feeds import Count, Source
from ordino.inventory.services.imports import Line, import_counts
from ordino.inventory.store.tables import positions
from ordino.kernel.domain.errors import NotFound
from ordino.kernel.domain.geo import Point
from ordino.network.domain.channels import Channel
from ordino.network.domain.locations import Address, Location, LocationType
from ordino.network.domain.products import Product
from ordino.network.services.catalogue import put_locations, put_products
from ordino.network.services.channels import get_channel, put_channel
from ordino.store import migrate
from ordino.store.engine import analyze
from ordino_lab.traffic import MARKETPLACES


@dataclass(frozen=True)
class NetworkShape:
    prefix: str
    locations: int
    skus: int
    warehouses: int  # the first locations; then suppliers; the rest are stores
    suppliers: int = 0
    on_hand: tuple[int, int] = (0, 50)  # drawn uniformly per position

    def location_id(self, n: int) -> str:
        return f"{self.prefix}-L{n:04d}"

    def sku(self, n: int) -> str:
        return f"{self.prefix}-{n:06d}"

    @property
    def sku_ids(self) -> list[str]:
        return [self.sku(n) for n in range(1, self.skus + 1)]


def configured(read: Callable[[str, UnitOfWork], object], name: str, uow: UnitOfWork) -> bool:
    """Whether `read` (`get_channel`, `get_view`) finds the thing of that name."""
    try:
        read(name, uow)
    except NotFound:
        return False
    return True


def _now() -> datetime:
    return datetime.now(UTC)


def location(shape: NetworkShape, n: int, rng: random.Random) -> Location:
    point = Point(round(rng.uniform(47.5, 54.5), 4), round(rng.uniform(6.5, 14.5), 4))
    if n <= shape.warehouses:
        kind, ships, pickup = LocationType.WAREHOUSE, True, False
    elif n <= shape.warehouses + shape.suppliers:
        kind, ships, pickup = LocationType.SUPPLIER, True, False
    else:  # four stores in five ship; every store takes pickups
        kind, ships, pickup = LocationType.STORE, n % 5 != 0, True
    return Location(
        shape.location_id(n),
        f"Bench {kind} {n}",
        kind,
        Address(f"Benchstr. {n}", "Bench", f"{10000 + n}", "DE"),
        point,
        "Europe/Berlin",
        ships=ships,
        pickup=pickup,
        returns=True,
    )


def load(engine: Engine, shape: NetworkShape) -> float:
    """Upsert the network and count every position; returns the seconds the counts took.
    Each step says what it does on stderr (the long ones with a progress bar)."""
    migrate.upgrade(engine)
    uow, rng = SqlUnitOfWork(engine), random.Random(7)
    sites = [location(shape, n, rng) for n in range(1, shape.locations + 1)]
    click.echo(f"loading {len(sites):,} locations", err=True)
    put_locations(sites, uow, _now())
    for name in ("bench", "web", "app", *MARKETPLACES):  # the benches' orders and reads
        if not configured(get_channel, name, uow):
            put_channel(Channel(name), uow, _now())
    products = [
        Product(sku, f"Bench product {sku}", Decimal("0.4"), {"EUR": Decimal("19.90")})
        for sku in shape.sku_ids
    ]
    with progress(len(products), f"loading {len(products):,} products") as bar:
        for start in range(0, len(products), 1000):
            put_products(products[start : start + 1000], uow, _now())
            bar.update(len(products[start : start + 1000]))
    total = len(sites) * len(products)
    started = time.perf_counter()
    with progress(total, f"counting {total:,} positions") as bar:
        report = import_counts(
            _counts(shape, sites),
            None,
            Source("bench", _now()),
            lambda: SqlUnitOfWork(engine),
            progress=bar.update,
            workers=2 if engine.dialect.name == "postgresql" else 1,
        )
    elapsed = time.perf_counter() - started
    if report.rejected:
        raise click.ClickException(f"the bench network was refused: {report.rejected[:3]}")
    click.echo("updating the planner's statistics (ANALYZE)", err=True)
    analyze(engine)
    return elapsed


def ensure_loaded(engine: Engine, shape: NetworkShape) -> None:
    """Load the network unless it is there (its last location holds its last SKU):
    the benches that read it then run on a fresh database too."""
    migrate.upgrade(engine)
    last = (shape.location_id(shape.locations), shape.sku(shape.skus))
    with engine.connect() as connection:
        there = connection.scalar(
            select(positions.c.on_hand).where(
                positions.c.location_id == last[0], positions.c.sku == last[1]
            )
        )
    if there is None:
        click.echo(
            f"no network of {shape.locations:,} x {shape.skus:,} here: "
            "loading it first (as `ordino bench load`)",
            err=True,
        )
        load(engine, shape)


def _counts(shape: NetworkShape, sites: list[Location]) -> Iterator[Line]:
    rng = random.Random(13)
    low, high = shape.on_hand
    n = 0
    for site in sites:
        for sku in shape.sku_ids:
            n += 1
            yield n, Count(site.id, sku, rng.randint(low, high), 0)
