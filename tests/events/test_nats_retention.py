"""The NATS stream keeps events for the age it is given (`ORDINO_BROKER_MAX_AGE_DAYS`):
set when the stream is made, and on a stream made before without it."""

from __future__ import annotations

import asyncio
import os
import secrets
from datetime import UTC, datetime

import nats
import pytest
from nats.js.api import StreamConfig

from ordino.events.adapters.nats import NatsPublisher
from ordino.kernel.domain.events import Event

NATS_URL = os.environ.get("ORDINO_TEST_NATS_URL")
pytestmark = pytest.mark.skipif(
    not NATS_URL, reason="ORDINO_TEST_NATS_URL is not set; the NATS tests need it"
)
WEEK = 7 * 24 * 3600.0


def _event() -> Event:
    now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    return Event(f"E-{secrets.token_hex(6)}", "order.created", now, "order/1", {})


async def _max_age(stream: str, *, delete: bool = True) -> float | None:
    assert NATS_URL is not None
    client = await nats.connect(NATS_URL)
    try:
        js = client.jetstream()
        found = (await js.stream_info(stream)).config.max_age
        if delete:
            await js.delete_stream(stream)
        return found
    finally:
        await client.close()


async def _made_without_age(stream: str, prefix: str) -> None:
    assert NATS_URL is not None
    client = await nats.connect(NATS_URL)
    try:
        await client.jetstream().add_stream(StreamConfig(name=stream, subjects=[f"{prefix}.>"]))
    finally:
        await client.close()


def _names() -> tuple[str, str]:
    token = secrets.token_hex(4)
    return f"ORDINO_TEST_AGE_{token}", f"ordino-test-age-{token}"


def _publish(stream: str, prefix: str, max_age: float | None) -> None:
    assert NATS_URL is not None
    publisher = NatsPublisher(NATS_URL, stream, prefix, max_age=max_age)
    try:
        publisher.publish([_event()])
    finally:
        publisher.close()


def test_a_new_stream_keeps_events_for_the_age_given() -> None:
    stream, prefix = _names()

    _publish(stream, prefix, WEEK)

    assert asyncio.run(_max_age(stream)) == WEEK


def test_a_stream_made_without_an_age_is_given_one() -> None:
    stream, prefix = _names()
    asyncio.run(_made_without_age(stream, prefix))
    assert asyncio.run(_max_age(stream, delete=False)) == 0.0

    _publish(stream, prefix, WEEK)

    assert asyncio.run(_max_age(stream)) == WEEK
