"""Webhook secrets are kept sealed (Fernet, under a key derived from the server's
key), never in clear, and still sign deliveries after a restart. Receivers on
loopback or private addresses are refused, at subscription and again at delivery
(a name may resolve elsewhere later), unless ORDINO_WEBHOOK_ALLOW_PRIVATE allows
them."""

from __future__ import annotations

import hashlib
import hmac
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from ordino.app.job_handlers import handlers
from ordino.app.schema import metadata
from ordino.app.server import create_app
from ordino.config import Settings
from ordino.events.services.relay import relay_all
from ordino.orchestration.services.worker import Worker
from tests.conftest import ADMIN_KEY, Clock
from tests.support.api import fields, network, stock
from tests.support.builders import an_order_body


@dataclass
class Receiver:
    received: list[tuple[dict[str, str], str]] = field(default_factory=list)
    port: int = 0


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver on 127.0.0.1 that accepts everything it is sent."""
    found = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            found.received.append((dict(self.headers), body))
            self.send_response(200)
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


def _app(database_url: str, clock: Clock, **settings: Any) -> FastAPI:
    given = Settings(
        database_url=database_url,
        admin_key=ADMIN_KEY,
        signal_seconds=0,
        worker_seconds=0,
        relay_seconds=0,
        **settings,
    )
    return create_app(given, clock=clock)


@pytest.fixture
def served(database_url: str, clock: Clock) -> Callable[..., TestClient]:
    """Start the server (again) on the same database with these settings."""
    apps: list[FastAPI] = []

    def start(**settings: Any) -> TestClient:
        app = _app(database_url, clock, **settings)
        apps.append(app)
        return TestClient(app, headers={"Authorization": f"Bearer {ADMIN_KEY}"})

    yield start  # type: ignore[misc]
    for app in apps:
        app.state.engine.dispose()


def _work(client: TestClient, clock: Clock) -> None:
    """The relay and the worker, as the server runs them: the app's own adapters."""
    state = client.app.state  # type: ignore[attr-defined]
    relay_all(state.uow(), None, clock())
    jobs = handlers(state.uow, state.capture, state.outside, clock)
    Worker("test", state.uow, clock, jobs).run_until_idle()


def _verified(secret: str, headers: dict[str, str], body: str) -> bool:
    parts = dict(part.split("=", 1) for part in headers["Ordino-Signature"].split(","))
    mac = hmac.new(secret.encode(), f"{parts['t']}.{body}".encode(), hashlib.sha256)
    return hmac.compare_digest(mac.hexdigest(), parts["v1"])


def _every_text(engine: Engine) -> str:
    """Every value of every table, as text: where a secret in clear would show."""
    with engine.connect() as connection:
        return "\n".join(
            str(value)
            for table in metadata.sorted_tables
            for row in connection.execute(select(table))
            for value in row
        )


def _order(client: TestClient, external_id: str) -> None:
    response = client.post("/v1/orders", json=an_order_body(("SKU-1", 1), external_id=external_id))
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("server_key", ["a key of the operator's", None])
def test_a_secret_is_stored_sealed_and_still_signs_after_a_restart(
    served: Callable[..., TestClient],
    clock: Clock,
    receiver: Receiver,
    engine: Engine,
    server_key: str | None,
) -> None:
    first = served(secret_key=server_key, webhook_allow_private=True)
    network(first)
    stock(first, "DC-BER", "SKU-1", 5)
    url = f"http://127.0.0.1:{receiver.port}/hooks"
    hook = first.post("/v1/webhooks", json={"url": url, "event_types": ["order.created"]}).json()
    _order(first, "W-1")
    _work(first, clock)

    stored = _every_text(engine)
    again = served(secret_key=server_key, webhook_allow_private=True)  # a restart
    _order(again, "W-2")
    _work(again, clock)

    assert hook["secret"] not in stored
    assert len(receiver.received) == 2
    assert all(_verified(hook["secret"], h, body) for h, body in receiver.received)


def test_a_server_with_another_key_cannot_open_a_secret_and_says_so(
    served: Callable[..., TestClient], clock: Clock, receiver: Receiver
) -> None:
    first = served(secret_key="the first key", webhook_allow_private=True)
    network(first)
    stock(first, "DC-BER", "SKU-1", 5)
    url = f"http://127.0.0.1:{receiver.port}/hooks"
    hook = first.post("/v1/webhooks", json={"url": url, "event_types": ["order.created"]}).json()
    _order(first, "W-1")

    other = served(secret_key="another key", webhook_allow_private=True)
    _work(other, clock)
    log = other.get(f"/v1/webhooks/{hook['id']}/deliveries").json()["items"]
    rotated = served(
        secret_key="another key",
        previous_secret_keys=("the first key",),
        webhook_allow_private=True,
    )
    clock.advance(minutes=1)  # past the job's backoff
    _work(rotated, clock)

    assert log[0]["delivered_at"] is None
    assert "cannot be opened" in log[0]["last_error"]
    assert len(receiver.received) == 1  # once the first key is known again as a previous one
    assert _verified(hook["secret"], *receiver.received[0])


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hooks",
        "http://localhost/hooks",
        "http://10.1.2.3/hooks",
        "http://192.168.0.10/hooks",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hooks",
        "http://[::ffff:127.0.0.1]/hooks",
        "http://0.0.0.0/hooks",
        "http://2130706433/hooks",  # 127.0.0.1 as one decimal number
        "http://0177.0.0.1/hooks",  # and in octal
        # IPv6 addresses that carry an IPv4 one to where a gateway may take them:
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data",  # NAT64: 169.254.169.254
        "http://[2002:a00:1::1]/hooks",  # 6to4: 10.0.0.1
        "http://[::127.0.0.1]/hooks",  # IPv4-compatible (deprecated)
    ],
)
def test_a_private_or_loopback_receiver_is_refused_naming_the_url(
    served: Callable[..., TestClient], url: str
) -> None:
    client = served()

    refused = client.post("/v1/webhooks", json={"url": url, "event_types": ["*"]})
    allowed = served(webhook_allow_private=True).post(
        "/v1/webhooks", json={"url": url, "event_types": ["*"]}
    )

    assert fields(refused) == ["url"]
    assert "private" in refused.json()["errors"][0]["message"]
    assert allowed.status_code == 201
    assert len(client.get("/v1/webhooks").json()["items"]) == 1  # the allowed one only


def test_a_name_that_resolves_to_a_private_address_at_delivery_gets_nothing(
    served: Callable[..., TestClient],
    clock: Clock,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = served()
    network(client)
    stock(client, "DC-BER", "SKU-1", 5)
    url = f"http://hooks.example:{receiver.port}/hooks"  # does not resolve when subscribed
    hook = client.post("/v1/webhooks", json={"url": url, "event_types": ["*"]})
    assert hook.status_code == 201, hook.text
    _order(client, "W-1")
    real = socket.getaddrinfo

    def rebound(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        return real("127.0.0.1" if host == "hooks.example" else host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebound)  # the name now points inside
    _work(client, clock)

    assert receiver.received == []
    [delivery] = client.get(f"/v1/webhooks/{hook.json()['id']}/deliveries").json()["items"]
    assert delivery["delivered_at"] is None
    assert "127.0.0.1 is a private or loopback address" in delivery["last_error"]
