"""A real browser on the real pages: Ordino served by uvicorn in a thread (on
SQLite: the storage tests cover PostgreSQL) and Debian's chromium driven by
Playwright (no browser download). A test that takes `page` is a browser test; when
it fails it leaves a screenshot in `test-results/`; with ORDINO_SCREENSHOTS=<dir>,
tests save the pages they show there (docs/screenshots is made so). Registered by
`tests/conftest.py` for every capability's folder."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
import uvicorn
from fastapi import FastAPI

from ordino.app.job_handlers import handlers
from ordino.app.server import create_app
from ordino.config import Settings
from ordino.orchestration.services.worker import Worker
from tests.conftest import ADMIN_KEY, Clock

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CHROMIUM = os.environ.get("ORDINO_TEST_CHROMIUM", "/usr/bin/chromium")
FAILURES = Path("test-results")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if "page" in getattr(item, "fixturenames", ()):  # `page` reads it: a failure's screenshot
        setattr(item, f"report_{report.when}", report)
    return report


class Served:
    """The app being served, and where; its API (as admin) and its worker, for a
    test to set the scene with."""

    def __init__(self, app: FastAPI, url: str, clock: Clock) -> None:
        self.app, self.url, self.clock = app, url, clock
        self.api = httpx2.Client(base_url=url, headers={"Authorization": f"Bearer {ADMIN_KEY}"})

    @property
    def uow(self) -> Any:
        return self.app.state.uow

    def work(self) -> None:
        """The worker runs what is due (advances of orders, releases, captures)."""
        state = self.app.state
        outside = state.outside
        Worker(
            "test", state.uow, self.clock, handlers(state.uow, state.capture, outside, self.clock)
        ).run_until_idle()


@pytest.fixture
def served(tmp_path: Path, sqlite_template: Path, clock: Clock) -> Iterator[Served]:
    path = tmp_path / "ordino.db"
    shutil.copy(sqlite_template, path)
    settings = Settings(
        database_url=f"sqlite:///{path}",
        admin_key=ADMIN_KEY,
        signal_seconds=0,
        worker_seconds=0,
        relay_seconds=0,
        webhook_allow_private=True,  # the tests' receivers listen on 127.0.0.1
    )
    app = create_app(settings, clock=clock)
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started, "the server did not start"
    served = Served(app, f"http://127.0.0.1:{listening.getsockname()[1]}", clock)
    yield served
    served.api.close()
    server.should_exit = True
    thread.join(10)


# One browser per module, not per session: while Playwright's synchronous API is open
# it keeps an event loop running in the main thread, and a test of another module
# that runs one of its own (`asyncio.run`) would fail after the first page test.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no chromium at {CHROMIUM} (ORDINO_TEST_CHROMIUM); .ci/run installs it")
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 (only with a browser)

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page in a fresh context (its own cookies), English unless a test asks."""
    marker = request.node.get_closest_marker("browser_locale")
    locale = marker.args[0] if marker else "en-GB"
    context = browser.new_context(locale=locale, viewport=DESKTOP)
    opened = context.new_page()
    yield opened
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        FAILURES.mkdir(exist_ok=True)
        opened.screenshot(path=FAILURES / f"{request.node.name}.png", full_page=True)
    context.close()


def overflow(page: Any) -> int:
    """How far the page is wider than its window (0: no sideways scrolling)."""
    width: int = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    return max(width, 0)


def document(page: Any, name: str) -> None:
    """Save the page as docs show it, when asked to (ORDINO_SCREENSHOTS)."""
    folder = os.environ.get("ORDINO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(folder) / f"{name}.png", full_page=True)
