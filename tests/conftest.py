"""Shared fixtures: a migrated database per test, on SQLite and (when
ORDINO_TEST_DATABASE_URL is set) on PostgreSQL; an API client with keys per role."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings
from sqlalchemy import Engine, text

from ordino.access.services.keys import create_key
from ordino.app.schema import metadata
from ordino.app.server import create_app
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.config import Settings
from ordino.kernel.domain.roles import Role
from ordino.network.domain.channels import Channel
from ordino.store import migrate
from ordino.store.engine import make_engine, normalise_url

# Fixtures any capability's tests may take: PostgreSQL alone (`pg_url`, `books`, …)
# and the browser (`served`, `page`, …).
pytest_plugins = ["tests.support.postgres", "tests.support.browser"]

# CI replays the same examples every run (a red build is then a change, not luck);
# elsewhere Hypothesis explores anew each time. No deadline: an example's time is
# the machine's load, not the code's correctness (tests never hang on speed).
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("local", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "local")

POSTGRES_URL = os.environ.get("ORDINO_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
ADMIN_KEY = "test-admin-key"
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


# The channels the tests' orders, views, profiles and keys name: a channel is known
# only once configured (ordino.network.domain.channels), so every test database has these.
CHANNELS = ("web", "app", "amazon", "zalando", "store", "shop", "bench")


def configure_channels(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        for name in CHANNELS:
            uow.channels.put(Channel(name), T0)
        uow.commit()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "ordino.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    configure_channels(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    if not POSTGRES_URL:
        pytest.skip("ORDINO_TEST_DATABASE_URL is not set; PostgreSQL tests need it")
    engine = make_engine(POSTGRES_URL, pool_size=40)
    with engine.begin() as connection:  # whatever an earlier version of the schema left
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


def _truncate(engine: Engine) -> None:
    names = ", ".join(table.name for table in metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))  # sequences too


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database; every storage test runs once per backend."""
    if request.param == "sqlite":
        path = tmp_path / "ordino.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    engine = request.getfixturevalue("postgres_engine")
    _truncate(engine)
    configure_channels(engine)
    assert POSTGRES_URL is not None
    return normalise_url(POSTGRES_URL)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def uow(engine: Engine) -> SqlUnitOfWork:
    return SqlUnitOfWork(engine)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def api(database_url: str, clock: Clock) -> Iterator[TestClient]:
    """A client of the whole app, authenticated as admin by default."""
    # No stock signals in the background: tests evaluate them when they mean to.
    settings = Settings(
        database_url=database_url,
        admin_key=ADMIN_KEY,
        signal_seconds=0,
        worker_seconds=0,
        relay_seconds=0,
        webhook_allow_private=True,  # the tests' receivers listen on 127.0.0.1
    )
    app = create_app(settings, clock=clock)
    with TestClient(app, headers={"Authorization": f"Bearer {ADMIN_KEY}"}) as client:
        yield client
    app.state.engine.dispose()


@pytest.fixture
def key_for(api: TestClient, clock: Clock) -> Callable[[Role], str]:
    """A stored API key of the given role."""

    def make(role: Role) -> str:
        return create_key(role, f"test {role}", api.app.state.uow(), clock())  # type: ignore[attr-defined]

    return make
