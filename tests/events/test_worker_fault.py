"""A worker killed (SIGKILL) in the middle of posting webhooks: after a restart every
event reached the receiver, in the order written, none lost (the one in flight at
the kill may come twice: receivers dedup by event id)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import func, select

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.events.services.relay import relay_all
from ordino.events.services.webhooks import subscribe
from ordino.events.store.tables import webhook_deliveries
from ordino.kernel.services.server_keys import ServerKeys
from ordino.orders.services.capture import place_order
from ordino.sourcing.engine.choice import RulesEngine
from tests.conftest import Clock
from tests.support.builders import a_place_order
from tests.support.storage import with_stock

ORDERS = 40


@pytest.fixture
def receiver() -> Iterator[tuple[int, list[str]]]:
    received: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            time.sleep(0.02)  # a receiver that takes its time: the kill lands mid-run
            received.append(json.loads(body)["id"])
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], received
    server.shutdown()
    server.server_close()


def _worker(database_url: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "ordino", "worker", "--database-url", database_url]
    return subprocess.Popen(
        [*command, "--lease", "1", "--poll", "0.05"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # The receiver listens on 127.0.0.1; the secrets are sealed with the key the
        # database keeps (no ORDINO_SECRET_KEY), which the worker reads too.
        env=os.environ | {"PYTHONUNBUFFERED": "1", "ORDINO_WEBHOOK_ALLOW_PRIVATE": "1"},
    )


def _delivered(uow: SqlUnitOfWork) -> int:
    d = webhook_deliveries.c
    query = select(func.count()).where(d.delivered_at.is_not(None))
    with uow.engine.connect() as connection:
        return int(connection.scalar(query) or 0)


def test_a_killed_worker_loses_no_event(
    uow: SqlUnitOfWork, clock: Clock, database_url: str, receiver: tuple[int, list[str]]
) -> None:
    port, received = receiver
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): ORDERS})
    subscribe(f"http://127.0.0.1:{port}/hooks", ["order.created"], uow, clock(), ServerKeys(()))
    for n in range(ORDERS):
        cmd = a_place_order(("SKU-1", 1), external_id=f"W-{n}")
        place_order(cmd, uow, RulesEngine(), clock())
    relay_all(uow, None, clock())
    with uow.engine.connect() as connection:
        d = webhook_deliveries.c
        written = list(connection.scalars(select(d.event_id).order_by(d.seq)))
    assert len(written) == ORDERS

    first = _worker(database_url)
    deadline = time.monotonic() + 60
    while len(received) < ORDERS // 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert len(received) < ORDERS  # killed in the middle
    second = _worker(database_url)
    try:
        while _delivered(uow) < ORDERS and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=10)

    assert _delivered(uow) == ORDERS
    firsts = list(dict.fromkeys(received))  # each event's first arrival
    assert firsts == written  # every one, in the order written
    assert len(received) - len(firsts) <= 1  # at most the one in flight, again
