"""`ordino bench load`, `bench feed` and `bench availability`: stock at retail scale.

`load` fills the database with a network of its own (ids prefixed NET-) through
the bulk path of `ordino inventory import`; `feed` and `availability` drive a
server started on that network over HTTP.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from ordino.cli.bench import bench, database_option, json_option, machine, report
from ordino.cli.bench_network import NetworkShape, load
from ordino.store.engine import make_engine


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
