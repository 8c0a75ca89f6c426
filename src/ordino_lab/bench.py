"""`ordino bench capture` and `ordino bench flash-sale`.

Both start their own server (`ordino serve --workers N`) against the given database,
load a network of their own (ids prefixed BENCH-), drive it over HTTP from
concurrent clients, and finish with `ordino check`'s verdict on the database.

Every bench writes to the database given with `--database-url` only: without it, to
a temporary SQLite database removed afterwards, never to ORDINO_DATABASE_URL's (the
demo's or the user's own).
"""

from __future__ import annotations

import json
import platform
import random
import tempfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Engine, select, update

from ordino.app.check import check_inventory
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.cli.options import remember_database
from ordino.inventory.domain.feeds import Count, Source
from ordino.inventory.services.stock import count_stock
from ordino.inventory.store.tables import positions
from ordino.network.domain import Channel, ChannelPricing, ShippingRate
from ordino.network.domain.products import Product
from ordino.network.services.catalogue import put_product
from ordino.network.services.channels import put_channel
from ordino.network.store.tables import products
from ordino.pricing.domain import Benefit, Limits, Promotion, TaxSettings
from ordino.pricing.services import load_rates, put_promotion, put_settings
from ordino.store.engine import make_engine
from ordino_lab.bench_network import NetworkShape, load
from ordino_lab.load import Outcome, post_all, run, running_server


def _bench_database(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    if value is None:
        folder = ctx.with_resource(tempfile.TemporaryDirectory(prefix="ordino-bench-"))
        value = f"sqlite:///{Path(folder) / 'bench.db'}"
        click.echo(
            f"no --database-url: benchmarking on a temporary SQLite database in {folder}, "
            "removed afterwards",
            err=True,
        )
    return str(remember_database(ctx, param, value))


database_option = click.option(
    "--database-url",
    default=None,
    callback=_bench_database,
    help="The database to benchmark on (the bench's ids are its own: BENCH-, NET-). "
    "Default: a temporary SQLite database, removed afterwards (never ORDINO_DATABASE_URL's).",
)
json_option = click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the figures to this JSON file.",
)


def bench_engine(database_url: str) -> Engine:
    """The bench's engine, let go when the command ends."""
    engine = make_engine(database_url)
    click.get_current_context().call_on_close(engine.dispose)
    return engine


def _now() -> datetime:
    return datetime.now(UTC)


@click.group()
def bench() -> None:
    """Benchmarks: order capture throughput and the flash sale."""


def load_network(engine: Engine, locations: int, skus: int, on_hand: int) -> list[str]:
    """The capture bench's network: `locations` warehouses holding `on_hand` of each SKU."""
    shape = NetworkShape("BENCH", locations, skus, warehouses=locations, on_hand=(on_hand, on_hand))
    load(engine, shape)
    return shape.sku_ids


def order_body(
    n: int,
    run: str,
    skus: list[str],
    rng: random.Random,
    lines: int,
    quantity: int = 1,
    *,
    paid: bool = False,
) -> bytes:
    body: dict[str, Any] = {
        "channel": "bench",
        "external_id": f"{run}-{n}",
        "currency": "EUR",
        "customer": {"email": f"buyer{n}@example.com", "name": f"Buyer {n}"},
        "ship_to": {
            "line1": "Teststr. 1",
            "city": "Teststadt",
            "postal_code": "12345",
            "country": "DE",
            "latitude": round(rng.uniform(47.5, 54.5), 4),
            "longitude": round(rng.uniform(6.5, 14.5), 4),
        },
        "lines": [
            {"sku": sku, "quantity": quantity, "unit_price": "19.90"}
            for sku in rng.sample(skus, lines)
        ],
    }
    if paid:  # by card: its payment written with the order, authorised by the pipeline
        body["tenders"] = [{"method": "card", "token": "4242424242424242"}]
    return json.dumps(body).encode()


def machine() -> str:
    cpus = len(__import__("os").sched_getaffinity(0))
    return f"{platform.node()}, {cpus} cores, Python {platform.python_version()}"


def report(figures: dict[str, Any], json_path: Path | None) -> None:
    width = max(len(k) for k in figures)
    for name, value in figures.items():
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            click.echo(f"{name}:")  # lines of text (statements), one per line
            for line in value:
                click.echo(f"  {line}")
            continue
        click.echo(f"{name:<{width}}  {value}")
    if json_path is not None:
        json_path.write_text(json.dumps(figures, indent=2) + "\n")


