"""An `ordino worker` killed (SIGKILL) in the middle of the order lifecycle's jobs —
advancing orders (authorising their cards at the sandbox gateway, releasing them)
and capturing their payments as parcels ship — and started again: every job ran
exactly once in effect. Each order was released once (one fulfillment order, no
units twice), its card authorised once and captured once, and nothing is dead.

On PostgreSQL: there the test can watch the work go by and kill the worker in the
middle of it; SQLite's one writer keeps the watcher waiting until the work is done.
(The webhook fault test, whose slow receiver leaves room, runs on both.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import func, select

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Source
from ordino.orchestration.services import fulfillment
from ordino.orders.domain.fulfillment import Shipment
from ordino.orders.services.capture import place_order
from ordino.orders.store.tables import fulfillments
from ordino.payments.adapters.sandbox_tables import sandbox_authorisations, sandbox_operations
from ordino.payments.domain import PaymentMethod, TenderAsked
from ordino.payments.store.tables import payments
from ordino.sourcing.engine.choice import RulesEngine
from ordino.store.tables import jobs
from tests.conftest import Clock
from tests.support.builders import a_place_order
from tests.support.storage import with_stock

ORDERS = 40
CARD = (TenderAsked(PaymentMethod.CARD, None, "4242424242424242"),)


def _worker(database_url: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "ordino", "worker", "--database-url", database_url]
    return subprocess.Popen(
        [*command, "--lease", "1", "--poll", "0.05"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )


def _count(uow: SqlUnitOfWork, query: object) -> int:
    with uow.engine.connect() as connection:
        return int(connection.scalar(query) or 0)  # type: ignore[call-overload]


def _kill_midway(database_url: str, done: Callable[[], int], wanted: int) -> None:
    """Start a worker, kill it as soon as some of the work is done, start another
    and let it finish."""
    deadline = time.monotonic() + 90
    first = _worker(database_url)
    while done() < 2 and time.monotonic() < deadline:
        time.sleep(0.002)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert done() < wanted, "the kill came too late to land in the middle"
    second = _worker(database_url)
    try:
        while done() < wanted and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.5)  # a lease of the killed worker's runs out; its job runs again
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=10)


def test_a_worker_killed_mid_lifecycle_does_each_job_once_in_effect(
    pg_uow: SqlUnitOfWork, pg_url: str, clock: Clock
) -> None:
    uow, database_url = pg_uow, pg_url
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): ORDERS, ("DC-BER", "SKU-2"): ORDERS})
    for n in range(ORDERS):
        cmd = a_place_order(("SKU-1", 1), ("SKU-2", 1), external_id=f"W-{n}")
        place_order(replace(cmd, tenders=CARD), uow, RulesEngine(), clock())

    released = lambda: _count(uow, select(func.count()).select_from(fulfillments))  # noqa: E731
    _kill_midway(database_url, released, ORDERS)

    assert released() == ORDERS  # one fulfillment order each: released once
    authorised = select(func.count()).select_from(sandbox_authorisations)
    assert _count(uow, authorised) == ORDERS  # each card authorised once

    with uow.engine.connect() as connection:
        ids = list(connection.scalars(select(fulfillments.c.id).order_by(fulfillments.c.id)))
    for fo_id in ids:  # every parcel leaves; the captures are the worker's
        fulfillment.ship(fo_id, Shipment("dhl", f"T-{fo_id[-6:]}"), uow, Source("wms", clock()))
    closed = select(func.count()).where(payments.c.status == "closed")
    _kill_midway(database_url, lambda: _count(uow, closed), ORDERS)

    captures = select(func.count()).where(sandbox_operations.c.kind == "capture")
    assert _count(uow, captures) == ORDERS  # each parcel captured once
    with uow.engine.connect() as connection:
        totals = connection.execute(
            select(payments.c.captured_minor, payments.c.amount_minor)
        ).all()
        left = list(connection.scalars(select(jobs.c.kind).where(jobs.c.status == "dead")))
    assert all(captured == amount for captured, amount in totals)
    assert sum(captured for captured, _ in totals) == ORDERS * 2 * 5990  # two lines at 59.90
    assert left == []
