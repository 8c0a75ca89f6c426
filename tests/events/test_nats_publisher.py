"""Events published to a real NATS JetStream: in order, and an event published twice
(a relay that died before marking it) is kept once."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import time
from datetime import UTC, datetime

import nats
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ordino.app.server import create_app
from ordino.config import Settings
from ordino.events.adapters.nats import NatsPublisher
from ordino.kernel.domain.events import Event
from ordino.store.tables import outbox
from tests.conftest import ADMIN_KEY, Clock
from tests.support.api import network, stock
from tests.support.builders import an_order_body

NATS_URL = os.environ.get("ORDINO_TEST_NATS_URL")
pytestmark = pytest.mark.skipif(
    not NATS_URL, reason="ORDINO_TEST_NATS_URL is not set; the NATS tests need it"
)
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _event(n: int) -> Event:
    return Event(f"E-{n}-{secrets.token_hex(4)}", "order.created", NOW, f"order/{n}", {"n": n})


async def _stored(url: str, stream: str, *, delete: bool = True) -> list[dict[str, object]]:
    client = await nats.connect(url)
    try:
        js = client.jetstream()
        info = await js.stream_info(stream)
        found = []
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            message = await js.get_msg(stream, seq)
            found.append(json.loads(message.data or b"{}"))
        if delete:
            await js.delete_stream(stream)
        return found
    finally:
        await client.close()


def test_events_reach_the_stream_in_order_and_once() -> None:
    assert NATS_URL is not None
    token = secrets.token_hex(4)
    stream, prefix = f"ORDINO_TEST_{token}", f"ordino-test-{token}"
    publisher = NatsPublisher(NATS_URL, stream, prefix)
    events = [_event(n) for n in range(5)]
    try:
        publisher.publish(events[:3])
        publisher.publish(events[2:])  # the third again: a relay died before marking it
    finally:
        publisher.close()

    stored = asyncio.run(_stored(NATS_URL, stream))

    assert [s["id"] for s in stored] == [e.id for e in events]
    assert stored[0] == {
        "id": events[0].id,
        "type": "order.created",
        "occurred_at": "2026-11-02T09:00:00+00:00",
        "subject": "order/0",
        "data": {"n": 0},
    }


def test_the_server_relays_an_orders_events_to_the_broker_by_itself(
    database_url: str, clock: Clock
) -> None:
    assert NATS_URL is not None
    settings = Settings(
        database_url=database_url,
        admin_key=ADMIN_KEY,
        signal_seconds=0,
        worker_seconds=0,
        broker_url=NATS_URL,
        relay_seconds=0.02,
    )
    app = create_app(settings, clock=clock)
    with TestClient(app, headers={"Authorization": f"Bearer {ADMIN_KEY}"}) as client:
        network(client)
        stock(client, "DC-BER", "SKU-1", 5)
        order = client.post("/v1/orders", json=an_order_body(("SKU-1", 1))).json()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _unpublished(app):
            time.sleep(0.02)
    app.state.engine.dispose()

    stored = asyncio.run(_stored(NATS_URL, "ORDINO", delete=False))
    assert {"type": "order.created", "subject": f"order/{order['id']}"}.items() <= next(
        s for s in stored if s["subject"] == f"order/{order['id']}"
    ).items()
    # (The stream is the default one, ORDINO: earlier runs' events are there too.)


def _unpublished(app: object) -> int:
    engine = app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        return int(
            connection.scalar(
                select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
            )
        )
