"""The change feed: another process's commits reach this process's picture. On SQLite
through `stock_changes`, read in commit order (rows deleted unseen make it forget
all); on PostgreSQL through NOTIFY, sent in the commit's statement (a server's whole
trip: tests/inventory/test_cache_across_processes.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from ordino.access.services.keys import NewKey, issue_key, revoke_key
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Count
from ordino.inventory.services.availability import put_postal_codes
from ordino.inventory.services.stock import count_stock
from ordino.kernel.domain.changes import EVERYTHING, Change
from ordino.kernel.domain.geo import Point, PostalCode
from ordino.kernel.domain.roles import Role
from ordino.store.change_feed import PostgresListener, SqlitePoller
from ordino.store.engine import make_engine
from ordino.store.tables import stock_changes
from tests.conftest import Clock
from tests.support.builders import a_source
from tests.support.storage import rows, with_stock


@pytest.fixture
def other_process(database_url: str) -> Iterator[Engine]:
    if not database_url.startswith("sqlite"):
        pytest.skip("the SQLite change feed; PostgreSQL's is NOTIFY")
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def other_postgres_process(database_url: str) -> Iterator[Engine]:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's change feed: NOTIFY")
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


PATIENCE = 10.0  # seconds: far above a notification's trip, so a slow machine passes too


def _hear(heard: list[Change], count: int) -> list[Change]:
    deadline = time.monotonic() + PATIENCE
    while len(heard) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    return heard


def test_the_listener_hears_what_another_process_changed(
    engine: Engine, other_postgres_process: Engine, clock: Clock
) -> None:
    """What a commit changed reaches the listener as that, not as "everything": a
    picture forgetting all on every commit would be no picture."""
    theirs = SqlUnitOfWork(other_postgres_process)
    with_stock(theirs, clock(), {("DC-BER", "SKU-1"): 5})
    heard: list[Change] = []
    listener = PostgresListener(engine, heard.append)
    listener.start()
    try:
        assert listener.listening.wait(PATIENCE)
        count_stock([Count("DC-BER", "SKU-1", 7)], None, a_source(clock.advance(minutes=1)), theirs)
        _hear(heard, 2)
    finally:
        listener.stop()

    assert heard == [EVERYTHING, Change(frozenset({"SKU-1"}))]  # on listening, then the count


def test_the_poller_hears_each_commit_of_another_process(
    engine: Engine, other_process: Engine, clock: Clock
) -> None:
    heard: list[Change] = []
    poller = SqlitePoller(engine, heard.append)
    poller.poll()  # starts from what is there
    theirs = SqlUnitOfWork(other_process)

    with_stock(theirs, clock(), {("DC-BER", "SKU-1"): 5})
    poller.poll()
    count_stock([Count("DC-BER", "SKU-1", 7)], None, a_source(clock.advance(minutes=1)), theirs)
    poller.poll()
    poller.poll()  # nothing new

    assert heard == [
        Change(frozenset({"SKU-1"}), network=True, products=frozenset({"SKU-1"})),
        Change(frozenset({"SKU-1"})),  # its stock: the product is as it was
    ]


def test_the_poller_hears_postal_codes_put_by_another_process(
    engine: Engine, other_process: Engine
) -> None:
    """Postal codes are where "near me" is: a picture that never heard of new ones
    would answer with the old points."""
    heard: list[Change] = []
    poller = SqlitePoller(engine, heard.append)
    poller.poll()

    put_postal_codes(
        [PostalCode("DE", "20095", Point(53.55, 10.00), "Hamburg")], SqlUnitOfWork(other_process)
    )
    poller.poll()

    assert heard == [Change(network=True)]
    assert [
        (r["kind"], r["sku"], r["down"], r["up"], r["location_id"])
        for r in rows(engine, stock_changes)
    ][-1:] == [
        ("network", None, 0, True, None)  # of postal codes: no location
    ]


def test_the_poller_hears_a_key_revoked_by_another_process(
    engine: Engine, other_process: Engine, clock: Clock
) -> None:
    """Every process's cache of keys must forget a revoked one (SQLite: by this row)."""
    theirs = SqlUnitOfWork(other_process)
    key = issue_key(NewKey(Role.CHANNEL, "shop"), theirs, clock(), "test")
    heard: list[Change] = []
    poller = SqlitePoller(engine, heard.append)
    poller.poll()

    revoke_key(key["id"], theirs, clock(), "test")
    poller.poll()

    assert heard == [Change(access=True)]


def test_changes_deleted_before_they_were_seen_forget_everything(
    engine: Engine, other_process: Engine, clock: Clock
) -> None:
    heard: list[Change] = []
    poller = SqlitePoller(engine, heard.append)
    poller.poll()
    with_stock(SqlUnitOfWork(other_process), clock(), {("DC-BER", "SKU-1"): 5})
    count_stock(
        [Count("DC-BER", "SKU-1", 7)],
        None,
        a_source(clock.advance(minutes=1)),
        SqlUnitOfWork(other_process),
    )
    with other_process.begin() as connection:
        connection.execute(text("DELETE FROM stock_changes WHERE kind = 'network'"))

    poller.poll()

    assert heard == [EVERYTHING]
