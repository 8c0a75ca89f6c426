"""`ordino bench orchestration`: orders from capture to shipped, end to end.

Starts `ordino serve --workers SERVERS` (its processes relay the outbox and run no
jobs: ORDINO_WORKER_SECONDS=0) and WORKERS `ordino worker` processes against the
database, loads a network of its own (ids BENCH-, as `bench capture`), and places
2-line orders paid by card (the sandbox gateway) at a fixed rate while the
locations, played by ordino_lab.traffic_parties, poll their queues and accept and ship what
is released to them at once. A first batch of orders runs through the whole way
before the measured run and ANALYZE (as `bench capture` does).

Measured from the outbox, so the clients' timing does not enter: the times of each
order's `order.created`, first `fulfillment.released` and last `fulfillment.shipped`;
and, sampled every second, the age of the oldest event not yet published.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Engine, case, func, select

from ordino.app.check import check_inventory
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.store.engine import analyze, make_engine
from ordino.store.tables import jobs, outbox
from ordino_lab import database_work
from ordino_lab.bench import bench, database_option, json_option, load_network, machine, report
from ordino_lab.load import run, running_server
from ordino_lab.simulate_traffic import Run, play
from ordino_lab.traffic import FINAL, Behaviour, Catalogue, Destination, Product, Site
from ordino_lab.traffic_parties import Plan

# The locations accept and ship at once, in one parcel; no rejections, no declines.
FAST = Behaviour(
    promise_rate=0.0,
    marketplace_rate=0.0,
    decline_rate=0.0,
    reject_rate=0.0,
    split_rate=0.0,
    pace=0.0,
    picks=False,
    deliver=False,
)
MILESTONES = ("order.created", "fulfillment.released", "fulfillment.shipped")


def bench_catalogue(skus: list[str], locations: int) -> Catalogue:
    rng = random.Random(17)
    places = tuple(
        Destination(
            "DE", "12345", "Teststadt", round(rng.uniform(47.5, 54.5), 4), rng.uniform(6.5, 14.5)
        )
        for _ in range(500)
    )
    sites = tuple(Site(f"BENCH-L{n:04d}", "bench") for n in range(1, locations + 1))
    return Catalogue(tuple(Product(sku, "19.90") for sku in skus), places, sites)


@contextmanager
def worker_processes(database_url: str, count: int, poll: float) -> Iterator[None]:
    """`ordino worker` in `count` child processes, stopped (SIGINT, then SIGKILL) on
    exit; one that died on the way is an error, with its log."""
    command = [sys.executable, "-m", "ordino", "worker", "--database-url", database_url]
    command += ["--poll", str(poll)]
    with tempfile.TemporaryFile(mode="w+") as log:
        processes = [
            subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log) for _ in range(count)
        ]
        try:
            yield
            if any(p.poll() is not None for p in processes):
                log.seek(0)
                raise click.ClickException(f"an ordino worker died: {log.read()[-2000:]}")
        finally:
            stop(processes, grace=20)


def stop(processes: list[subprocess.Popen[bytes]], grace: float) -> None:
    """SIGINT to each, then, for one still running after `grace` seconds, SIGKILL;
    each waited for, so none is left running (or unreaped) behind the bench."""
    for p in processes:
        p.send_signal(signal.SIGINT)
    for p in processes:
        try:
            p.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


@dataclass
class LagSampler:
    """Every second, the age of the oldest event in the outbox not yet published
    (0 when there is none): how far the relay is behind; and the jobs waiting."""

    engine: Engine
    samples: list[tuple[datetime, float, int]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def sample(self) -> None:
        """The outbox's lag, and the jobs due and not taken (how far the workers are behind)."""
        now = datetime.now(UTC)
        oldest = select(func.min(outbox.c.occurred_at)).where(outbox.c.published_at.is_(None))
        due = select(func.count()).where(jobs.c.status == "queued", jobs.c.run_at <= now)
        with self.engine.connect() as connection:
            first, waiting = connection.scalar(oldest), connection.scalar(due) or 0
        lag = 0.0 if first is None else (datetime.now(UTC) - first).total_seconds()
        self.samples.append((now, lag, waiting))

    @contextmanager
    def running(self) -> Iterator[None]:
        def loop() -> None:
            while not self._stop.wait(1.0):
                self.sample()

        thread = threading.Thread(target=loop, name="outbox-lag", daemon=True)
        thread.start()
        try:
            yield
        finally:
            self._stop.set()
            thread.join(timeout=10)


