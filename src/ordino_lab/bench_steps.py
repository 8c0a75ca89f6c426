"""`ordino bench steps`: the database's work per order at each step of its life.

Where `bench orchestration` runs the steps side by side, as production does, this
runs them one after another for a batch of orders, so that PostgreSQL's own counts
(`ordino_lab.database_work`) can be told apart by step:

1. captured: POST /v1/orders (2-line orders paid by card);
2. authorised and released: the jobs capture queued, run by `ordino worker --once`
   processes (the seconds a step took count their start);
3. accepted: each location looks at its queue (GET /v1/fulfillments) and accepts;
4. shipped: each parcel handed to the carrier;
5. paid: the jobs shipping queued (the card's capture, the payment settled);
6. delivered: the carrier says it arrived, and the jobs that queues.

Each step ends when its requests are answered, its jobs (if it runs any) have run
and the relay has published its events (the relay runs in the server processes, as in production,
and what it does counts to the step); then the bench waits for PostgreSQL's idle
backends to report their counts. The server's periodic work while a step runs
(the relay's and the stock signals' looks) counts to it too: the `idle` row says how
much of that there is in a second with no orders.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import click
from sqlalchemy import Engine, func, select

from ordino.store.engine import analyze
from ordino.store.tables import jobs, outbox
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
)
from ordino_lab.load import Outcome, Server, post_all, post_each, run, running_server

STEPS = ("captured", "authorised and released", "accepted", "shipped", "paid", "delivered")
_WITHOUT_JOBS = {"captured", "accepted", "shipped"}  # theirs are the next step's
_SETTLED_WITHIN = 120.0  # seconds a step's events and jobs may take to be done
_RAN = re.compile(r"\b(\d+) jobs: ")  # the worker's count of what it ran, when it stops


@bench.command()
@database_option
@click.option("--orders", default=500, show_default=True, help="Orders measured.")
@click.option("--warmup", default=100, show_default=True, help="Orders through first.")
@click.option("--servers", default=2, show_default=True, help="Server processes.")
@click.option("--workers", default=2, show_default=True, help="`ordino worker --once`s.")
@click.option("--clients", default=16, show_default=True, help="Concurrent requests.")
@click.option("--locations", default=8, show_default=True)
@click.option("--skus", default=1_000, show_default=True)
@click.option("--idle", default=10.0, show_default=True, help="Seconds of idle measured.")
@json_option
def steps(
    database_url: str,
    orders: int,
    warmup: int,
    servers: int,
    workers: int,
    clients: int,
    locations: int,
    skus: int,
    idle: float,
    json_path: Path | None,
) -> None:
    """The database's work per order at each step, from capture to delivered:
    statements, commits, rows read and written, sequential scans."""
    engine = bench_engine(database_url)
    if engine.dialect.name != "postgresql":
        raise click.UsageError("the database's own counts are PostgreSQL's: give --database-url")
    click.echo(f"loading {locations} locations x {skus} SKUs …", err=True)
    names = load_network(engine, locations, skus, on_hand=10_000_000)
    sites = [f"BENCH-L{n:04d}" for n in range(1, locations + 1)]
    run_id, rng = datetime.now(UTC).strftime("%Y%m%d%H%M%S"), random.Random(5)
    # Neither jobs nor pruning in the server processes: the steps' jobs run when asked.
    settings = {"ORDINO_WORKER_SECONDS": "0", "ORDINO_PRUNE_SECONDS": "0"}
    with running_server(database_url, servers, settings=settings) as server:
        life = Life(server, engine, database_url, sites, workers, clients)
        if warmup:
            click.echo(f"warming up: {warmup} orders through every step …", err=True)
            life.through(
                [order_body(n, f"{run_id}-W", names, rng, 2, paid=True) for n in range(warmup)]
            )
            analyze(engine)  # as autovacuum would, once the tables are not empty
        figures: dict[str, Any] = {"benchmark": "steps", "orders": orders}
        figures["idle_per_second"] = life.idle(idle)
        bodies = [order_body(n, run_id, names, rng, 2, paid=True) for n in range(orders)]
        figures["steps"] = life.through(bodies, counted=True)
    problems = inventory_problems(engine)
    figures["check"] = "clean" if not problems else problems[:10]
    figures |= {"servers": servers, "workers": workers, "clients": clients}
    figures |= {"locations": locations, "machine": machine()}
    figures["date"] = datetime.now(UTC).isoformat(timespec="seconds")
    _print(figures)
    if json_path is not None:
        json_path.write_text(json.dumps(figures, indent=2) + "\n")


class Life:
    """Orders taken through their steps, one step for all of them at a time."""

    def __init__(
        self,
        server: Server,
        engine: Engine,
        database_url: str,
        sites: Sequence[str],
        workers: int,
        clients: int,
    ) -> None:
        self.server, self.engine, self.database_url = server, engine, database_url
        self.sites, self.workers, self.clients = sites, workers, clients

    def through(self, bodies: Sequence[bytes], counted: bool = False) -> dict[str, Any]:
        """Every step for these orders; each step's work per order when `counted`."""
        order_ids: list[str] = []
        shipped: list[str] = []

        def capture() -> int:
            placed = run(post_all(self.server, "/v1/orders", bodies, self.clients, True))
            _refuse_failures("capture", placed)
            order_ids.extend(body["id"] for body in placed.bodies)
            return len(placed.bodies)

        def accept() -> int:
            return len(self._work_through("released", "accept", None))

        def ship() -> int:
            body = json.dumps({"carrier": "bench", "tracking_number": "BENCH1"}).encode()
            shipped.extend(self._work_through("accepted", "shipped", body))
            return len(shipped)

        def deliver() -> int:
            body = json.dumps({"delivered_at": datetime.now(UTC).isoformat()}).encode()
            _refuse_failures("deliver", run(self._post(shipped, "delivered", body)))
            return len(shipped)

        acts: dict[str, Callable[[], int]] = {
            "captured": capture,
            "authorised and released": lambda: 0,
            "accepted": accept,
            "shipped": ship,
            "paid": lambda: 0,
            "delivered": deliver,
        }
        done: dict[str, Any] = {}
        for name in STEPS:
            before = self._tally() if counted else None
            started = time.perf_counter()
            requests = acts[name]()
            ran = self._jobs_and_events(jobs=name not in _WITHOUT_JOBS)
            seconds = time.perf_counter() - started
            if counted:
                database_work.settle(self.engine)
                figures = database_work.per_order(before, self._tally(), len(bodies), top=30)
                done[name] = {"requests": requests, "jobs": ran, "seconds": round(seconds, 1)}
                done[name] |= figures
            click.echo(f"  {name}: {requests} requests, {ran} jobs, {seconds:.1f} s", err=True)
        return done

    def idle(self, seconds: float) -> dict[str, Any]:
        """The database's work in a second with nothing to do: the servers' looks."""
        database_work.settle(self.engine)
        before = self._tally()
        time.sleep(seconds)
        database_work.settle(self.engine)
        # per_order divides by whole orders: a second is one.
        figures = database_work.per_order(before, self._tally(), 1, top=4)
        elapsed = seconds + database_work.SETTLE_SECONDS
        return {
            "statements": round(figures.get("statements_per_order", 0) / elapsed, 2),
            "commits": round(figures["commits_per_order"] / elapsed, 2),
        }

    def _tally(self) -> database_work.Counts | None:
        return database_work.tally(self.engine)

    def _jobs_and_events(self, jobs: bool = True) -> int:
        """Run the jobs due (`ordino worker --once` processes) until none is, and wait
        until the relay has published every event; how many jobs ran."""
        deadline, ran = time.monotonic() + _SETTLED_WITHIN, 0
        while time.monotonic() < deadline:
            if jobs and self._due():
                ran += self._work()
                continue
            if not self._unpublished():
                return ran
            time.sleep(0.1)
        raise click.ClickException(f"jobs or events still waiting after {_SETTLED_WITHIN} s")

    def _work(self) -> int:
        """Run the due jobs in `workers` processes; how many they ran (as they said)."""
        command = [sys.executable, "-m", "ordino", "worker", "--once"]
        command += ["--database-url", self.database_url]
        env = {"ORDINO_PRUNE_SECONDS": "0"}
        processes = [
            subprocess.Popen(command, env=os.environ | env, stderr=subprocess.PIPE, text=True)
            for _ in range(self.workers)
        ]
        ran = 0
        for p in processes:
            _, said = p.communicate(timeout=_SETTLED_WITHIN)
            if p.returncode != 0:
                raise click.ClickException(f"an ordino worker failed: {said[-2000:]}")
            ran += sum(int(n) for n in _RAN.findall(said))
        return ran

    def _due(self) -> int:
        now = datetime.now(UTC)
        query = select(func.count()).where(jobs.c.status == "queued", jobs.c.run_at <= now)
        with self.engine.connect() as connection:
            return int(connection.scalar(query) or 0)

    def _unpublished(self) -> int:
        query = select(func.count()).where(outbox.c.published_at.is_(None))
        with self.engine.connect() as connection:
            return int(connection.scalar(query) or 0)

    def _work_through(self, status: str, step: str, body: bytes | None) -> list[str]:
        """The locations look at their queues for what is in `status` and report
        `step` of each, until their queues hold none; what they reported."""
        done: list[str] = []
        while found := run(self._queue(status)):
            _refuse_failures(step, run(self._post(found, step, body)))
            done += found
        return done

    async def _queue(self, status: str) -> list[str]:
        """What each location's queue holds in `status`, as the location looks for it."""
        found: list[str] = []
        headers = {"Authorization": f"Bearer {self.server.key}"}
        async with aiohttp.ClientSession(self.server.url, headers=headers) as session:

            async def look(location_id: str) -> None:
                params = {"location_id": location_id, "status": status, "limit": "200"}
                async with session.get("/v1/fulfillments", params=params) as response:
                    if response.status != 200:
                        raise click.ClickException(f"the queue of {location_id}: {response.status}")
                    found.extend(fo["id"] for fo in (await response.json())["items"])

            await asyncio.gather(*(look(site) for site in self.sites))
        return found

    async def _post(self, fulfillment_ids: Sequence[str], step: str, body: bytes | None) -> Outcome:
        requests = [(f"/v1/fulfillments/{fo_id}/{step}", body) for fo_id in fulfillment_ids]
        return await post_each(self.server, requests, self.clients)


