"""`ordino worker`: runs the jobs Ordino enqueues (ordino.app.job_handlers), as many
workers as you like against one database, and prunes what is past its retention
every `ORDINO_PRUNE_SECONDS` (ordino.privacy.services.retention), a bounded round at a time
between jobs; `--once` runs what is due, prunes a round, and stops.

It says what it does on stderr, one line each: that it started (where, how often
it looks), each failure (the job, its kind, whether it is tried again, the error;
the same failure again within a minute, and the database down at every look, are
counted and summed up in one line when the minute is over:
ordino.orchestration.services.log_repeats),
every `--report-every` seconds how many jobs of each kind it ran, and what it
pruned."""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial

import click
from sqlalchemy import Engine

from ordino.app.job_handlers import Outside, handlers
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.cli.options import database_option
from ordino.config import Settings
from ordino.events.adapters.http_delivery import post_json
from ordino.inventory.services.stock_cache import StockPicture
from ordino.kernel.services.server_keys import ServerKeys
from ordino.network.adapters.sandbox_carrier import SandboxCarrier
from ordino.orchestration.services.worker import Tally, Worker
from ordino.orders.services.capture import Capture
from ordino.payments.adapters.sandbox import SandboxGateway
from ordino.privacy.services.retention import ROUND, prune
from ordino.sourcing.engine.choice import RulesEngine
from ordino.store.change_feed import ChangeFeed, change_feed
from ordino.store.engine import connect_once, display_url, make_engine

log = logging.getLogger("ordino.app.worker")


def _now() -> datetime:
    return datetime.now(UTC)


@click.command("worker")
@database_option
@click.option("--once", is_flag=True, help="Run the jobs due now, then stop.")
@click.option("--poll", default=1.0, show_default=True, help="Seconds between looks when idle.")
@click.option(
    "--lease",
    default=300.0,
    show_default=True,
    help="Seconds a claimed job is this worker's; a job still held past it is taken again.",
)
@click.option(
    "--report-every",
    default=60.0,
    show_default=True,
    help="Seconds between the lines that count the jobs run, by kind.",
)
@click.option("--verbose", "-v", is_flag=True, help="Log each failure's traceback too.")
def worker(
    database_url: str, once: bool, poll: float, lease: float, report_every: float, verbose: bool
) -> None:
    """Run jobs: claimed with a lease, retried with backoff, dead when out of attempts."""
    level = logging.DEBUG if verbose else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(message)s")
    engine = make_engine(database_url)
    uow, capture, feed = worker_parts(engine)
    name = f"{socket.gethostname()}:{os.getpid()}"
    settings = Settings.from_env()  # the server's keys, private receivers, retention
    post = partial(post_json, allow_private=settings.webhook_allow_private)
    outside = Outside(
        post, SandboxGateway(engine), ServerKeys(settings.sealing_keys), SandboxCarrier(engine)
    )
    jobs = handlers(uow, capture, outside, _now)
    runner = Worker(name, uow, _now, jobs, timedelta(seconds=lease))
    connect_once(engine)
    where = display_url(database_url)
    log.info(
        "worker %s started on %s: looks for jobs every %gs, leases %gs", name, where, poll, lease
    )
    tally, pruning = Tally(), _Pruning(uow, settings)
    feed.start()
    try:
        _work(runner, tally, once, poll, report_every, pruning)
        log.info("worker %s stopped: no job is due", name)
    except KeyboardInterrupt:
        if tally.ran:
            log.info(tally.line())
        log.info("worker %s stopped", name)
    finally:
        feed.stop()
        engine.dispose()


def worker_parts(engine: Engine) -> tuple[Callable[[], SqlUnitOfWork], Capture, ChangeFeed]:
    """The worker's units of work, and what it sources with: a picture of stock and
    settings that forgets what this process commits at once, and what the others
    commit (the API changing a profile, a rate card, a product) when the change feed
    tells it, once the feed is started."""
    picture = StockPicture()

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine, on_commit=picture.forget)

    return uow, Capture(RulesEngine(), picture), change_feed(engine, picture.forget)


def _work(
    runner: Worker, tally: Tally, once: bool, poll: float, every: float, pruning: _Pruning
) -> None:
    """Run batches of due jobs; count them in `tally`, and log and clear it every
    `every` seconds; prune a round when idle and due (with `once`: when no job is left
    due, then return)."""
    reported = time.monotonic()
    while True:
        claimed = runner.run_once(tally)
        idle_at_last = once and not claimed
        if tally.ran and (idle_at_last or time.monotonic() - reported >= every):
            log.info(tally.line())
            tally.done.clear()
            tally.failed.clear()
            reported = time.monotonic()
        if not claimed:
            if pruning.due():
                pruning.run()
            if once:
                return
            time.sleep(poll)


class _Pruning:
    """A bounded round of pruning when due: every `ORDINO_PRUNE_SECONDS`, and again
    after the next jobs while rounds stop at their bound (a backlog is worked down
    between jobs, not before them). A failure is logged and tried next time."""

    def __init__(self, uow: Callable[[], SqlUnitOfWork], settings: Settings) -> None:
        self.uow, self.settings = uow, settings
        self.last: float | None = None
        self.more = False

    def due(self) -> bool:
        every = self.settings.prune_seconds
        if every <= 0:
            return False
        return self.more or self.last is None or time.monotonic() - self.last >= every

    def run(self) -> None:
        self.last, self.more = time.monotonic(), False
        try:
            gone = prune(self.uow(), self.settings.retention, _now(), batches=ROUND)
        except Exception:
            log.exception("pruning failed; trying again in %s s", self.settings.prune_seconds)
            return
        self.more = not gone.done
        if gone.events or gone.webhook_deliveries:
            click.echo(
                f"{_now().isoformat(timespec='seconds')} pruned {gone.events} event(s), "
                f"{gone.webhook_deliveries} webhook delivery(ies)",
                err=True,
            )
