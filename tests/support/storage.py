"""Helpers for service tests: a small network with stock, and the rows as the database has
them (read on a connection of their own, so only committed rows are seen)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Table, select

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Count, Source
from ordino.inventory.services.stock import count_stock
from ordino.inventory.store.tables import positions, reservations
from ordino.network.domain.locations import Address, LocationType
from ordino.network.services.catalogue import put_location, put_product
from ordino.orders.store.tables import allocations, order_lines, orders
from ordino.sourcing.engine.choice import RulesEngine, SourcingRequest
from ordino.sourcing.engine.rules import Decision, SourcingSite
from ordino.store.tables import idempotency_keys, outbox
from tests.support.builders import HAMBURG, MUNICH, a_location, a_product

LOCATIONS = {
    "DC-BER": a_location("DC-BER"),
    "ST-HAM": a_location(
        "ST-HAM",
        type=LocationType.STORE,
        address=Address("Jungfernstieg 10", "Hamburg", "20354", "DE"),
        point=HAMBURG,
        pickup=True,
    ),
    "DC-MUC": a_location(
        "DC-MUC", address=Address("Marienplatz 8", "München", "80331", "DE"), point=MUNICH
    ),
}

ORDER_TABLES = (orders, order_lines, allocations, reservations, outbox, idempotency_keys)


def with_stock(uow: SqlUnitOfWork, now: datetime, counts: dict[tuple[str, str], int]) -> None:
    """Put the locations and products `counts` names, then set each on hand (no safety stock)."""
    for location_id in sorted({location_id for location_id, _ in counts}):
        put_location(LOCATIONS.get(location_id, a_location(location_id)), uow, now)
    for sku in sorted({sku for _, sku in counts}):
        put_product(a_product(sku), uow, now)
    feed = [Count(location_id, sku, on_hand, 0) for (location_id, sku), on_hand in counts.items()]
    count_stock(feed, None, Source("test", now), uow)


def rows(engine: Engine, table: Table) -> list[dict[str, Any]]:
    """Every committed row of `table`, in primary key order."""
    with engine.connect() as connection:
        query = select(table).order_by(*table.primary_key.columns)
        return [dict(row._mapping) for row in connection.execute(query)]


def counts(engine: Engine, tables: Sequence[Table] = ORDER_TABLES) -> dict[str, int]:
    return {table.name: len(rows(engine, table)) for table in tables}


def stock_levels(engine: Engine) -> dict[tuple[str, str], tuple[int, int, int]]:
    """(location, SKU) -> (on hand, reserved, safety stock)."""
    return {
        (row["location_id"], row["sku"]): (row["on_hand"], row["reserved"], row["safety_stock"])
        for row in rows(engine, positions)
    }


class StaleSnapshot:
    """The rules engine over a snapshot read before a competitor reserved: the first
    `times` decisions count `phantom` units that are gone by the time the
    reservation runs."""

    def __init__(self, phantom: dict[tuple[str, str], int], times: int = 1) -> None:
        self.phantom, self.times, self.calls = phantom, times, 0

    def decide(self, request: SourcingRequest) -> Decision:
        self.calls += 1
        if self.calls <= self.times:
            request = replace(request, sites=tuple(self._with_phantom(s) for s in request.sites))
        return RulesEngine().decide(request)

    def _with_phantom(self, site: SourcingSite) -> SourcingSite:
        at = site.location.id
        available = {
            sku: quantity + self.phantom.get((at, sku), 0)
            for sku, quantity in site.candidate.available.items()
        }
        return replace(site, candidate=replace(site.candidate, available=available))
