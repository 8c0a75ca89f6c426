"""Money survives a dropped database connection between the gateway's answer and
Ordino's record of it.

For each kind of gateway call (authorise, capture, void, refund) the worker's
connection to PostgreSQL is terminated by the server (`pg_terminate_backend`) at
every statement from the gateway's answer to the end of the job, one order per
point; then the worker goes on without faults. Afterwards the gateway and Ordino
agree to the cent: one authorisation per order, holding what the payment says was
authorised, captured, voided and refunded, and no call left without its answer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from itertools import count
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select, text

from ordino.api.app import create_app
from ordino.broker.http import post_json
from ordino.config import Settings
from ordino.domain.payments import GatewayAnswer
from ordino.gateways.sandbox import SandboxGateway
from ordino.services.check import check_payments
from ordino.services.work import Outside, handlers
from ordino.services.worker import Worker
from ordino.store.engine import make_engine
from ordino.store.tables import payment_operations, sandbox_authorisations
from tests.builders import an_order_body
from tests.conftest import ADMIN_KEY, Clock
from tests.e2e.support import network, order_of, stock

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


@pytest.fixture
def books(pg_url: str, clock: Clock) -> Iterator[Books]:
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
        jobs = handlers(state.uow, state.capture, Outside(post_json, gateway), clock)
        worker = Worker("fault", state.uow, clock, jobs)
        network(api)
        stock(api, "DC-BER", "SKU-1", 1_000)
        yield Books(api, clock, gateway, worker)
    gateway.sandbox.engine.dispose()
    admin.dispose()
    app.state.engine.dispose()


def _placed(books: Books) -> str:
    card = {"method": "card", "token": CARD}
    body = an_order_body(("SKU-1", 2), payment=card, external_id=f"W-{next(books.numbers)}")
    response = books.api.post("/v1/orders", json=body)
    assert response.status_code == 201, response.text
    order_id: str = response.json()["id"]
    return order_id


def _released(books: Books) -> str:
    order_id = _placed(books)
    books.work()
    assert order_of(books.api, order_id)["status"] == "released"
    return order_id


def _ship(books: Books, order_id: str) -> None:
    [fo] = order_of(books.api, order_id)["fulfillments"]
    shipped = {"carrier": "dhl", "tracking_number": f"JD-{order_id}"}
    response = books.api.post(f"/v1/fulfillments/{fo['id']}/shipped", json=shipped)
    assert response.status_code == 200, response.text


def _shipped(books: Books) -> str:
    order_id = _released(books)
    _ship(books, order_id)
    books.work()
    return order_id


def _cancel(books: Books, order_id: str) -> None:
    response = books.api.post(f"/v1/orders/{order_id}/cancel", json={"reason": "changed mind"})
    assert response.status_code == 200, response.text


def _refund(books: Books, order_id: str) -> None:
    body = {"amount": "20.00", "currency": "EUR", "reason": "appeasement"}
    headers = {"Idempotency-Key": f"refund-{order_id}"}
    response = books.api.post(f"/v1/orders/{order_id}/refunds", json=body, headers=headers)
    assert response.status_code == 202, response.text


@dataclass(frozen=True)
class Case:
    """How to bring an order to the call (`before`), what makes the call (`then`),
    and how its money ends: (status, authorised, captured, voided, refunded), and the
    gateway's (authorised, captured, refunded, voided) in minor units."""

    before: Callable[[Books], str]
    then: Callable[[Books, str], None]
    payment: tuple[str, str, str, str, str]
    gateway: tuple[int, int, int, bool]


CASES = {
    "authorise": Case(
        _placed,
        lambda books, order_id: None,
        ("authorised", "119.80", "0.00", "0.00", "0.00"),
        (11980, 0, 0, False),
    ),
    "capture": Case(
        _released, _ship, ("closed", "119.80", "119.80", "0.00", "0.00"), (11980, 11980, 0, False)
    ),
    "void": Case(
        _released, _cancel, ("closed", "119.80", "0.00", "119.80", "0.00"), (11980, 0, 0, True)
    ),
    "refund": Case(
        _shipped,
        _refund,
        ("closed", "119.80", "119.80", "0.00", "20.00"),
        (11980, 11980, 2000, False),
    ),
}


def _run(books: Books, case: Case, kind: str, at: int | None) -> tuple[str, list[str]]:
    """One order through `case`, the connection killed at statement `at` after the
    gateway's answer to `kind`; the order and the authorisations made for it."""
    known = set(books.authorisations())
    order_id = case.before(books)
    books.gateway.kind, books.gateway.at = kind, at
    case.then(books, order_id)
    books.work()
    return order_id, sorted(set(books.authorisations()) - known)


def _agree(books: Books, case: Case, order_id: str, made: list[str]) -> None:
    payment = order_of(books.api, order_id)["payment"]
    money = ("status", "authorised", "captured", "voided", "refunded")
    assert tuple(payment[name] for name in money) == case.payment
    assert len(made) == 1, f"{len(made)} authorisations for one order"
    held = books.authorisations()[made[0]]
    parts = ("authorised_minor", "captured_minor", "refunded_minor", "voided")
    assert tuple(held[name] for name in parts) == case.gateway
    assert books.unanswered() == 0


@pytest.mark.parametrize("kind", list(CASES))
def test_a_connection_killed_after_the_gateway_answered_loses_and_doubles_nothing(
    books: Books, kind: str
) -> None:
    case = CASES[kind]
    _run(books, case, kind, None)  # no fault: how many statements follow the answer
    statements = books.gateway.killer.seen
    assert statements > 0

    for at in range(1, statements + 1):
        kills = books.gateway.killer.kills
        order_id, made = _run(books, case, kind, at)
        assert books.gateway.killer.kills == kills + 1, f"no kill at statement {at}"
        _agree(books, case, order_id, made)

    uow = books.api.app.state.uow  # type: ignore[attr-defined]
    assert check_payments(uow(), books.gateway, books.clock()) == []
