"""Personal data and card tokens stay out of logs and problem answers when the database
refuses a statement: bound parameters are never shown, nor PostgreSQL's DETAIL line
(which repeats the refused row's values)."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from ordino.app.job_handlers import handlers
from ordino.orchestration.services.worker import Worker
from ordino.store.tables import jobs
from tests.conftest import Clock
from tests.support.api import network, stock
from tests.support.builders import an_order_body
from tests.support.storage import rows

EMAIL, PHONE, CARD = "grace@example.org", "+49 40 5550123", "4242424242424242"
PERSONAL = (EMAIL, PHONE, CARD, "Grace Hopper", "Elbchaussee 42")


def _order_body(external_id: str = "W-LOG") -> dict[str, object]:
    ship_to = an_order_body()["ship_to"] | {"name": "Grace Hopper", "line1": "Elbchaussee 42"}
    return an_order_body(
        ("SKU-1", 1),
        external_id=external_id,
        customer={"email": EMAIL, "name": "Grace Hopper", "phone": PHONE},
        ship_to=ship_to,
        payment={"method": "card", "token": CARD},
    )


def _engine(api: TestClient) -> Engine:
    return api.app.state.engine  # type: ignore[attr-defined,no-any-return]


@contextmanager
def _altered(engine: Engine, do: Sequence[str], undo: Sequence[str]) -> Iterator[None]:
    """The schema changed for the test, and put back (PostgreSQL's is migrated once per
    session: the next tests must find it whole)."""
    with engine.begin() as connection:
        for statement in do:
            connection.execute(text(statement))
    try:
        yield
    finally:
        with engine.begin() as connection:
            for statement in undo:
                connection.execute(text(statement))


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every record as a handler would write it, tracebacks included."""
    formatter = logging.Formatter("%(name)s %(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records)


def test_a_failed_insert_logs_no_customer_data_nor_card_token(
    api: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 5)
    answering = TestClient(api.app, raise_server_exceptions=False, headers=api.headers)
    renamed = "ALTER TABLE orders RENAME COLUMN customer_phone TO phone_gone"
    back = "ALTER TABLE orders RENAME COLUMN phone_gone TO customer_phone"

    with _altered(_engine(api), [renamed], [back]), caplog.at_level(logging.ERROR):
        response = answering.post("/v1/orders", json=_order_body())  # its insert fails

    assert response.status_code == 500
    logged = _logged(caplog)
    assert "unexpected error" in logged and "[SQL:" in logged  # the statement, not its values
    for value in PERSONAL:
        assert value not in logged
        assert value not in response.text


def test_a_refused_row_is_not_repeated_in_the_answer_nor_the_logs(
    api: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    """PostgreSQL's DETAIL ("Failing row contains (…)") names every value of the row;
    SQLite's messages name the constraint only."""
    network(api)
    stock(api, "DC-BER", "SKU-1", 5)
    if _engine(api).dialect.name == "sqlite":
        pytest.skip("SQLite's constraint messages carry no values")
    check = "ALTER TABLE orders ADD CONSTRAINT no_phone CHECK (customer_phone IS NULL)"
    gone = "ALTER TABLE orders DROP CONSTRAINT no_phone"

    with _altered(_engine(api), [check], [gone]), caplog.at_level(logging.DEBUG):
        response = api.post("/v1/orders", json=_order_body())

    assert response.status_code == 409  # lost every retry: a conflict, told without the row
    assert "no_phone" in response.json()["reason"]
    for value in PERSONAL:
        assert value not in response.text
        assert value not in _logged(caplog)


_REFUSE_SAVES = {  # (do, undo): every update of an order fails
    "sqlite": (
        ["CREATE TRIGGER refuse BEFORE UPDATE ON orders BEGIN SELECT RAISE(ABORT, 'refused'); END"],
        ["DROP TRIGGER refuse"],
    ),
    "postgresql": (
        [
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'refused'; END $$",
            "CREATE TRIGGER refuse BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION refuse()",
        ],
        ["DROP TRIGGER refuse ON orders", "DROP FUNCTION refuse()"],
    ),
}


def test_a_job_failing_in_the_database_logs_and_keeps_no_customer_data(
    api: TestClient, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 5)
    assert api.post("/v1/orders", json=_order_body()).status_code == 201
    engine = _engine(api)
    state = api.app.state  # type: ignore[attr-defined]
    outside = api.app.state.outside
    worker = Worker("test", state.uow, clock, handlers(state.uow, state.capture, outside, clock))

    with _altered(engine, *_REFUSE_SAVES[engine.dialect.name]), caplog.at_level(logging.ERROR):
        worker.run_once()  # advancing the order saves it: refused

    failed = [job for job in rows(engine, jobs) if job["last_error"]]
    assert failed and "refused" in failed[0]["last_error"]
    logged = _logged(caplog)
    assert "failed, attempt 1" in logged
    for value in PERSONAL:
        assert value not in logged
        assert value not in failed[0]["last_error"]
