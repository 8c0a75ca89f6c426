"""`ordino db prune` deletes what is past its retention (published events of closed
orders, accepted webhook deliveries); `ordino worker` prunes too."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from ordino.app.main import main
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.events.services.relay import relay_all
from ordino.orders.services.capture import Capture, place_order
from ordino.orders.services.orders import cancel_order
from ordino.store.tables import jobs, outbox
from tests.support.builders import a_place_order
from tests.support.storage import rows, with_stock

LONG_AGO = datetime(2020, 3, 2, 9, 0, tzinfo=UTC)
T1 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _old_closed_order(engine: Engine) -> None:
    """An order placed and cancelled in 2020, its two events published then."""
    uow = SqlUnitOfWork(engine)
    with_stock(uow, LONG_AGO, {("DC-BER", "SKU-1"): 10})
    order_id = place_order(a_place_order(), uow, Capture(), LONG_AGO).body["id"]
    cancel_order(order_id, uow, LONG_AGO)
    relay_all(uow, None, LONG_AGO)


def test_db_prune_deletes_old_published_events_and_says_how_many(
    engine: Engine, database_url: str
) -> None:
    _old_closed_order(engine)
    command = ["db", "prune", "--database-url", database_url]

    kept = CliRunner().invoke(main, [*command, "--events-days", "0"])  # 0: for ever
    assert len(rows(engine, outbox)) == 2
    pruned = CliRunner().invoke(main, [*command, "--events-days", "365"])

    assert (kept.exit_code, pruned.exit_code) == (0, 0), pruned.output
    assert "pruned 0 event(s)" in kept.output
    assert "pruned 2 event(s), 0 webhook deliveries" in pruned.output
    assert rows(engine, outbox) == []


def test_the_worker_prunes_by_the_retention_settings(engine: Engine, database_url: str) -> None:
    _old_closed_order(engine)
    env = {"ORDINO_RETAIN_EVENTS_DAYS": "365", "ORDINO_PRUNE_SECONDS": "3600"}

    result = CliRunner().invoke(main, ["worker", "--once", "--database-url", database_url], env=env)

    assert result.exit_code == 0, result.output
    assert "pruned 2 event(s)" in result.output
    assert rows(engine, outbox) == []


def test_a_worker_whose_pruning_fails_logs_it_and_keeps_working(
    engine: Engine,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Pruning is housekeeping: its failure (the database went away a moment) is
    logged and tried next time, and the worker's jobs still run."""
    _old_closed_order(engine)
    placed = place_order(a_place_order(external_id="W-NEW"), SqlUnitOfWork(engine), Capture(), T1)

    def fails(*_: object, **__: object) -> None:
        raise OperationalError("DELETE FROM outbox", {}, Exception("server closed the connection"))

    monkeypatch.setattr("ordino.app.worker.prune", fails)
    env = {"ORDINO_RETAIN_EVENTS_DAYS": "365", "ORDINO_PRUNE_SECONDS": "3600"}
    caplog.set_level(logging.INFO, logger="ordino")

    result = CliRunner().invoke(main, ["worker", "--once", "--database-url", database_url], env=env)

    assert result.exit_code == 0, result.output
    assert "pruning failed" in caplog.text
    assert "server closed the connection" in caplog.text
    assert re.search(r"\d+ jobs: \d+ done", caplog.text)  # the worker's line of jobs run
    events = [(e["subject"], e["type"]) for e in rows(engine, outbox)]
    assert (f"order/{placed.body['id']}", "fulfillment.released") in events  # its jobs ran
    assert len([e for e in events if e[1] == "order.cancelled"]) == 1  # nothing pruned
    assert "orders.advance" not in [j["kind"] for j in rows(engine, jobs)]
