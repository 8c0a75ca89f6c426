"""The picture of stock a server process keeps stays true to commits made by other
processes on PostgreSQL: they reach it through NOTIFY, within the feed's delay."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Count, Source
from ordino.inventory.domain.views import AvailabilityView, LocationFilter
from ordino.inventory.services.availability import put_view
from ordino.inventory.services.stock import count_stock
from ordino.network.domain.locations import LocationType
from ordino.network.services.catalogue import put_location, put_product
from ordino.orders.services.capture import place_order
from ordino.sourcing.engine.choice import RulesEngine
from ordino_lab.load import Server, running_server
from tests.support.builders import a_location, a_place_order, a_product

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
PATIENCE = 10.0  # seconds: far above the feed's delay, so a slow machine passes too


def _available(server: Server, **params: str) -> int:
    query = "&".join(f"{k}={v}" for k, v in {"skus": "SKU-1", **params}.items())
    request = urllib.request.Request(
        f"{server.url}/v1/availability?{query}",
        headers={"Authorization": f"Bearer {server.key}"},
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        return int(json.loads(answer.read())["items"][0]["available"])


def _eventually(read: Callable[[], int], expected: int) -> int:
    """What `read` gives once it gives `expected`, or its last answer after PATIENCE."""
    deadline = time.monotonic() + PATIENCE
    seen = read()
    while seen != expected and time.monotonic() < deadline:
        time.sleep(0.05)
        seen = read()
    return seen


def test_a_server_sees_what_another_process_committed(pg_url: str, pg_engine: Engine) -> None:
    uow = SqlUnitOfWork(pg_engine)  # this test's process: not the server's
    put_location(a_location("DC-BER"), uow, NOW)
    put_location(a_location("ST-HAM", type=LocationType.STORE), uow, NOW)
    put_product(a_product("SKU-1"), uow, NOW)
    count_stock(
        [Count("DC-BER", "SKU-1", 40), Count("ST-HAM", "SKU-1", 5)], NOW, Source("t", NOW), uow
    )

    with running_server(pg_url, workers=2, pool_size=2) as server:
        warm = [_available(server) for _ in range(6)]  # both processes hold SKU-1 now

        count_stock([Count("DC-BER", "SKU-1", 25)], None, Source("t", NOW), uow)
        after_count = _eventually(lambda: _available(server), 30)
        place_order(a_place_order(("SKU-1", 4)), uow, RulesEngine(), NOW)
        after_order = _eventually(lambda: _available(server), 26)
        put_view(
            AvailabilityView(
                "dc",
                frozenset({"web"}),
                locations=LocationFilter(types=frozenset({LocationType.WAREHOUSE})),
            ),
            uow,
            NOW,
        )
        after_view = _eventually(lambda: _available(server, channel="web"), 21)

    assert warm == [45] * 6
    assert (after_count, after_order, after_view) == (30, 26, 21)