def inventory_problems(engine: Engine) -> list[str]:
    return [f"{d.location_id} {d.sku}: {d.problem}" for d in check_inventory(SqlUnitOfWork(engine))]


GERMAN_VAT = """country,tax_class,rate,valid_from,valid_until
DE,standard,19,2021-01-01,
DE,reduced,7,2021-01-01,
"""


def with_money(engine: Engine, skus: list[str], *, limited: bool = False) -> None:
    """Ordino works out the money of the bench's orders: their VAT (German, to
    Germany; every other SKU at the reduced rate), two promotions that apply to them
    (10 % off from 30.00; 5 % off every other SKU), a shipping rate of 4.90 on the
    channel; `limited`: a third promotion with a budget (every order takes a use)."""
    now = _now()
    put_settings(TaxSettings("DE", "DE123456704"), SqlUnitOfWork(engine), now, "bench")
    load_rates(GERMAN_VAT, SqlUnitOfWork(engine), now, "bench")
    with engine.begin() as connection:
        reduced = update(products).where(products.c.sku.in_(skus[::2]))
        connection.execute(reduced.values(tax_class="reduced"))
    rates = (ShippingRate("EUR", Decimal("4.90"), free_from=Decimal("100.00")),)
    put_channel(
        Channel("bench", pricing=ChannelPricing(shipping=rates)), SqlUnitOfWork(engine), now
    )
    promotions = [
        Promotion("ten", "10 % off from 30.00", Benefit.ORDER_PERCENT, Decimal(10), "EUR",
                  threshold=Decimal("30.00")),
        Promotion("five", "5 % off", Benefit.LINE_PERCENT, Decimal(5), skus=frozenset(skus[::2])),
    ]  # fmt: skip
    if limited:
        budget = Limits(budget=Decimal("100000000.00"))
        promotions.append(
            Promotion("budget", "1 % off", Benefit.ORDER_PERCENT, Decimal(1), "EUR", limits=budget)
        )
    for promotion in promotions:
        put_promotion(promotion, SqlUnitOfWork(engine), now, "bench")


@bench.command("flash-sale")
@database_option
@click.option("--workers", default=4, show_default=True, help="Server processes.")
@click.option("--buyers", default=2_000, show_default=True, help="Concurrent buyers.")
@click.option("--units", default=100, show_default=True, help="Units of the one SKU.")
@json_option
def flash_sale(
    database_url: str, workers: int, buyers: int, units: int, json_path: Path | None
) -> None:
    """Many buyers at once for few units of one SKU: exactly `units` must sell."""
    engine = bench_engine(database_url)
    load_network(engine, locations=1, skus=1, on_hand=0)
    run_id = _now().strftime("%Y%m%d%H%M%S%f")
    sku = f"FLASH-{run_id}"
    uow, now = SqlUnitOfWork(engine), _now()
    put_product(Product(sku, "Flash sale item", None, {"EUR": Decimal("9.90")}), uow, now)
    count_stock([Count("BENCH-L0001", sku, units, 0)], None, Source("bench", now), uow)
    rng = random.Random(3)
    bodies = [order_body(n, run_id, [sku], rng, lines=1) for n in range(buyers)]
    with running_server(database_url, workers) as server:
        outcome = run(post_all(server, "/v1/orders", bodies, buyers, keep_bodies=True))
    report(_flash_figures(outcome, engine, sku, units, workers), json_path)


def _flash_figures(
    outcome: Outcome, engine: Engine, sku: str, units: int, workers: int
) -> dict[str, Any]:
    sold = sum(
        line["quantity"] for body in outcome.bodies if "lines" in body for line in body["lines"]
    )
    with engine.connect() as connection:
        reserved = connection.scalar(select(positions.c.reserved).where(positions.c.sku == sku))
    problems = inventory_problems(engine)
    return {
        "benchmark": "flash-sale",
        "database": engine.dialect.name,
        "workers": workers,
        "buyers": outcome.completed,
        "units": units,
        "sold": sold,
        "reserved": reserved,
        "oversold": max(0, sold - units),
        "statuses": dict(sorted(outcome.statuses.items())),
        "seconds": round(outcome.elapsed, 2),
        "p99_ms": round(outcome.percentile(0.99) * 1000),
        "check": "clean" if not problems else problems[:10],
        "machine": machine(),
        "date": _now().isoformat(timespec="seconds"),
    }
