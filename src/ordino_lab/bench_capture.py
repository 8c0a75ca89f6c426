"""`ordino bench capture`: order capture's throughput, latency and the database's work
per order, beside the reference probe (the workplace's perf/run-probe) when given.

It starts its own server (`ordino serve --workers N`) against the given database,
loads a network of its own (ids BENCH-), drives it over HTTP from concurrent clients,
and finishes with `ordino check`'s verdict on the database. With `--probe`, each round
serves the same orders from the same client first to the probe (on a database of its
own beside the bench's), then to Ordino: machines here are noisy, so Ordino's rate is
given as a share of the probe's, round by round.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Engine

from ordino.store.engine import analyze
from ordino_lab import database_work
from ordino_lab.bench import (
    bench,
    bench_engine,
    database_option,
    inventory_problems,
    json_option,
    load_network,
    machine,
    order_body,
    report,
    with_money,
)
from ordino_lab.load import Outcome, Server, post_all, run, running_server
from ordino_lab.probe import probe_database, running_probe


@bench.command()
@database_option
@click.option("--workers", default=3, show_default=True, help="Server processes.")
@click.option("--clients", default=32, show_default=True, help="Concurrent clients.")
@click.option("--orders", default=20_000, show_default=True, help="Orders measured.")
@click.option("--warmup", default=1_000, show_default=True, help="Orders before measuring.")
@click.option("--locations", default=20, show_default=True)
@click.option("--skus", default=1_000, show_default=True)
@click.option("--pool-size", default=4, show_default=True, help="Connections per process.")
@click.option(
    "--money/--no-money",
    default=False,
    help="Orders with their money worked out: VAT (a German seller, German rates, every "
    "other SKU at the reduced rate), two promotions (10 % off from 30.00, 5 % off every "
    "other SKU), a shipping rate, and paid by card (its tender): what the order's money "
    "costs capture.",
)
@click.option(
    "--limited/--no-limited",
    default=False,
    help="With --money: a third promotion with a budget, so every order takes its use by "
    "a conditional write on one row.",
)
@click.option(
    "--background/--no-background",
    default=True,
    help="The server processes run their worker (each order's jobs) and relay (the "
    "outbox), as in production; --no-background: capture alone.",
)
@click.option(
    "--analyze/--no-analyze",
    default=True,
    help="ANALYZE after the warm-up, as autovacuum would; --no-analyze: the planner's "
    "statistics never gathered (the hot path must use its indexes even so).",
)
@click.option(
    "--probe",
    "probe_script",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The reference probe's `run-probe` (the workplace's perf/): measured in the same "
    "run, with the same client, concurrency, processes and orders, on a database of its "
    "own beside --database-url's; Ordino's rate is given as a share of it.",
)
@click.option(
    "--rounds",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Runs of each side, alternating (each on new orders).",
)
@json_option
def capture(
    database_url: str,
    workers: int,
    clients: int,
    orders: int,
    warmup: int,
    locations: int,
    skus: int,
    pool_size: int,
    money: bool,
    limited: bool,
    background: bool,
    analyze: bool,
    probe_script: Path | None,
    rounds: int,
    json_path: Path | None,
) -> None:
    """Order capture: 2-line orders from concurrent clients; orders/s, latency and the
    database's work per order; with --probe, as a share of the reference probe."""
    probe = None if probe_script is None else (probe_script, _probe_database(database_url))
    engine = bench_engine(database_url)
    click.echo(f"loading {locations} locations x {skus} SKUs …", err=True)
    names = load_network(engine, locations, skus, on_hand=10_000_000)
    if money:
        with_money(engine, names, limited=limited)
    run_id, rng = datetime.now(UTC).strftime("%Y%m%d%H%M%S"), random.Random(11)
    count = rounds * (warmup + orders)
    bodies = [order_body(n, run_id, names, rng, lines=2, paid=money) for n in range(count)]
    side = CaptureSide(database_url, workers, pool_size, clients, background, analyze)
    runs: list[dict[str, Any]] = []
    for n in range(rounds):
        mine = bodies[n * (warmup + orders) : (n + 1) * (warmup + orders)]
        if probe is not None:
            with running_probe(*probe, workers) as server:
                click.echo(f"round {n + 1}: the probe …", err=True)
                runs.append(
                    {"side": "probe", **_measured(server, "/orders", mine, warmup, clients)}
                )
        click.echo(f"round {n + 1}: Ordino, {warmup} orders to warm up, then {orders} …", err=True)
        runs.append({"side": "ordino", **side.measure(engine, mine, warmup)})
    figures = _capture_figures(runs, engine, side)
    sides = {"money": money, "limited": money and limited}
    report({"benchmark": figures.pop("benchmark"), **sides, **figures}, json_path)


