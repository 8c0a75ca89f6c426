"""Webhooks: a subscriber gets the events it asked for, signed, in the order they
happened, each until it accepts; the delivery log says how each went."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ordino.app.job_handlers import handlers
from ordino.events.services.relay import relay_all
from ordino.orchestration.services.worker import Worker
from ordino.orders.services.capture import Capture
from ordino.sourcing.engine.choice import RulesEngine
from tests.conftest import Clock
from tests.support.api import fields, network, refused, stock
from tests.support.builders import an_order_body


@dataclass
class Receiver:
    """A webhook receiver on a local port: records what it is sent, and answers
    `status` (change it to fail)."""

    received: list[tuple[dict[str, str], str]] = field(default_factory=list)
    status: int = 200
    port: int = 0


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            found.received.append((dict(self.headers), body))
            self.send_response(found.status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    found.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found
    server.shutdown()
    server.server_close()


def _work(api: TestClient, clock: Clock) -> None:
    """What the server's loops do by themselves: relay the outbox, run the jobs."""
    uow = api.app.state.uow  # type: ignore[attr-defined]
    relay_all(uow(), None, clock())
    capture = Capture(RulesEngine())
    Worker(
        "test",
        uow,
        clock,
        handlers(uow, capture, api.app.state.outside, clock),  # type: ignore[attr-defined]
    ).run_until_idle()


def _verified(secret: str, headers: dict[str, str], body: str) -> bool:
    parts = dict(part.split("=", 1) for part in headers["Ordino-Signature"].split(","))
    mac = hmac.new(secret.encode(), f"{parts['t']}.{body}".encode(), hashlib.sha256)
    return hmac.compare_digest(mac.hexdigest(), parts["v1"])


def test_a_subscriber_gets_its_events_signed_and_in_order(
    api: TestClient, clock: Clock, receiver: Receiver
) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 5)
    url = f"http://127.0.0.1:{receiver.port}/hooks"
    created = api.post(
        "/v1/webhooks", json={"url": url, "event_types": ["order.created", "order.cancelled"]}
    )
    assert created.status_code == 201, created.text
    hook = created.json()
    order = api.post("/v1/orders", json=an_order_body(("SKU-1", 1))).json()
    api.post(f"/v1/orders/{order['id']}/cancel")

    _work(api, clock)

    events = [json.loads(body) for _, body in receiver.received]
    assert [(e["type"], e["subject"]) for e in events] == [
        ("order.created", f"order/{order['id']}"),
        ("order.cancelled", f"order/{order['id']}"),
    ]
    assert all(_verified(hook["secret"], headers, body) for headers, body in receiver.received)
    assert receiver.received[0][0]["Ordino-Event-Id"] == events[0]["id"]
    log = api.get(f"/v1/webhooks/{hook['id']}/deliveries").json()["items"]
    assert [(d["event_type"], d["attempts"], d["last_status"]) for d in log] == [
        ("order.cancelled", 1, 200),
        ("order.created", 1, 200),
    ]
    assert "secret" not in api.get("/v1/webhooks").json()["items"][0]


def test_a_failing_receiver_gets_the_event_again_later_and_nothing_after_it_first(
    api: TestClient, clock: Clock, receiver: Receiver
) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 5)
    url = f"http://127.0.0.1:{receiver.port}/hooks"
    hook = api.post("/v1/webhooks", json={"url": url, "event_types": ["*"]}).json()
    order = api.post("/v1/orders", json=an_order_body(("SKU-1", 1))).json()
    api.post(f"/v1/orders/{order['id']}/cancel")
    receiver.status = 503

    _work(api, clock)

    assert len(receiver.received) == 1  # the first, refused: the second waits behind it
    [waiting, first] = api.get(f"/v1/webhooks/{hook['id']}/deliveries").json()["items"]
    assert (first["attempts"], first["last_status"], first["delivered_at"]) == (1, 503, None)
    assert waiting["attempts"] == 0
    receiver.status = 200
    clock.advance(minutes=1)  # past the job's backoff
    _work(api, clock)

    types = [json.loads(body)["type"] for _, body in receiver.received]
    assert types == ["order.created", "order.created", "order.cancelled"]
    log = api.get(f"/v1/webhooks/{hook['id']}/deliveries").json()["items"]
    assert all(d["delivered_at"] for d in log)


def test_bad_subscriptions_are_refused_naming_the_field(api: TestClient) -> None:
    assert fields(
        api.post("/v1/webhooks", json={"url": "ftp://x.example/h", "event_types": ["*"]})
    ) == ["url"]
    assert fields(
        api.post("/v1/webhooks", json={"url": "https://x.example/h", "event_types": []})
    ) == ["event_types"]
    assert fields(
        api.post(
            "/v1/webhooks", json={"url": "https://x.example/h", "event_types": ["Order Created"]}
        )
    ) == ["event_types[0]"]
    refused(api.delete("/v1/webhooks/NOPE"), 404, "not-found")
    refused(api.get("/v1/webhooks/NOPE/deliveries"), 404, "not-found")
    assert api.get("/v1/webhooks").json()["items"] == []
