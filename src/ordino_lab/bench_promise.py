"""`ordino bench promise`: delivery promises for carts over the retail network that
`bench load` made, at a fixed rate, after a warm-up at the same rate.

The warm-up names every hot SKU eight times (each server process keeps its own
picture of stock). Every location gets its working week (warehouses 07:00-22:00 Monday to Saturday,
stores 09:00-20:00), cut-offs, processing times and a daily capacity; three carrier
services serve Germany (standard, express, next day). Carts take their SKUs among
the hot ones; destinations are anywhere in Germany.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Engine

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.kernel.domain.calendar import WEEKDAYS
from ordino.network.domain.carriers import service_from_document
from ordino.network.domain.locations import LocationType
from ordino.network.services.catalogue import get_location
from ordino.network.services.operations import CARRIER_SERVICES, put_named, put_operations
from ordino.store.engine import make_engine
from ordino_lab.bench import bench, database_option, json_option, machine, report
from ordino_lab.bench_network import ensure_loaded
from ordino_lab.bench_stock import locations_option, network_shape, skus_option
from ordino_lab.load import at_rate, run, running_server

SERVICES: dict[str, dict[str, Any]] = {
    "bench-standard": {
        "carrier": "Bench Parcel",
        "name": "Standard",
        "level": "standard",
        "price": {"amount": "4.90", "currency": "EUR"},
        "transit": [{"min_days": 1, "max_days": 2, "max_km": 300}, {"min_days": 2, "max_days": 3}],
    },
    "bench-express": {
        "carrier": "Bench Parcel",
        "name": "Express",
        "level": "express",
        "price": {"amount": "9.90", "currency": "EUR"},
        "transit": [{"min_days": 1, "max_days": 1, "destination_countries": ["DE"]}],
    },
    "bench-next-day": {
        "carrier": "Bench Courier",
        "name": "Next day",
        "level": "next_day",
        "price": {"amount": "14.90", "currency": "EUR"},
        "transit": [{"min_days": 1, "max_days": 1, "max_km": 500}],
        "delivery_days": list(WEEKDAYS[:5]),
    },
}


def _operations(kind: str, n: int) -> dict[str, Any]:
    if kind == LocationType.STORE:
        hours, capacity = {"opens": "09:00", "closes": "20:00"}, 200
    else:
        hours, capacity = {"opens": "07:00", "closes": "22:00"}, 5_000
    return {
        "opening_hours": {day: [hours] for day in WEEKDAYS[:6]},
        "holidays": ["2026-12-25", "2026-12-26", "2027-01-01"],
        "cut_offs": {"standard": f"{14 + n % 4}:00", "express": "13:00", "next_day": "12:00"},
        "ship_processing_hours": 2 + n % 3,
        "pickup_processing_hours": 1 + n % 2,
        "capacity": {"limit": capacity, "unit": "orders"},
        "carrier_pickup_days": list(WEEKDAYS[:5]) if n % 2 else list(WEEKDAYS[:6]),
    }


def describe_network(engine: Engine, location_ids: list[str]) -> None:
    """How each location works and the carrier services (replacing earlier ones)."""
    uow, now = SqlUnitOfWork(engine), datetime.now(UTC)
    for n, location_id in enumerate(location_ids):
        kind = get_location(location_id, uow)["type"]
        put_operations(location_id, _operations(kind, n), uow, now)
    for code, body in SERVICES.items():
        document = {"delivery_days": list(WEEKDAYS[:6]), "holidays": []} | body
        document["transit"] = [_RULE | rule for rule in body["transit"]]
        put_named(CARRIER_SERVICES, service_from_document(code, document), uow, now)


_RULE: dict[str, Any] = {
    "origin_countries": [],
    "destination_countries": [],
    "postal_prefixes": [],
    "max_km": None,
}


def _warm_up(shape: Any, hot: int, lines: int, passes: int = 8) -> list[bytes]:
    """Carts that name every hot SKU `passes` times, so that each server process has
    probably read each into its picture before the measured carts come."""
    numbers = [n for _ in range(passes) for n in range(1, hot + 1)]
    chunks = [numbers[i : i + lines] for i in range(0, len(numbers) - lines + 1, lines)]
    return _carts(shape, hot, len(chunks), lines, seed=1, chosen=chunks)


def _carts(
    shape: Any,
    hot: int,
    count: int,
    lines: int,
    seed: int,
    chosen: list[list[int]] | None = None,
) -> list[bytes]:
    rng = random.Random(seed)
    carts = []
    for n in range(count):
        skus = chosen[n] if chosen else rng.sample(range(1, hot + 1), lines)
        body = {
            "lines": [{"sku": shape.sku(n), "quantity": rng.choice((1, 1, 2))} for n in skus],
            "destination": {
                "country": "DE",
                "latitude": round(rng.uniform(47.5, 54.5), 4),
                "longitude": round(rng.uniform(6.5, 14.5), 4),
            },
            "channel": "web",
        }
        carts.append(json.dumps(body).encode())
    return carts


@bench.command("promise")
@database_option
@locations_option
@skus_option
@click.option("--workers", default=2, show_default=True, help="Server processes.")
@click.option("--hot-skus", default=1_000, show_default=True, help="Carts pick among these.")
@click.option("--lines", default=3, show_default=True, help="Lines of a cart.")
@click.option("--rate", default=100.0, show_default=True, help="Promises a second.")
@click.option("--seconds", default=20, show_default=True, help="Measured.")
@json_option
def promise_command(
    database_url: str,
    locations: int,
    skus: int,
    workers: int,
    hot_skus: int,
    lines: int,
    rate: float,
    seconds: int,
    json_path: Path | None,
) -> None:
    """POST /v1/promises for carts over the network `bench load` made (loaded first
    if not)."""
    shape, engine = network_shape(locations, skus), make_engine(database_url)
    ensure_loaded(engine, shape)
    describe_network(engine, [shape.location_id(n) for n in range(1, locations + 1)])
    count = int(rate * seconds)
    with running_server(database_url, workers, settings={"ORDINO_SIGNAL_SECONDS": "0"}) as server:
        warm = _warm_up(shape, hot_skus, lines)
        run(at_rate(server, ["/v1/promises"] * len(warm), rate, warm))
        carts = _carts(shape, hot_skus, count, lines, seed=2)
        outcome = run(at_rate(server, ["/v1/promises"] * count, rate, carts))
    report(
        {
            "benchmark": "promise",
            "database": engine.dialect.name,
            "locations": locations,
            "workers": workers,
            "lines": lines,
            "rate": rate,
            "promises": outcome.completed,
            "statuses": dict(sorted(outcome.statuses.items())),
            "late": outcome.late,
            "p50_ms": round(outcome.percentile(0.5) * 1000, 2),
            "p99_ms": round(outcome.percentile(0.99) * 1000, 2),
            "machine": machine(),
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
        },
        json_path,
    )
