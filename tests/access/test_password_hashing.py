"""Password hashing cannot starve the API: a console sign-in verifies its password
on an executor of its own, never on the threads (and database connections) the
API's routes run on. With the hashing executor held up, an API request still
completes. Events, not timings: the hash waits on an event the test sets."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from argon2.exceptions import VerificationError
from fastapi.testclient import TestClient

from ordino.access.services import users
from ordino.app.server import create_app
from ordino.config import Settings
from ordino.kernel.domain.roles import Role
from tests.conftest import ADMIN_KEY, Clock

PASSWORD = "correct horse battery"
PATIENCE = 30.0  # seconds a request may take before the test calls it stuck
QUEUED = (
    8  # sign-ins that may be on or wait for the one hashing thread (ordino.access.pages.hashing)
)


class HeldHasher:
    """Stands for argon2: every verification waits for `release`, and says which
    thread it ran on."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.entered = threading.Semaphore(0)
        self.threads: list[str] = []

    def verify(self, stored: str, password: str) -> bool:
        self.threads.append(threading.current_thread().name)
        self.entered.release()
        self.release.wait(PATIENCE)
        raise VerificationError("held")

    def hash(self, password: str) -> str:
        return "not a real hash"


@pytest.fixture
def one_thread_api(database_url: str, clock: Clock) -> Iterator[TestClient]:
    """The server with one API thread (and connection): a sign-in holding it would
    hold every API request."""
    settings = Settings(
        database_url=database_url,
        admin_key=ADMIN_KEY,
        pool_size=1,
        signal_seconds=0,
        worker_seconds=0,
        relay_seconds=0,
    )
    app = create_app(settings, clock=clock)
    with TestClient(app) as client:
        users.create_user("ada", PASSWORD, Role.AGENT, app.state.uow(), clock())
        yield client
    app.state.engine.dispose()


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldHasher]:
    hasher = HeldHasher()
    monkeypatch.setattr(users, "_hasher", hasher)
    yield hasher
    hasher.release.set()


def _signing_in(client: TestClient, results: list[int], username: str = "ada") -> threading.Thread:
    page = client.get("/console/sign-in")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None
    form = {"username": username, "password": "a guess", "csrf": token.group(1)}

    def post() -> None:
        results.append(client.post("/console/sign-in", data=form).status_code)

    thread = threading.Thread(target=post, daemon=True)
    thread.start()
    return thread


def test_an_api_request_completes_while_sign_ins_hold_the_hashing_executor(
    one_thread_api: TestClient, held: HeldHasher
) -> None:
    signing: list[int] = []
    threads = [_signing_in(one_thread_api, signing) for _ in range(3)]
    assert held.entered.acquire(timeout=PATIENCE), "no sign-in reached the hash"

    answered: list[Any] = []
    api = threading.Thread(
        target=lambda: answered.append(
            one_thread_api.get("/v1/orders", headers={"Authorization": f"Bearer {ADMIN_KEY}"})
        ),
        daemon=True,
    )
    api.start()
    api.join(PATIENCE)
    completed = not api.is_alive()
    held.release.set()
    for thread in threads:
        thread.join(PATIENCE)

    assert completed, "the API request waited for the password hashing"
    assert answered[0].status_code == 200
    assert signing == [401, 401, 401]


def test_passwords_are_verified_on_the_hashing_executors_thread(
    one_thread_api: TestClient, held: HeldHasher
) -> None:
    held.release.set()
    page = one_thread_api.get("/console/sign-in")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None

    response = one_thread_api.post(
        "/console/sign-in", data={"username": "ada", "password": "x", "csrf": token.group(1)}
    )

    assert response.status_code == 401
    assert [name.rsplit("_", 1)[0] for name in held.threads] == ["ordino-passwords"]


def test_sign_ins_past_what_the_hasher_can_queue_are_turned_away_at_once(
    one_thread_api: TestClient, held: HeldHasher
) -> None:
    """A flood from many addresses (each under its limits) would otherwise queue
    without bound for the one hashing thread: every request held open, and a
    person's sign-in waiting behind all of them."""
    app = one_thread_api.app
    statuses: list[int] = []
    threads = [
        _signing_in(TestClient(app, client=(f"198.51.100.{n}", 5000)), statuses, f"user{n}")
        for n in range(QUEUED)
    ]
    _until(lambda: app.state.hashing.waiting == QUEUED)  # type: ignore[attr-defined]

    client = TestClient(app, client=("203.0.113.9", 5000))
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/console/sign-in").text)
    assert token is not None
    form = {"username": "ada", "password": PASSWORD, "csrf": token.group(1)}
    answered: list[Any] = []
    turned_away = threading.Thread(
        target=lambda: answered.append(client.post("/console/sign-in", data=form)), daemon=True
    )
    turned_away.start()
    turned_away.join(PATIENCE)  # answered while the hash is still held, or never
    at_once = not turned_away.is_alive()
    held.release.set()
    for thread in threads:
        thread.join(PATIENCE)

    assert at_once, "the sign-in queued behind the flood"
    busy = answered[0]
    assert busy.status_code == 503
    assert busy.headers["retry-after"] == "1"
    assert "Too many people are signing in right now" in busy.text
    assert statuses == [401] * QUEUED


def _until(condition: Any) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, "never came to pass"
        time.sleep(0.01)
