"""`ordino bench load`, `bench feed`, `bench availability` and `bench change-feed`:
stock at retail scale.

`load` fills the database with a network of its own (ids prefixed NET-) through
the bulk path of `ordino inventory import`; `feed` and `availability` drive a
server started on that network over HTTP.
"""

from __future__ import annotations

import json
import random
import statistics
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import click
from sqlalchemy import Engine

from ordino.app.demo import demo_views
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Adjustment, Source
from ordino.inventory.services.availability import get_view, put_view
from ordino.inventory.services.stock import adjust_inventory
from ordino.kernel.domain.changes import Change
from ordino.store.change_feed import PostgresListener
from ordino.store.engine import make_engine
from ordino_lab.bench import bench, database_option, json_option, machine, report
from ordino_lab.bench_network import NetworkShape, configured, ensure_loaded, load
from ordino_lab.load import at_rate, post_all, run, running_server


def network_shape(locations: int, skus: int) -> NetworkShape:
    """The retail network: 1% warehouses, 3% drop-ship suppliers, the rest stores."""
    return NetworkShape(
        "NET",
        locations,
        skus,
        warehouses=max(1, locations // 100),
        suppliers=locations * 3 // 100,
        on_hand=(0, 40),
    )


locations_option = click.option("--locations", default=1_000, show_default=True)
skus_option = click.option("--skus", default=10_000, show_default=True)


@bench.command("load")
@database_option
@locations_option
@skus_option
@json_option
def load_command(database_url: str, locations: int, skus: int, json_path: Path | None) -> None:
    """Load LOCATIONS x SKUS positions (a count each, with its movement).

    `seconds` is the whole load (locations, products, counts, statistics);
    `positions_per_second` is measured over the counts alone."""
    engine = make_engine(database_url)
    started = time.perf_counter()
    counting = load(engine, network_shape(locations, skus))
    elapsed = time.perf_counter() - started
    positions = locations * skus
    report(
        {
            "benchmark": "load",
            "database": engine.dialect.name,
            "locations": locations,
            "skus": skus,
            "positions": positions,
            "seconds": round(elapsed, 1),
            "seconds_counting": round(counting, 1),
            "positions_per_second": round(positions / counting),
            "machine": machine(),
        },
        json_path,
    )


def _positions_of(
    shape: NetworkShape, rng: random.Random, count: int, spread: str
) -> list[tuple[str, str]]:
    """`count` positions to change: of one location (as a location's feed sends them),
    or anywhere in the network (the worst case for the database's caches)."""
    if spread == "location":
        location = shape.location_id(rng.randint(1, shape.locations))
        skus = rng.sample(range(1, shape.skus + 1), min(count, shape.skus))
        return [(location, shape.sku(n)) for n in sorted(skus)]
    return [
        (shape.location_id(rng.randint(1, shape.locations)), shape.sku(rng.randint(1, shape.skus)))
        for _ in range(count)
    ]


@bench.command("feed")
@database_option
@locations_option
@skus_option
@click.option("--workers", default=2, show_default=True, help="Server processes.")
@click.option("--clients", default=4, show_default=True, help="Concurrent feeds.")
@click.option("--batch", default=5_000, show_default=True, help="Deltas per request.")
@click.option("--updates", default=500_000, show_default=True, help="Deltas measured.")
@click.option(
    "--spread",
    type=click.Choice(["location", "random"]),
    default="location",
    show_default=True,
    help="A request's deltas: of one location, or of random positions anywhere.",
)
@click.option(
    "--signals/--no-signals",
    default=True,
    show_default=True,
    help="Evaluate the stock signals in the background, as production does.",
)
@json_option
def feed_command(
    database_url: str,
    locations: int,
    skus: int,
    workers: int,
    clients: int,
    batch: int,
    updates: int,
    spread: str,
    signals: bool,
    json_path: Path | None,
) -> None:
    """Bulk deltas over HTTP into the network `bench load` made (loaded first if not)."""
    shape, rng = network_shape(locations, skus), random.Random(5)
    engine = make_engine(database_url)
    ensure_loaded(engine, shape)
    run_id = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    bodies, sizes = [], []
    for start in range(0, updates + 2 * batch, batch):  # two batches to warm up
        keys = _positions_of(shape, rng, min(batch, updates + 2 * batch - start), spread)
        deltas = [
            {
                "event_id": f"{run_id}-{start + n}",
                "location_id": loc,
                "sku": sku,
                "delta": rng.choice((-1, 1, 2)),
            }
            for n, (loc, sku) in enumerate(keys)
        ]
        bodies.append(json.dumps({"adjustments": deltas}).encode())
        sizes.append(len(deltas))
    settings = {} if signals else {"ORDINO_SIGNAL_SECONDS": "0"}
    with running_server(database_url, workers, settings=settings) as server:
        run(post_all(server, "/v1/inventory/adjustments", bodies[:2], 2))  # warm up
        outcome = run(post_all(server, "/v1/inventory/adjustments", bodies[2:], clients))
    measured = sum(sizes[2:])
    report(
        {
            "benchmark": "feed",
            "database": engine.dialect.name,
            "workers": workers,
            "clients": clients,
            "batch": batch,
            "spread": spread,
            "signals": signals,
            "updates": measured,
            "requests": dict(sorted(outcome.statuses.items())),
            "updates_per_second": round(measured / outcome.elapsed),
            "p50_ms": round(outcome.percentile(0.5) * 1000, 1),
            "p99_ms": round(outcome.percentile(0.99) * 1000, 1),
            "machine": machine(),
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
        },
        json_path,
    )


READS = {  # mode: (what a request asks, default rate a second)
    "sku": ("one SKU across the network", 2_000),
    "cart": ("a cart of 20 SKUs", 500),
    "nearest": ("the nearest 10 pickup stores with stock within 50 km", 1_000),
}


def _read_paths(mode: str, shape: NetworkShape, hot: int, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)

    def sku() -> str:
        return shape.sku(rng.randint(1, hot))

    if mode == "sku":
        return [f"/v1/availability?channel=web&skus={sku()}" for _ in range(count)]
    if mode == "cart":
        return [
            "/v1/availability?channel=web&skus=" + ",".join(sku() for _ in range(20))
            for _ in range(count)
        ]
    return [
        f"/v1/availability?channel=web&skus={sku()}&radius_km=50&nearest=10"
        f"&latitude={rng.uniform(48, 54):.4f}&longitude={rng.uniform(7, 14):.4f}"
        for _ in range(count)
    ]


@bench.command("availability")
@database_option
@locations_option
@skus_option
@click.option("--workers", default=2, show_default=True, help="Server processes.")
@click.option(
    "--hot-skus",
    default=1_000,
    show_default=True,
    help="Reads pick among the first N SKUs (what the servers' pictures hold).",
)
@click.option("--seconds", default=20, show_default=True, help="Measured per mode.")
@click.option("--mode", "modes", multiple=True, type=click.Choice(list(READS)), default=list(READS))
@click.option("--rate", default=None, type=float, help="Reads a second (default per mode).")
@json_option
def availability_command(
    database_url: str,
    locations: int,
    skus: int,
    workers: int,
    hot_skus: int,
    seconds: int,
    modes: tuple[str, ...],
    rate: float | None,
    json_path: Path | None,
) -> None:
    """Availability reads at a fixed rate, after a warm-up at the same rate, over the
    network `bench load` made (loaded first if not)."""
    shape, engine = network_shape(locations, skus), make_engine(database_url)
    ensure_loaded(engine, shape)
    bench_views(engine)
    figures: dict[str, object] = {"benchmark": "availability", "database": engine.dialect.name}
    figures |= {"workers": workers, "hot_skus": hot_skus, "seconds": seconds}
    with running_server(database_url, workers, settings={"ORDINO_SIGNAL_SECONDS": "0"}) as server:
        for n, mode in enumerate(modes):
            per_second = rate or READS[mode][1]
            count = int(per_second * seconds)
            warm = _read_paths(mode, shape, hot_skus, count, seed=n)
            run(at_rate(server, warm, per_second))
            outcome = run(
                at_rate(server, _read_paths(mode, shape, hot_skus, count, seed=100 + n), per_second)
            )
            figures[mode] = {
                "asks": READS[mode][0],
                "rate": per_second,
                "reads": outcome.completed,
                "statuses": dict(sorted(outcome.statuses.items())),
                "achieved_per_second": round(outcome.completed / outcome.elapsed),
                "late": outcome.late,
                "p50_ms": round(outcome.percentile(0.5) * 1000, 2),
                "p99_ms": round(outcome.percentile(0.99) * 1000, 2),
            }
    figures |= {"machine": machine(), "date": datetime.now(UTC).isoformat(timespec="seconds")}
    report(figures, json_path)


def bench_views(engine: Engine) -> None:
    """The demo's two views, over the bench network (unless the database has its own)."""
    uow = SqlUnitOfWork(engine)
    for view in demo_views():
        if not configured(get_view, view.name, uow):
            put_view(view, uow, datetime.now(UTC))


@bench.command("change-feed")
@database_option
@click.option("--commits", default=200, show_default=True)
@json_option
def change_feed_command(database_url: str, commits: int, json_path: Path | None) -> None:
    """How long another process waits to hear a commit (PostgreSQL NOTIFY): from the
    writer's commit returning to a listener on its own connection hearing it."""
    engine = make_engine(database_url)
    if engine.dialect.name != "postgresql":
        raise click.ClickException("the change feed to measure is PostgreSQL's NOTIFY")
    load(engine, NetworkShape("FEED", 1, 1, warehouses=1))
    heard, delays = threading.Event(), []
    stamp: dict[str, float] = {}

    def forget(change: Change) -> None:
        if "FEED-000001" in change.skus:
            stamp["heard"] = time.perf_counter()
            heard.set()

    listener = PostgresListener(engine, forget)
    listener.start()
    listener.listening.wait(10)
    uow, run_id = SqlUnitOfWork(engine), datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
    for n in range(commits):
        heard.clear()
        delta = Adjustment(f"{run_id}-{n}", "FEED-L0001", "FEED-000001", 1)
        adjust_inventory([delta], Source("bench", datetime.now(UTC)), uow)
        committed = time.perf_counter()
        if heard.wait(10):
            delays.append(max(0.0, stamp["heard"] - committed) * 1000)
    listener.stop()
    delays.sort()
    report(
        {
            "benchmark": "change-feed",
            "commits": commits,
            "heard": len(delays),
            "median_ms": round(statistics.median(delays), 3),
            "p99_ms": round(delays[max(0, int(len(delays) * 0.99) - 1)], 3),
            "max_ms": round(delays[-1], 3),
            "machine": machine(),
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
        },
        json_path,
    )
