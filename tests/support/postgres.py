"""Fixtures of the tests that run on PostgreSQL only (concurrency, faults, two
processes): a test that takes `pg_url`, `pg_engine`, `pg_uow` or `books` is one, and
is skipped when ORDINO_TEST_DATABASE_URL is not set. Registered by `tests/conftest.py`
for every capability's folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.store.engine import make_engine, normalise_url
from tests.conftest import POSTGRES_URL, Clock, _truncate, configure_channels
from tests.support.money import Books, bench


@pytest.fixture
def pg_url(postgres_engine: Engine) -> str:
    _truncate(postgres_engine)
    configure_channels(postgres_engine)
    assert POSTGRES_URL is not None
    return normalise_url(POSTGRES_URL)


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url, pool_size=40)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_uow(pg_engine: Engine) -> SqlUnitOfWork:
    return SqlUnitOfWork(pg_engine)


@pytest.fixture
def books(pg_url: str, clock: Clock) -> Iterator[Books]:
    """The money bench (`tests.support.money`) on PostgreSQL."""
    with bench(pg_url, clock) as ready:
        yield ready
