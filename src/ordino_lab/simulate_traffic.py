"""`ordino simulate traffic`: live, realistic flow through a running Ordino, every
outside party played over its HTTP API (ordino_lab.traffic_parties), on the demo network
(`ordino serve --demo`). Progress goes to stderr every second; the summary to
stdout (`--json`: as JSON). docs/simulation.md tells what each party does.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import click

from ordino.app.demo import demo_locations, demo_postal_codes, demo_products
from ordino.sourcing.cli.simulate import simulate
from ordino_lab.load import run
from ordino_lab.traffic import Behaviour, Catalogue, Destination, Product, Site, summarise
from ordino_lab.traffic_http import Api, Tally, every, progress_line, receiver, session
from ordino_lab.traffic_parties import Plan, Traffic

# What the customers and customer service are sent.
EVENTS = ["fulfillment.ready_for_pickup", "order.held"]


@dataclass
class Run:
    traffic: Traffic
    started: datetime
    placed_until: datetime | None = None
    seconds: float = 0.0
    orders: list[dict[str, Any]] = field(default_factory=list)
    interrupted: bool = False


async def play(
    url: str,
    key: str,
    world: tuple[Catalogue, Behaviour],
    plan: Plan,
    listen: tuple[str, int] | None,
    progress: float | None,
    read_orders: bool = True,
) -> Run:
    """Run the parties until the orders are placed and done (or the drain is over);
    `listen`: where the customers' webhook receiver listens (None: no receiver)."""
    started = time.perf_counter()
    async with session(url, key, plan.clients + 16) as client:
        traffic = Traffic(Api(client), *world, plan)
        result = Run(traffic, datetime.now(UTC))
        async with _subscribed(traffic, listen):
            stop = asyncio.Event()
            ticking = asyncio.create_task(_progress(traffic.tally, progress, stop, started))
            polling = asyncio.create_task(traffic.locations())
            try:
                await traffic.shop()
                result.placed_until = datetime.now(UTC)
                await traffic.drain()
            except asyncio.CancelledError:  # Ctrl-C: stop here, and tell what happened
                result.interrupted = True
            finally:
                await traffic.stop()
                await polling
                stop.set()
                await ticking
        result.seconds = time.perf_counter() - started
        if read_orders:
            result.orders = await traffic.refresh(list(traffic.numbers))
    return result


async def _progress(tally: Tally, seconds: float | None, stop: asyncio.Event, t0: float) -> None:
    if not seconds:
        await stop.wait()
        return
    before = dict(tally.counts)

    def tick() -> None:
        nonlocal before
        now = dict(tally.counts)
        line = progress_line(now, before, time.perf_counter() - t0, seconds)
        click.echo(line, err=True)
        before = now

    await every(seconds, tick, stop)


@asynccontextmanager
async def _subscribed(traffic: Traffic, listen: tuple[str, int] | None) -> AsyncIterator[None]:
    """The customers' notifications: a webhook to a receiver of our own, for the run."""
    if listen is None:
        yield
        return
    secret: dict[str, str] = {}
    async with receiver(listen, lambda: secret.get("secret"), traffic.hear) as hook_url:
        body = {"url": hook_url, "event_types": EVENTS}
        status, answer = await traffic.api.call("POST", "/v1/webhooks", body)
        if status != 201:
            raise click.ClickException(f"could not subscribe the receiver: {status} {answer}")
        secret["secret"] = answer["secret"]
        try:
            yield
        finally:
            await traffic.api.call("DELETE", f"/v1/webhooks/{answer['id']}")


async def demo_catalogue(url: str, key: str) -> Catalogue:
    """The demo's SKUs the web shop shows in stock, its postal codes, its locations."""
    products = {p.sku: p for p in demo_products()}
    skus, in_stock = sorted(products), []
    async with session(url, key, 4) as client:
        api = Api(client)
        for start in range(0, len(skus), 100):
            query = [("channel", "web"), ("skus", ",".join(skus[start : start + 100]))]
            status, answer = await api.call("GET", "/v1/availability", params=query)
            if status != 200:
                raise click.ClickException(f"{url} answered {status} to an availability: {answer}")
            in_stock += [i["sku"] for i in answer["items"] if i["available"] > 0]
    if not in_stock:
        raise click.ClickException(f"{url} has none of the demo's SKUs in stock: serve --demo?")
    return Catalogue(
        tuple(Product(sku, str(products[sku].prices["EUR"])) for sku in in_stock),
        tuple(
            Destination(
                p.country, p.postal_code, p.place or "", p.point.latitude, p.point.longitude
            )
            for p in demo_postal_codes()
        ),
        tuple(
            Site(s.id, "post-at" if s.address.country == "AT" else "dhl") for s in demo_locations()
        ),
    )


