"""`ordino worker`: runs the jobs Ordino enqueues (ordino.services.work), as many
workers as you like against one database, and prunes what is past its retention
every `ORDINO_PRUNE_SECONDS` (ordino.services.retention), a bounded round at a time
between jobs; `--once` runs what is due, prunes a round, and stops."""

from __future__ import annotations

import logging
import os
import socket
import time
from datetime import UTC, datetime, timedelta
from functools import partial

import click

from ordino.broker.http import post_json
from ordino.cli.options import database_option
from ordino.config import Settings
from ordino.engines.sourcing import RulesEngine
from ordino.gateways.sandbox import SandboxGateway
from ordino.services.orders import Capture
from ordino.services.picture import StockPicture
from ordino.services.retention import ROUND, prune
from ordino.services.server_keys import ServerKeys
from ordino.services.work import Outside, handlers
from ordino.services.worker import Worker
from ordino.store.engine import make_engine
from ordino.store.uow import SqlUnitOfWork

log = logging.getLogger("ordino.worker")


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
def worker(database_url: str, once: bool, poll: float, lease: float) -> None:
    """Run jobs: claimed with a lease, retried with backoff, dead when out of attempts."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    engine = make_engine(database_url)
    picture = StockPicture()

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine, on_commit=picture.forget)

    capture = Capture(RulesEngine(), picture)
    name = f"{socket.gethostname()}:{os.getpid()}"
    settings = Settings.from_env()  # the server's keys, private receivers, retention
    post = partial(post_json, allow_private=settings.webhook_allow_private)
    outside = Outside(post, SandboxGateway(engine), ServerKeys(settings.sealing_keys))
    jobs = handlers(uow, capture, outside, _now)
    runner = Worker(name, uow, _now, jobs, timedelta(seconds=lease))
    pruning = _Pruning(settings)
    try:
        while True:
            ran = runner.run_until_idle()
            if ran:
                click.echo(f"{_now().isoformat(timespec='seconds')} ran {ran} job(s)", err=True)
            if pruning.due():
                pruning.run(uow())
            if once:
                return
            time.sleep(poll)
    except KeyboardInterrupt:
        pass
    finally:
        engine.dispose()


class _Pruning:
    """A bounded round of pruning when due: every `ORDINO_PRUNE_SECONDS`, and again
    after the next jobs while rounds stop at their bound (a backlog is worked down
    between jobs, not before them). A failure is logged and tried next time."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.last: float | None = None
        self.more = False

    def due(self) -> bool:
        every = self.settings.prune_seconds
        if every <= 0:
            return False
        return self.more or self.last is None or time.monotonic() - self.last >= every

    def run(self, uow: SqlUnitOfWork) -> None:
        self.last, self.more = time.monotonic(), False
        try:
            gone = prune(uow, self.settings.retention, _now(), batches=ROUND)
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
