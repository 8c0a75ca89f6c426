"""The money tests' bench: an app on PostgreSQL with the sandbox gateway behind a
wrapper that can have the server terminate the worker's connection (`Killer`), and
orders brought to each payment call."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from itertools import count
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select, text

from ordino.app.job_handlers import handlers
from ordino.app.server import create_app
from ordino.config import Settings
from ordino.orchestration.services.worker import Worker
from ordino.payments.adapters.sandbox import SandboxGateway
from ordino.payments.adapters.sandbox_tables import sandbox_authorisations
from ordino.payments.domain.payments import GatewayAnswer
from ordino.payments.store.tables import payment_operations
from ordino.store.engine import make_engine
from tests.conftest import ADMIN_KEY, Clock
from tests.support.api import network, order_of, stock
from tests.support.builders import an_order_body

CARD = "4242424242424242"


class Killer:
    """Has PostgreSQL terminate the connection of the `at`-th statement the engine
    runs after `arm`; counts the statements it sees while armed."""

    def __init__(self, engine: Engine, admin: Engine) -> None:
        self.admin = admin
        self.countdown: int | None = None
        self.seen = 0
        self.kills = 0
        event.listen(engine, "before_cursor_execute", self._before)

    def arm(self, at: int | None) -> None:
        """`at` None: only count the statements from now on."""
        self.countdown = at
        self.seen = 0

    def _before(self, connection: Any, *_: Any) -> None:
        self.seen += 1
        if self.countdown is None or self.seen != self.countdown:
            return
        self.countdown = None
        pid = connection.connection.dbapi_connection.info.backend_pid
        with self.admin.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        self.kills += 1


@dataclass
class FaultyGateway:
    """The sandbox gateway; the answer to the first call of `kind` arms the killer."""

    sandbox: SandboxGateway
    killer: Killer
    kind: str = ""
    at: int | None = None

    def _answered(self, kind: str, answer: GatewayAnswer) -> GatewayAnswer:
        if kind == self.kind:
            self.kind = ""
            self.killer.arm(self.at)
        return answer

    def authorise(
        self, token: str, amount: Decimal, currency: str, key: str, now: datetime
    ) -> GatewayAnswer:
        return self._answered(
            "authorise", self.sandbox.authorise(token, amount, currency, key, now)
        )

    def capture(
        self, authorisation: str, amount: Decimal, key: str, now: datetime
    ) -> GatewayAnswer:
        return self._answered("capture", self.sandbox.capture(authorisation, amount, key, now))

    def void(self, authorisation: str, key: str, now: datetime) -> GatewayAnswer:
        return self._answered("void", self.sandbox.void(authorisation, key, now))

    def refund(self, authorisation: str, amount: Decimal, key: str, now: datetime) -> GatewayAnswer:
        return self._answered("refund", self.sandbox.refund(authorisation, amount, key, now))

    def lookup(self, key: str) -> GatewayAnswer | None:
        return self.sandbox.lookup(key)

    def authorisation(self, reference: str) -> Any:
        return self.sandbox.authorisation(reference)


@dataclass
class Books:
    api: TestClient
    clock: Clock
    gateway: FaultyGateway
    worker: Worker
    numbers: Iterator[int] = field(default_factory=count)

    def work(self) -> None:
        """Run what is due, then what comes due within the jobs' backoff, until idle."""
        self.worker.run_until_idle()
        for _ in range(6):
            self.clock.advance(hours=1)
            self.worker.run_until_idle()

    def authorisations(self) -> dict[str, dict[str, Any]]:
        with self.gateway.sandbox.engine.connect() as connection:
            found = connection.execute(select(sandbox_authorisations)).mappings()
            return {row["id"]: dict(row) for row in found}

    def unanswered(self) -> int:
        ops = payment_operations.c
        query = select(ops.key).where(ops.outcome.is_(None))
        with self.gateway.sandbox.engine.connect() as connection:
            return len(connection.execute(query).all())


@contextmanager
def bench(pg_url: str, clock: Clock) -> Iterator[Books]:
    """The app, its worker and the faulty gateway over a stocked network."""
    settings = Settings(
        database_url=pg_url,
        admin_key=ADMIN_KEY,
        signal_seconds=0,
        worker_seconds=0,
        relay_seconds=0,
    )
    app = create_app(settings, clock=clock)
    admin = make_engine(pg_url, pool_size=1)
    gateway = FaultyGateway(
        SandboxGateway(make_engine(pg_url, pool_size=2)), Killer(app.state.engine, admin)
    )
    with TestClient(app, headers={"Authorization": f"Bearer {ADMIN_KEY}"}) as api:
        state: Any = app.state
        jobs = handlers(state.uow, state.capture, replace(state.outside, gateway=gateway), clock)
        worker = Worker("fault", state.uow, clock, jobs)
        network(api)
        stock(api, "DC-BER", "SKU-1", 1_000)
        yield Books(api, clock, gateway, worker)
    gateway.sandbox.engine.dispose()
    admin.dispose()
    app.state.engine.dispose()


def placed(books: Books) -> str:
    card = {"method": "card", "token": CARD}
    body = an_order_body(("SKU-1", 2), payment=card, external_id=f"W-{next(books.numbers)}")
    response = books.api.post("/v1/orders", json=body)
    assert response.status_code == 201, response.text
    order_id: str = response.json()["id"]
    return order_id


def released(books: Books) -> str:
    order_id = placed(books)
    books.work()
    assert order_of(books.api, order_id)["status"] == "released"
    return order_id


def ship(books: Books, order_id: str) -> None:
    [fo] = order_of(books.api, order_id)["fulfillments"]
    shipped = {"carrier": "dhl", "tracking_number": f"JD-{order_id}"}
    response = books.api.post(f"/v1/fulfillments/{fo['id']}/shipped", json=shipped)
    assert response.status_code == 200, response.text


def shipped(books: Books) -> str:
    order_id = released(books)
    ship(books, order_id)
    books.work()
    return order_id


def cancel(books: Books, order_id: str) -> None:
    response = books.api.post(f"/v1/orders/{order_id}/cancel", json={"reason": "changed mind"})
    assert response.status_code == 200, response.text


def refund(books: Books, order_id: str) -> None:
    body = {"amount": "20.00", "currency": "EUR", "reason": "appeasement"}
    headers = {"Idempotency-Key": f"refund-{order_id}"}
    response = books.api.post(f"/v1/orders/{order_id}/refunds", json=body, headers=headers)
    assert response.status_code == 202, response.text