def _listen(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise click.BadParameter("give HOST:PORT (port 0: any free one)", param_hint="--listen")
    return host.strip("[]"), int(port)


rate_option = click.FloatRange(0.0, 1.0)


@simulate.command("traffic")
@click.option("--url", default="http://127.0.0.1:8000", show_default=True, envvar="ORDINO_URL")
@click.option("--key", required=True, envvar="ORDINO_KEY", help="An admin key (serve --demo).")
@click.option("--rate", default=2.0, show_default=True, type=click.FloatRange(min=0.01))
@click.option("--duration", type=click.FloatRange(min=0), help="Seconds of placing orders.")
@click.option("--orders", type=click.IntRange(min=1), help="Orders to place (default: 60 s).")
@click.option("--seed", default=1, show_default=True)
@click.option("--reject-rate", default=0.05, show_default=True, type=rate_option)
@click.option("--decline-rate", default=0.05, show_default=True, type=rate_option)
@click.option("--no-show-rate", default=0.1, show_default=True, type=rate_option)
@click.option("--promise-rate", default=0.5, show_default=True, type=rate_option)
@click.option("--pickup-rate", default=0.4, show_default=True, type=rate_option)
@click.option("--split-rate", default=0.2, show_default=True, type=rate_option)
@click.option("--pace", default=1.0, show_default=True, help="Mean seconds a location step takes.")
@click.option("--transit", default=5.0, show_default=True, help="Mean seconds to deliver.")
@click.option("--collect", default=3.0, show_default=True, help="Mean seconds to come collect.")
@click.option("--poll", default=0.5, show_default=True, help="Seconds between queue looks.")
@click.option("--drain", default=120.0, show_default=True, help="Seconds to wait at the end.")
@click.option("--listen", default="127.0.0.1:0", show_default=True, help="Webhook receiver.")
@click.option("--json", "as_json", is_flag=True, help="The summary as JSON on stdout.")
def traffic_command(
    url: str,
    key: str,
    rate: float,
    duration: float | None,
    orders: int | None,
    seed: int,
    reject_rate: float,
    decline_rate: float,
    no_show_rate: float,
    promise_rate: float,
    pickup_rate: float,
    split_rate: float,
    pace: float,
    transit: float,
    collect: float,
    poll: float,
    drain: float,
    listen: str,
    as_json: bool,
) -> None:
    """Play the shop, the locations, the carriers and the customers against a running
    Ordino (`ordino serve --demo`) over its HTTP API."""
    behaviour = Behaviour(
        promise_rate=promise_rate,
        pickup_rate=pickup_rate,
        decline_rate=decline_rate,
        reject_rate=reject_rate,
        split_rate=split_rate,
        no_show_rate=no_show_rate,
        pace=pace,
        transit=transit,
        collect=collect,
        review=pace * 2,
    )
    run_id = f"SIM{seed}-{datetime.now(UTC):%Y%m%d%H%M%S}"
    plan = Plan(seed, run_id, rate, orders, duration if duration or orders else 60.0, poll, drain)
    catalogue = run(demo_catalogue(url, key))
    click.echo(
        f"{url}: {len(catalogue.products)} SKUs in stock, {len(catalogue.sites)} locations; "
        f"placing {orders or '…'} orders at {rate}/s (run {run_id})",
        err=True,
    )
    result = run(play(url, key, (catalogue, behaviour), plan, _listen(listen), progress=1.0))
    document = summary(result)
    if as_json:
        click.echo(json.dumps(document, indent=2))
    else:
        print_summary(document)


def summary(result: Run) -> dict[str, Any]:
    traffic = result.traffic
    return {
        "run": traffic.plan.run_id,
        "seed": traffic.plan.seed,
        "seconds": round(result.seconds, 1),
        "interrupted": result.interrupted,
        "placed": len(traffic.numbers),
        "still_open": len(traffic.open),
        "counts": dict(sorted(traffic.tally.counts.items())),
        "errors": dict(sorted(traffic.tally.errors.items())),
        **summarise(result.orders),
    }


def print_summary(document: dict[str, Any]) -> None:
    lines = [
        f"run {document['run']} (seed {document['seed']}): {document['seconds']} s"
        + (" (interrupted)" if document["interrupted"] else ""),
        f"orders placed          {document['placed']}",
        *(f"  {status:<20} {n}" for status, n in document["by_status"].items()),
        f"with a rejection       {document['with_a_rejection']}",
        f"  rerouted             {document['rerouted']}",
        f"  and fulfilled        {document['rerouted_and_fulfilled']}",
        f"held                   {document['held']}",
        "fulfillment orders     " + _pairs(document["fulfillment_orders"]),
        "what the parties did   " + _pairs(document["counts"]),
    ]
    if document["errors"]:
        lines.append("calls that failed      " + _pairs(document["errors"]))
    click.echo("\n".join(lines))


def _pairs(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in counts.items()) or "none"