def _refuse_failures(step: str, outcome: Outcome) -> None:
    failed = {status: n for status, n in outcome.statuses.items() if not 200 <= status < 300}
    if failed:
        raise click.ClickException(f"{step}: answers other than 2xx: {failed}")


def _print(figures: dict[str, Any]) -> None:
    """The steps as a table (per order), then each step's most frequent statements."""
    steps_done: dict[str, Any] = figures.get("steps", {})
    columns = (
        ("statements", "statements_per_order"),
        ("commits", "commits_per_order"),
        ("rollbacks", "rollbacks_per_order"),
        ("rows read", "rows_read_per_order"),
        ("inserted", "inserts_per_order"),
        ("updated", "updates_per_order"),
        ("deleted", "deletes_per_order"),
    )
    click.echo(f"{'per order':<26}" + "".join(f"{title:>11}" for title, _ in columns))
    totals = dict.fromkeys((key for _, key in columns), 0.0)
    for name, done in steps_done.items():
        cells = "".join(f"{done.get(key, '-'):>11}" for _, key in columns)
        click.echo(f"{name:<26}{cells}")
        for _, key in columns:
            totals[key] += float(done.get(key, 0) or 0)
    click.echo(f"{'whole life':<26}" + "".join(f"{round(totals[k], 2):>11}" for _, k in columns))
    rest = {k: v for k, v in figures.items() if k != "steps"}
    report(rest, None)
    for name, done in steps_done.items():
        click.echo(f"{name} ({done['requests']} requests, {done['jobs']} jobs):")
        if done.get("sequential_scans"):
            click.echo(f"  sequential scans: {done['sequential_scans']}")
        for line in done.get("frequent_statements", [])[:8]:
            click.echo(f"  {line}")