@dataclass(frozen=True)
class Milestones:
    created: datetime
    released: datetime | None
    shipped: datetime | None  # when its last parcel left, once every one has


def milestones(engine: Engine, order_ids: Sequence[str], since: datetime) -> list[Milestones]:
    """Each order's milestones, from its events in the outbox."""
    subjects = {f"order/{order_id}" for order_id in order_ids}
    query = select(outbox.c.subject, outbox.c.type, outbox.c.occurred_at).where(
        outbox.c.occurred_at >= since - timedelta(seconds=1), outbox.c.type.in_(MILESTONES)
    )
    seen: dict[str, dict[str, list[datetime]]] = {s: {t: [] for t in MILESTONES} for s in subjects}
    with engine.connect() as connection:
        for subject, kind, at in connection.execute(query):
            if subject in seen:
                seen[subject][kind].append(at)
    return [_milestones(events) for events in seen.values() if events["order.created"]]


def _milestones(events: dict[str, list[datetime]]) -> Milestones:
    released, shipped = events["fulfillment.released"], events["fulfillment.shipped"]
    done = bool(shipped) and len(shipped) >= len(released)  # nothing rejected or split
    return Milestones(
        events["order.created"][0], min(released, default=None), max(shipped) if done else None
    )


def quantiles(values: Sequence[float], unit: float = 1000.0) -> dict[str, float | None]:
    """p50, p99 and max, times `unit` (seconds to milliseconds by default)."""
    ordered = sorted(values)
    if not ordered:
        return {"p50": None, "p99": None, "max": None}

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * unit, 1)

    return {"p50": at(0.5), "p99": at(0.99), "max": round(ordered[-1] * unit, 1)}


def _seconds(later: datetime | None, earlier: datetime) -> float | None:
    return None if later is None else (later - earlier).total_seconds()


@bench.command("orchestration")
@database_option
@click.option("--workers", default=2, show_default=True, help="ordino worker processes.")
@click.option("--servers", default=2, show_default=True, help="Server processes (relays).")
@click.option("--clients", default=8, show_default=True, help="Orders in flight at most.")
@click.option("--rate", default=20.0, show_default=True, help="Orders a second placed.")
@click.option("--seconds", default=60.0, show_default=True, help="Seconds of placing orders.")
@click.option("--settle", default=10.0, show_default=True, help="First seconds not counted.")
@click.option("--warmup", default=200, show_default=True, help="Orders through first.")
@click.option("--locations", default=8, show_default=True)
@click.option("--skus", default=1_000, show_default=True)
@click.option("--lines", default=2, show_default=True, help="Lines an order has.")
@click.option("--poll", default=0.2, show_default=True, help="Seconds between queue looks.")
@click.option("--worker-poll", default=0.1, show_default=True, help="ordino worker --poll.")
@click.option("--drain", default=120.0, show_default=True, help="Seconds to wait at the end.")
@json_option
def orchestration_command(
    database_url: str,
    workers: int,
    servers: int,
    clients: int,
    rate: float,
    seconds: float,
    settle: float,
    warmup: int,
    locations: int,
    skus: int,
    lines: int,
    poll: float,
    worker_poll: float,
    drain: float,
    json_path: Path | None,
) -> None:
    """Orders from capture to shipped with WORKERS worker processes: orders shipped a
    second sustained, capture->released and capture->shipped, the outbox lag."""
    engine = make_engine(database_url)
    click.echo(f"loading {locations} locations x {skus} SKUs …", err=True)
    catalogue = bench_catalogue(load_network(engine, locations, skus, 10_000_000), locations)
    behaviour = replace(FAST, lines=(lines, lines))
    run_id = f"ORCH-{datetime.now(UTC):%Y%m%d%H%M%S}"
    settings = {"ORDINO_WORKER_SECONDS": "0"}
    # The locations look for what is released to them; an order is followed until shipped.
    follow = (("released",), clients, FINAL | {"shipped"})
    with (
        running_server(database_url, servers, settings=settings) as server,
        worker_processes(database_url, workers, worker_poll),
    ):
        world, sampler = (catalogue, behaviour), LagSampler(engine)
        if warmup:
            click.echo(f"warming up: {warmup} orders through the whole way …", err=True)
            first = Plan(1, f"{run_id}-W", rate, warmup, None, poll, drain, *follow)
            run(play(server.url, server.key, world, first, None, None, read_orders=False))
            analyze(engine)  # as autovacuum would, once the order tables are not empty
            database_work.settle(engine)  # the warm-up's counts reported
        before = database_work.tally(engine)
        click.echo(f"placing {rate} orders/s for {seconds} s …", err=True)
        plan = Plan(2, run_id, rate, None, seconds, poll, drain, *follow)
        with sampler.running():
            measured = run(play(server.url, server.key, world, plan, None, 1.0, False))
    database_work.quiet(engine)  # the processes' backends gone: their counts reported
    after = database_work.tally(engine)  # (the lag sampler's reads counted in too)
    figures = _figures(engine, measured, sampler, settle)
    # The database's work over the run and its drain, per order placed in it.
    figures |= database_work.per_order(before, after, len(measured.traffic.numbers))
    figures |= {"workers": workers, "servers": servers, "clients": clients, "rate": rate}
    figures |= {"seconds": seconds, "lines": lines, "locations": locations, "poll": poll}
    figures |= {"worker_poll": worker_poll, "machine": machine()}
    figures["date"] = datetime.now(UTC).isoformat(timespec="seconds")
    report(figures, json_path)
    engine.dispose()


