"""The outbox relay killed (SIGKILL) while publishing to a real NATS JetStream, and
started again: every event reached the stream, each once (an event published and
not yet marked is published again, and JetStream keeps one copy by its id), in the
order written."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import subprocess
import sys
import time

import nats
import pytest
from sqlalchemy import func, select

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.orders.services.capture import place_order
from ordino.sourcing.engine.choice import RulesEngine
from ordino.store.tables import outbox
from tests.conftest import Clock
from tests.support.builders import a_place_order
from tests.support.storage import with_stock

NATS_URL = os.environ.get("ORDINO_TEST_NATS_URL")
pytestmark = pytest.mark.skipif(
    not NATS_URL, reason="ORDINO_TEST_NATS_URL is not set; the NATS tests need it"
)
ORDERS = 60

# A relay process: small batches, a breath between them, so a kill lands mid-run.
RELAY = """
import sys, time
from datetime import UTC, datetime
from ordino.events.adapters.nats import NatsPublisher
from ordino.events.services.relay import relay
from ordino.store.engine import make_engine
from ordino.app.sql_unit_of_work import SqlUnitOfWork
url, nats_url, stream, prefix = sys.argv[1:5]
uow = SqlUnitOfWork(make_engine(url))
publisher = NatsPublisher(nats_url, stream, prefix)
while relay(uow, publisher, datetime.now(UTC), limit=3):
    time.sleep(0.01)
"""


def _relay(database_url: str, stream: str, prefix: str) -> subprocess.Popen[bytes]:
    assert NATS_URL is not None
    return subprocess.Popen(
        [sys.executable, "-c", RELAY, database_url, NATS_URL, stream, prefix],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _stream_ids(stream: str) -> list[str]:
    client = await nats.connect(NATS_URL)
    try:
        js = client.jetstream()
        info = await js.stream_info(stream)
        ids = []
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            message = await js.get_msg(stream, seq)
            ids.append(json.loads(message.data or b"{}")["id"])
        await js.delete_stream(stream)
        return ids
    finally:
        await client.close()


def _published(uow: SqlUnitOfWork) -> int:
    query = select(func.count()).where(outbox.c.published_at.is_not(None))
    with uow.engine.connect() as connection:
        return int(connection.scalar(query) or 0)


def test_a_killed_relay_loses_no_event_and_sends_none_twice(
    uow: SqlUnitOfWork, clock: Clock, database_url: str
) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): ORDERS})
    for n in range(ORDERS):
        place_order(a_place_order(("SKU-1", 1), external_id=f"W-{n}"), uow, RulesEngine(), clock())
    with uow.engine.connect() as connection:
        written = list(connection.scalars(select(outbox.c.id).order_by(outbox.c.seq)))
    token = secrets.token_hex(4)
    stream, prefix = f"ORDINO_FAULT_{token}", f"ordino-fault-{token}"

    deadline = time.monotonic() + 60
    first = _relay(database_url, stream, prefix)
    while _published(uow) < 6 and time.monotonic() < deadline:
        time.sleep(0.002)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert _published(uow) < ORDERS  # killed in the middle
    second = _relay(database_url, stream, prefix)
    second.wait(timeout=60)

    assert _published(uow) == ORDERS
    assert asyncio.run(_stream_ids(stream)) == written  # each once, in the order written
