"""Change feeds: how a process hears what other processes committed, so that its
picture of stock forgets it (`ordino.inventory.services.stock_cache`), and its cache of API keys
a key revoked (`ordino.http.security`).

  * PostgreSQL: every commit that changes stock sends `NOTIFY ordino_changes` with
    what it changed (in the same statement as its writes; delivered at commit). A
    thread of each process LISTENs on a connection of its own: the delay is the
    notification's trip, typically well under a millisecond on one machine.
  * SQLite: a thread polls `stock_changes` for rows past the last one seen, every
    `POLL_SECONDS`. SQLite writers take turns, so rows appear in commit order; a gap
    means rows were deleted unseen, and the picture forgets everything.

A feed that loses its connection forgets everything when it is back: it may have
missed changes meanwhile.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Protocol

import psycopg
from sqlalchemy import Engine, func, select

from ordino.kernel.domain.changes import EVERYTHING, Change
from ordino.store.commit_writer import CHANNEL
from ordino.store.tables import stock_changes

log = logging.getLogger("ordino.listen")

POLL_SECONDS = 0.1
RECONNECT_SECONDS = 1.0
WAIT_SECONDS = 0.05

Forget = Callable[[Change], None]


class ChangeFeed(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...


def change_feed(engine: Engine, forget: Forget) -> ChangeFeed:
    if engine.dialect.name == "postgresql":
        return PostgresListener(engine, forget)
    return SqlitePoller(engine, forget)


def change_of(payload: str) -> Change:
    """A NOTIFY payload (`ordino.store.commit_writer.notice`) as a change."""
    try:
        document = json.loads(payload)
    except ValueError:
        return EVERYTHING
    if document.get("all"):
        return EVERYTHING
    return Change(
        frozenset(document.get("s", ())),
        bool(document.get("n")),
        bool(document.get("v")),
        access=bool(document.get("a")),
        products=frozenset(document.get("p", ())),
    )


class _Thread:
    def __init__(self, name: str) -> None:
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        raise NotImplementedError


class PostgresListener(_Thread):
    def __init__(self, engine: Engine, forget: Forget) -> None:
        super().__init__("ordino-listen")
        url = engine.url.set(drivername="postgresql")
        self._conninfo = url.render_as_string(hide_password=False)
        self._forget = forget
        self.listening = threading.Event()  # set once LISTEN is in place

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._listen()
            except psycopg.Error as error:
                self.listening.clear()
                log.warning("change feed lost its connection (%s); reconnecting", error)
                self._stopping.wait(RECONNECT_SECONDS)

    def _listen(self) -> None:
        with psycopg.connect(self._conninfo, autocommit=True) as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            self._forget(EVERYTHING)  # whatever happened before we listened
            self.listening.set()
            while not self._stopping.is_set():
                # A short wait, so that stopping (each test's app) takes no longer.
                for notification in connection.notifies(timeout=WAIT_SECONDS):
                    self._forget(change_of(notification.payload))


class SqlitePoller(_Thread):
    def __init__(self, engine: Engine, forget: Forget) -> None:
        super().__init__("ordino-poll")
        self._engine = engine
        self._forget = forget
        self._last: int | None = None

    def _run(self) -> None:
        while not self._stopping.wait(POLL_SECONDS):
            try:
                self.poll()
            except Exception:  # a locked or missing database: try again next time
                log.exception("change feed could not poll")

    def poll(self) -> None:
        with self._engine.connect() as connection:
            if self._last is None:
                self._last = connection.scalar(select(func.max(stock_changes.c.seq))) or 0
                return
            rows = connection.execute(
                select(stock_changes.c.seq, stock_changes.c.kind, stock_changes.c.sku)
                .where(stock_changes.c.seq > self._last)
                .order_by(stock_changes.c.seq)
            ).all()
        if not rows:
            return
        if rows[0].seq != self._last + 1:  # deleted before we saw them
            self._forget(EVERYTHING)
        else:
            kinds = {row.kind for row in rows}
            skus = frozenset(row.sku for row in rows if row.sku is not None)
            products = frozenset(row.sku for row in rows if row.kind == "product")
            changed = Change(
                skus,
                "network" in kinds,
                "views" in kinds,
                access="access" in kinds,
                products=products,
            )
            self._forget(changed)
        self._last = rows[-1].seq
