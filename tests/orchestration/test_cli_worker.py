"""`ordino worker --once`: a receipt enqueues the filling of backorders, and the
worker allocates the units waiting."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from ordino.app.main import main
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.app.worker import worker_parts
from ordino.inventory.domain.feeds import Source
from ordino.inventory.domain.supply import CreateSupply, Receipt, SupplyKind
from ordino.inventory.services.stock_cache import NotCached, StockPicture
from ordino.inventory.services.supply import create_supply, receive_supply
from ordino.kernel.domain.jobs import Job
from ordino.orders.services.capture import Capture, place_order
from ordino.orders.services.orders import get_order
from ordino.sourcing.domain.profiles import SourcingProfile, Strategy, StrategyKind
from ordino.sourcing.services.profiles import put_profile
from ordino.store.change_feed import PostgresListener, SqlitePoller
from ordino.store.tables import jobs
from tests.conftest import Clock
from tests.support.builders import a_place_order
from tests.support.storage import rows, with_stock


def test_a_receipt_has_the_worker_allocate_what_waited_for_it(
    uow: SqlUnitOfWork, clock: Clock, database_url: str
) -> None:
    with_stock(uow, clock(), {("DC-BER", "SKU-1"): 1})
    wait = Strategy("wait", StrategyKind.BACKORDER)
    put_profile(SourcingProfile("web", frozenset({"web"}), (Strategy("any"), wait)), uow, clock())
    order = place_order(a_place_order(("SKU-1", 3)), uow, Capture(), clock()).body
    source = Source("test", clock())
    po = CreateSupply(
        "PO-1", SupplyKind.PURCHASE_ORDER, "DC-BER", clock() + timedelta(days=1), (("SKU-1", 5),)
    )
    create_supply(po, source, uow)
    receive_supply("PO-1", Receipt("GRN-1", (("SKU-1", 5),)), source, uow)
    kinds = sorted(job["kind"] for job in rows(uow.engine, jobs))
    assert kinds == ["backorders.expect", "backorders.fill", "orders.advance"]

    result = CliRunner().invoke(main, ["worker", "--once", "--database-url", database_url])

    assert result.exit_code == 0, result.output
    line = get_order(order["id"], uow)["lines"][0]
    # Filled, and released to DC-BER by the job the filling queued.
    assert (line["status"], line["backordered"], line["released"]) == ("released", 0, 3)
    assert line["allocations"] == [{"location_id": "DC-BER", "quantity": 3, "ship_date": None}]
    # Left: only the timers that check DC-BER accepts within two hours (one per
    # fulfillment order: the unit it had may have gone out before the filled ones).
    assert {job["kind"] for job in rows(uow.engine, jobs)} == {"timers.due"}


def test_the_worker_says_what_it_does_one_line_each(
    uow: SqlUnitOfWork, clock: Clock, database_url: str
) -> None:
    with uow:
        for kind, payload in (
            ("backorders.expect", {}),
            ("backorders.fill", {}),
            ("nobody.handles", {}),
            ("orders.advance", {}),  # no order_id: fails, and is tried again later
        ):
            uow.jobs.add(Job.new(kind, payload, clock()), clock())
        uow.commit()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORDINO_")}
    command = [sys.executable, "-m", "ordino", "worker", "--once"]

    done = subprocess.run(
        [*command, "--database-url", database_url],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    lines = [re.sub(r"^\S+ \S+ ", "", line) for line in done.stderr.splitlines()]
    hidden = re.escape(make_url(database_url).render_as_string(hide_password=True))
    assert len(lines) == 5, done.stderr
    assert re.fullmatch(
        rf"worker \S+:\d+ started on {hidden}: looks for jobs every 1s, leases 300s", lines[0]
    )
    failures = (  # in the order they were claimed, which the ids decide
        r"job \w+ \(nobody\.handles\) failed, dead: no handler for jobs of kind nobody\.handles",
        r"job \w+ \(orders\.advance\) failed, attempt 1 of 8, again at \S+: KeyError: 'order_id'",
    )
    matched = [
        n
        for line in lines[1:3]
        for n, pattern in enumerate(failures)
        if re.fullmatch(pattern, line)
    ]
    assert sorted(matched) == [0, 1], lines[1:3]
    assert lines[3] == (
        "4 jobs: 2 done (backorders.expect 1, backorders.fill 1), "
        "2 failed (nobody.handles 1, orders.advance 1)"
    )
    assert re.fullmatch(r"worker \S+:\d+ stopped: no job is due", lines[4])


PATIENCE = 10.0  # seconds: far above a notification's trip, so a slow machine passes too


def _forgotten(picture: StockPicture) -> bool:
    """Whether the picture let its locations go, waiting for the change feed."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        try:
            picture.locations(None)
        except NotCached:
            return True
        time.sleep(0.01)
    return False


def test_the_workers_picture_hears_what_another_process_changed(
    engine: Engine, clock: Clock
) -> None:
    """A location, profile or rate card changed through the API reaches the worker's
    sourcing without a restart."""
    new_uow, capture, feed = worker_parts(engine)
    polled = isinstance(feed, SqlitePoller)
    if polled:
        feed.poll()  # from what is there
    else:
        feed.start()
        assert isinstance(feed, PostgresListener) and feed.listening.wait(PATIENCE)
    try:
        uow = new_uow()
        with uow:
            capture.picture.locations(uow)  # held
        with_stock(SqlUnitOfWork(engine), clock(), {("DC-NEW", "SKU-9"): 1})  # the API's
        if polled:
            feed.poll()
        assert _forgotten(capture.picture)
    finally:
        if not polled:
            feed.stop()