def _figures(engine: Engine, measured: Run, sampler: LagSampler, settle: float) -> dict[str, Any]:
    assert measured.placed_until is not None
    start, end = measured.started + timedelta(seconds=settle), measured.placed_until
    window = max((end - start).total_seconds(), 1e-9)
    orders = milestones(engine, list(measured.traffic.numbers), measured.started)
    counted = [o for o in orders if start <= o.created < end]
    sampled = [(lag, due) for at, lag, due in sampler.samples if measured.started <= at <= end]
    lags, due = [lag for lag, _ in sampled], [float(n) for _, n in sampled]
    released = [_seconds(o.released, o.created) for o in counted]
    shipped = [_seconds(o.shipped, o.created) for o in counted]
    problems = check_inventory(SqlUnitOfWork(engine))
    return {
        "benchmark": "orchestration",
        "database": engine.dialect.name,
        "orders": len(orders),
        "errors": dict(measured.traffic.tally.errors),
        "captured_per_second": round(len(counted) / window, 1),
        "shipped_per_second": round(_shipped_between(orders, start, end) / window, 1),
        "never_shipped": sum(o.shipped is None for o in orders),
        "drained_seconds": round(measured.seconds - (end - measured.started).total_seconds(), 1),
        "capture_to_released_ms": quantiles([s for s in released if s is not None]),
        "capture_to_shipped_ms": quantiles([s for s in shipped if s is not None]),
        "outbox_lag_ms": quantiles(lags) | {"samples": len(lags)},
        "jobs_due": quantiles(due, unit=1.0),
        "jobs_left": _jobs_left(engine),
        "check": "clean" if not problems else [f"{p.location_id} {p.sku}" for p in problems[:10]],
    }


def _shipped_between(orders: Sequence[Milestones], start: datetime, end: datetime) -> int:
    return sum(o.shipped is not None and start <= o.shipped < end for o in orders)


def _jobs_left(engine: Engine) -> dict[str, int]:
    """The jobs left when the run ended: due (the workers are behind), later (timers
    set for hours or days ahead), running, dead."""
    now, c = datetime.now(UTC), jobs.c
    when = case((c.status != "queued", c.status), (c.run_at <= now, "due"), else_="later")
    query = select(when, func.count()).group_by(when)
    with engine.connect() as connection:
        return {str(kind): n for kind, n in connection.execute(query)}
