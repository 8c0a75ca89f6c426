"""An `ordino worker` killed (SIGKILL) while it makes the refunds of returns at the
sandbox gateway, and started again: the gateway saw exactly one refund of each
return, of what its unit paid; Ordino's books agree with it; nothing is dead.

On PostgreSQL, where the test can watch the refunds go by and kill the worker in
the middle of them (SQLite's one writer keeps the watcher waiting)."""

from __future__ import annotations

import signal
import time
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import func, select

from ordino.app.check import check_payments, check_returns
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Source
from ordino.orchestration.services import fulfillment
from ordino.orders.domain.fulfillment import Shipment
from ordino.orders.services.capture import place_order
from ordino.orders.store.tables import fulfillments
from ordino.payments.adapters.sandbox import SandboxGateway
from ordino.payments.adapters.sandbox_tables import sandbox_authorisations, sandbox_operations
from ordino.payments.store.tables import payments
from ordino.returns.domain import (
    Condition,
    Disposition,
    Initiator,
    ReceivedUnits,
    ReturnLineRequest,
    ReturnMethod,
)
from ordino.returns.services import ReceiveReturn, StartReturn, receive_return, start_return
from ordino.sourcing.engine.choice import RulesEngine
from ordino.store.tables import jobs
from tests.conftest import Clock
from tests.orchestration.test_lifecycle_fault import CARD, _count, _kill_midway, _worker
from tests.support.builders import a_place_order
from tests.support.storage import with_stock

ORDERS = 30


def _run_until(database_url: str, done: object, wanted: int) -> None:
    """A worker runs until `done()` reaches `wanted`, then stops."""
    worker = _worker(database_url)
    deadline = time.monotonic() + 90
    try:
        while done() < wanted and time.monotonic() < deadline:  # type: ignore[operator]
            time.sleep(0.05)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=10)


def test_a_worker_killed_while_refunding_returns_refunds_each_once(
    pg_uow: SqlUnitOfWork, pg_url: str, clock: Clock
) -> None:
    uow, database_url = pg_uow, pg_url
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): ORDERS})
    ids = []
    for n in range(ORDERS):
        cmd = a_place_order(("SKU-1", 1), external_id=f"W-{n}")
        ids.append(place_order(replace(cmd, tenders=CARD), uow, RulesEngine(), clock()).body["id"])
    released = lambda: _count(uow, select(func.count()).select_from(fulfillments))  # noqa: E731
    _run_until(database_url, released, ORDERS)
    with uow.engine.connect() as connection:
        parcels = list(connection.scalars(select(fulfillments.c.id).order_by(fulfillments.c.id)))
    clock.advance(days=1)
    source = Source("wms", clock())
    for fo_id in parcels:
        fulfillment.ship(fo_id, Shipment("dhl", f"T-{fo_id[-6:]}"), uow, source)
        fulfillment.deliver(fo_id, clock() - timedelta(minutes=1), uow, source)
    closed = select(func.count()).where(payments.c.status == "closed")
    _run_until(database_url, lambda: _count(uow, closed), ORDERS)  # captured

    for order_id in ids:  # each unit back, received: its refund asked of the worker
        one = (ReturnLineRequest(1, 1, "wrong_size"),)
        ra = start_return(
            StartReturn(order_id, one, ReturnMethod.STORE, Initiator.AGENT), uow, clock()
        )
        got = (ReceivedUnits(1, 1, Condition.NEW, Disposition.RESTOCK),)
        receive_return(ReceiveReturn(ra.body["id"], "DC-BER", got), uow, clock())

    refunds = select(func.count()).where(sandbox_operations.c.kind == "refund")
    _kill_midway(database_url, lambda: _count(uow, refunds), ORDERS)

    assert _count(uow, refunds) == ORDERS  # the gateway refunded each return once
    with uow.engine.connect() as connection:
        refunded = list(connection.scalars(select(sandbox_authorisations.c.refunded_minor)))
        dead = list(connection.scalars(select(jobs.c.kind).where(jobs.c.status == "dead")))
    assert refunded == [5990] * ORDERS  # what each unit paid
    assert dead == []
    assert check_payments(uow, SandboxGateway(uow.engine), clock()) == []
    assert check_returns(uow) == []
