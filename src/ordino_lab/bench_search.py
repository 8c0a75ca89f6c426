"""`ordino bench search`: product search on a catalogue of realistic size.

Loads a catalogue of its own (SKUs prefixed CAT-: names and attributes drawn from a
small clothing vocabulary, accents included, stock at a few locations), refreshes
the planner's statistics (ANALYZE, as after any bulk load), then runs each kind of
search in this process through the use case, each time in a new picture of stock
(the cost of a process that has read nothing yet), and reports per kind the
latency and the statements a search sent.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Engine, event, select

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.cli.progress import progress
from ordino.inventory.domain.feeds import Count, Source
from ordino.inventory.services.availability import Near
from ordino.inventory.services.imports import import_counts
from ordino.inventory.services.product_search import ProductSearch, search_products
from ordino.inventory.services.stock_cache import StockPicture
from ordino.kernel.domain.geo import Point
from ordino.network.domain.products import Product, ProductQuery
from ordino.network.services.catalogue import put_locations, put_products
from ordino.network.store.tables import products
from ordino.store import migrate
from ordino.store.engine import analyze, make_engine
from ordino_lab.bench import bench, database_option, json_option, machine, report
from ordino_lab.bench_network import NetworkShape, location

KINDS = ("Rain jacket", "Crème parka", "Trail shoe", "Wool sweater", "Straßen boot", "Cap")
COLOURS = ("red", "blue", "green", "black", "white", "grey", "navy", "ochre")
SIZES = ("XS", "S", "M", "L", "XL", "38", "40", "42", "44")
BRANDS = tuple(f"Brand{n:03d}" for n in range(200))
BERLIN = Point(52.52, 13.40)

# Each made from a random SKU (a cursor) and the catalogue's size.
SEARCHES: dict[str, Callable[[str, int], ProductSearch]] = {
    "common word (every 6th product)": lambda _, __: ProductSearch(ProductQuery.of("jacket"), 20),
    "rare word (a brand)": lambda _, __: ProductSearch(ProductQuery.of("brand117"), 20),
    "two words and an attribute": lambda _, __: ProductSearch(
        ProductQuery.of("creme parka", [("colour", "navy")]), 20
    ),
    "every product, a deep page": lambda after, _: ProductSearch(ProductQuery.of(after=after), 20),
    "in stock near Berlin": lambda _, __: ProductSearch(
        ProductQuery.of("shoe"), 20, near=Near(BERLIN, radius_km=300), in_stock=True
    ),
    # Past the stocked tenth: five pages of candidates weighed, none kept.
    "in stock, none of five pages": lambda _, count: ProductSearch(
        ProductQuery.of("jacket", after=sku_of(count // 10 + 1)), 20, in_stock=True
    ),
}


def sku_of(n: int) -> str:
    return f"CAT-{n:06d}"


def _product(n: int, rng: random.Random) -> Product:
    kind, colour, size = rng.choice(KINDS), rng.choice(COLOURS), rng.choice(SIZES)
    attributes = {"colour": colour, "size": size, "brand": rng.choice(BRANDS)}
    prices = {"EUR": Decimal(rng.randint(500, 20_000)) / 100}
    return Product(sku_of(n), f"{kind} {colour} {size}", Decimal("0.5"), prices, attributes)


def load_catalogue(engine: Engine, count: int, locations: int) -> None:
    """The catalogue, unless it is there, with the first tenth of it stocked."""
    migrate.upgrade(engine)
    with engine.connect() as connection:
        if connection.scalar(select(products.c.sku).where(products.c.sku == sku_of(count))):
            return
    uow, rng, now = SqlUnitOfWork(engine), random.Random(5), datetime.now(UTC)
    shape = NetworkShape("CAT", locations, 0, warehouses=1)
    sites = [location(shape, n, rng) for n in range(1, locations + 1)]
    put_locations(sites, uow, now)
    with progress(count, f"loading {count:,} products") as bar:
        for start in range(1, count + 1, 1000):
            chunk = [_product(n, rng) for n in range(start, min(start + 1000, count + 1))]
            put_products(chunk, uow, now)
            bar.update(len(chunk))
    counts = (
        (n, Count(site.id, sku_of(s), rng.randint(0, 3), 0))
        for n, (site, s) in enumerate(
            ((site, s) for site in sites for s in range(1, count // 10 + 1)), start=1
        )
    )
    report_ = import_counts(counts, None, Source("bench", now), lambda: SqlUnitOfWork(engine))
    if report_.rejected:
        raise click.ClickException(f"the bench's stock was refused: {report_.rejected[:3]}")
    click.echo("updating the planner's statistics (ANALYZE)", err=True)
    analyze(engine)


def _measure(
    engine: Engine, make: Callable[[str, int], ProductSearch], rounds: int, count: int
) -> dict[str, Any]:
    sent = [0]

    def tally(*_: Any) -> None:
        sent[0] += 1

    uow, seconds, statements = SqlUnitOfWork(engine), [], []
    rng = random.Random(3)
    for _ in range(rounds):
        search, sent[0] = make(sku_of(rng.randint(1, count)), count), 0
        event.listen(engine, "before_cursor_execute", tally)
        started = time.perf_counter()
        search_products(search, uow, StockPicture(), datetime.now(UTC))
        seconds.append(time.perf_counter() - started)
        event.remove(engine, "before_cursor_execute", tally)
        statements.append(sent[0])
    cuts = statistics.quantiles(seconds, n=100)
    return {
        "p50_ms": round(cuts[49] * 1000, 2),
        "p99_ms": round(cuts[98] * 1000, 2),
        "statements": max(statements),
    }


@bench.command("search")
@database_option
@click.option("--products", "count", default=50_000, show_default=True)
@click.option("--locations", default=20, show_default=True, help="Stocking the first tenth.")
@click.option("--rounds", default=200, show_default=True, help="Searches of each kind.")
@json_option
def search_command(
    database_url: str, count: int, locations: int, rounds: int, json_path: Path | None
) -> None:
    """Product search's latency and statements, per kind of search, in a new picture of
    stock each time (a page of 20)."""
    engine = make_engine(database_url)
    load_catalogue(engine, count, locations)
    figures: dict[str, Any] = {"machine": machine(), "products": count, "locations": locations}
    for name, make in SEARCHES.items():
        figures[name] = _measure(engine, make, rounds, count)
    engine.dispose()
    report(figures, json_path)
