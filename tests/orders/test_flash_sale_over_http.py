"""The flash sale in small: concurrent buyers over HTTP against two server processes
on PostgreSQL. Exactly the stock is sold and `ordino check` exits 0."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Count, Source
from ordino.inventory.services.stock import count_stock
from ordino.inventory.store.tables import positions
from ordino.network.services.catalogue import put_location, put_product
from ordino_lab.load import post_all, running_server
from tests.support.builders import a_location, a_product, an_order_body

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_two_processes_sell_exactly_the_stock(pg_url: str, pg_engine: Engine) -> None:
    uow = SqlUnitOfWork(pg_engine)
    put_location(a_location("DC-BER"), uow, NOW)
    put_product(a_product("SKU-1"), uow, NOW)
    count_stock([Count("DC-BER", "SKU-1", 40, 0)], NOW, Source("test", NOW), uow)
    bodies = [
        json.dumps(an_order_body(("SKU-1", 1), external_id=f"F-{n}")).encode() for n in range(150)
    ]

    with running_server(pg_url, workers=2, pool_size=5) as server:
        outcome = asyncio.run(post_all(server, "/v1/orders", bodies, concurrency=150))

    assert dict(outcome.statuses) == {201: 40, 409: 110}
    with pg_engine.connect() as connection:
        reserved = connection.scalar(select(positions.c.reserved))
    assert reserved == 40
    check = subprocess.run(
        [sys.executable, "-m", "ordino", "check", "--database-url", pg_url],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout
    assert check.stdout.startswith("ok")
