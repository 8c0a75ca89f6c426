"""Work a server process does on its own, every so often: the stock signals (which
also enqueue the filling of backorders when stock rose), running due jobs, relaying
the outbox's events, pruning what is past its retention."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from ordino.app.unit_of_work import UnitOfWork
from ordino.events.services.relay import Publisher, relay_all
from ordino.inventory.services.signals import evaluate_all
from ordino.orchestration.services.worker import Worker
from ordino.privacy.services.retention import ROUND, Retention, prune

log = logging.getLogger("ordino.background")


class Every:
    """Runs `work` every `seconds` in a thread of its own until stopped; a failure is
    logged and tried again next time (what it left undone is still there). With
    `again_after`, work that answers True (more is left) runs again that soon."""

    def __init__(
        self,
        seconds: float,
        work: Callable[[], object],
        name: str,
        again_after: float | None = None,
    ) -> None:
        self.seconds = seconds
        self.again_after = again_after
        self._work = work
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        if self.seconds > 0:
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _run(self) -> None:
        wait = self.seconds
        while not self._stopping.wait(wait):
            wait = self.seconds
            try:
                more = self._work()
            except Exception:
                log.exception("%s failed; trying again", self._thread.name)
                continue
            if more is True and self.again_after is not None:
                wait = self.again_after


def signals(
    seconds: float, uow: Callable[[], UnitOfWork], clock: Callable[[], datetime], sqlite: bool
) -> Every:
    # On SQLite, other processes poll stock_changes: leave them a second to see a
    # change before it is evaluated and deleted (PostgreSQL tells them by NOTIFY).
    settle = timedelta(seconds=1) if sqlite else timedelta(0)
    return Every(seconds, lambda: evaluate_all(uow(), clock(), settle), "ordino-signals")


def jobs(seconds: float, worker: Worker) -> Every:
    return Every(seconds, worker.run_until_idle, "ordino-worker")


def relay(
    seconds: float,
    uow: Callable[[], UnitOfWork],
    publisher: Publisher | None,
    clock: Callable[[], datetime],
) -> Every:
    return Every(seconds, lambda: relay_all(uow(), publisher, clock()), "ordino-relay")


def pruning(
    seconds: float,
    uow: Callable[[], UnitOfWork],
    retention: Retention,
    clock: Callable[[], datetime],
) -> Every:
    """A bounded round (one process at a time), and the next a second later while
    rounds stop at their bound."""

    def a_round() -> bool:
        return not prune(uow(), retention, clock(), batches=ROUND).done

    return Every(seconds, a_round, "ordino-prune", again_after=1.0)