def _probe_database(database_url: str) -> str:
    """The probe's database, made before anything is loaded; why it cannot be, as a
    usage error."""
    try:
        return probe_database(database_url)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--probe") from error


@dataclass(frozen=True)
class CaptureSide:
    """How Ordino is run for `bench capture`."""

    database_url: str
    workers: int
    pool_size: int
    clients: int
    background: bool
    analyze: bool

    def measure(self, engine: Engine, bodies: list[bytes], warmup: int) -> dict[str, Any]:
        """Warm up, ANALYZE (as autovacuum would, once the order tables are no longer
        empty), then the measured orders, counted by the database too."""
        settings = (
            {} if self.background else {"ORDINO_WORKER_SECONDS": "0", "ORDINO_RELAY_SECONDS": "0"}
        )
        with running_server(self.database_url, self.workers, self.pool_size, settings) as server:
            run(post_all(server, "/v1/orders", bodies[:warmup], self.clients))
            if self.analyze:
                analyze(engine)
            database_work.settle(engine)  # the warm-up's counts reported
            before = database_work.tally(engine)
            outcome = run(post_all(server, "/v1/orders", bodies[warmup:], self.clients))
        database_work.quiet(engine)  # the server's backends gone: their counts reported
        after = database_work.tally(engine)
        return {**_rates(outcome), **database_work.per_order(before, after, outcome.completed)}


def _measured(
    server: Server, path: str, bodies: list[bytes], warmup: int, clients: int
) -> dict[str, Any]:
    run(post_all(server, path, bodies[:warmup], clients))
    return _rates(run(post_all(server, path, bodies[warmup:], clients)))


def _rates(outcome: Outcome) -> dict[str, Any]:
    return {
        "orders": outcome.completed,
        "created": outcome.statuses.get(201, 0),
        "errors": outcome.completed - outcome.statuses.get(201, 0),
        "orders_per_second": round(outcome.completed / outcome.elapsed, 1),
        "p50_ms": round(outcome.percentile(0.50) * 1000, 1),
        "p99_ms": round(outcome.percentile(0.99) * 1000, 1),
    }


def _capture_figures(
    runs: list[dict[str, Any]], engine: Engine, side: CaptureSide
) -> dict[str, Any]:
    """The last round's figures (orders, latency, work per order), each round's rate,
    and with the probe, Ordino's rate as a share of the probe's in each round."""
    found = inventory_problems(engine)
    ordino = [r for r in runs if r["side"] == "ordino"]
    probe = [r for r in runs if r["side"] == "probe"]
    figures: dict[str, Any] = {
        "benchmark": "capture",
        "database": engine.dialect.name,
        "workers": side.workers,
        "clients": side.clients,
        "background": side.background,
        "analyze": side.analyze,
        **{k: v for k, v in ordino[-1].items() if k != "side"},
    }
    if len(ordino) > 1:
        figures["rounds_orders_per_second"] = [r["orders_per_second"] for r in ordino]
    if probe:
        figures["probe_orders_per_second"] = [r["orders_per_second"] for r in probe]
        figures["probe_p99_ms"] = [r["p99_ms"] for r in probe]
        shares = [
            o["orders_per_second"] / p["orders_per_second"]
            for o, p in zip(ordino, probe, strict=True)
        ]
        figures["share_of_probe"] = [f"{share:.1%}" for share in shares]
    figures["check"] = "clean" if not found else found[:10]
    figures["machine"] = machine()
    figures["date"] = datetime.now(UTC).isoformat(timespec="seconds")
    return figures
