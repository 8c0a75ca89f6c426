"""The session cookie is `Secure` whenever the console is served over TLS: when the
request came over https (directly, or through a proxy that says so in
X-Forwarded-Proto and that uvicorn trusts, FORWARDED_ALLOW_IPS), or always with
ORDINO_SECURE_COOKIES. Over plain http (a local demo) it cannot be: the browser
would not send it back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from ordino.app.server import create_app
from ordino.config import Settings
from tests.conftest import ADMIN_KEY, Clock


def _app(database_url: str, clock: Clock, **settings: Any) -> Any:
    given = Settings(database_url=database_url, admin_key=ADMIN_KEY, signal_seconds=0, **settings)
    return create_app(given, clock=clock)


@pytest.fixture
def apps(database_url: str, clock: Clock) -> Iterator[list[Any]]:
    made: list[Any] = []
    yield made
    for app in made:
        app.state.engine.dispose()


def _session_cookie(client: TestClient) -> str:
    """The Set-Cookie of the session the sign-in page starts (it holds the form's
    CSRF token)."""
    response = client.get("/console/sign-in")
    assert response.status_code == 200, response.text
    [cookie] = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    return cookie.lower()


def test_over_https_the_cookie_is_secure(database_url: str, clock: Clock, apps: list[Any]) -> None:
    apps.append(_app(database_url, clock))

    cookie = _session_cookie(TestClient(apps[0], base_url="https://ordino.example"))

    assert "; secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_behind_a_trusted_proxy_that_terminates_tls_the_cookie_is_secure(
    database_url: str, clock: Clock, apps: list[Any]
) -> None:
    apps.append(_app(database_url, clock))
    proxied = ProxyHeadersMiddleware(apps[0], trusted_hosts="*")  # what uvicorn runs

    cookie = _session_cookie(TestClient(proxied, headers={"X-Forwarded-Proto": "https"}))

    assert "; secure" in cookie


def test_with_the_setting_the_cookie_is_secure_even_over_http(
    database_url: str, clock: Clock, apps: list[Any]
) -> None:
    apps.append(_app(database_url, clock, secure_cookies=True))
    apps.append(_app(database_url, clock))

    forced = _session_cookie(TestClient(apps[0]))
    plain = _session_cookie(TestClient(apps[1]))

    assert "; secure" in forced
    assert "; secure" not in plain
