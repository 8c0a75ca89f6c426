"""Console sessions end on the server: a cookie copied before signing out opens no
page and does nothing afterwards, whether the session was a user's or a key's."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ordino.access.services.users import create_user, set_password
from ordino.kernel.domain.roles import Role
from tests.access.test_console_forms import _as_admin, _sign_in
from tests.conftest import ADMIN_KEY, Clock
from tests.support.api import network, order_of, place, stock

PASSWORD = "correct horse battery"


@pytest.fixture
def console(api: TestClient) -> TestClient:
    """A client with no API key (it signs in as a person does), over DC-BER with 10
    of SKU-1."""
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    api.headers.pop("Authorization")
    return api


def _signed_in(client: TestClient, clock: Clock, how: str) -> str:
    """Sign `client` in as an agent user or with the admin key; the session's CSRF token."""
    if how == "user":
        create_user("ada", PASSWORD, Role.AGENT, client.app.state.uow(), clock())  # type: ignore[attr-defined]
        return _sign_in(client, username="ada", password=PASSWORD)
    return _sign_in(client, password=ADMIN_KEY)


@pytest.mark.parametrize("how", ["user", "key"])
def test_a_cookie_copied_before_signing_out_works_no_more(
    console: TestClient, clock: Clock, how: str
) -> None:
    order = place(_as_admin(console), ("SKU-1", 3))
    console.headers.pop("Authorization")
    csrf = _signed_in(console, clock, how)
    copied = dict(console.cookies)
    assert console.get("/console/orders", follow_redirects=False).status_code == 200

    signed_out = console.post("/console/sign-out", data={"csrf": csrf}, follow_redirects=False)
    thief = TestClient(console.app, cookies=copied)
    page = thief.get("/console/orders", follow_redirects=False)
    form = {"csrf": csrf, "cancel-1": "1"}
    action = thief.post(
        f"/console/orders/{order['id']}/cancellations", data=form, follow_redirects=False
    )

    assert signed_out.status_code == 303
    assert page.status_code == 303
    assert page.headers["location"].startswith("/console/sign-in")
    assert action.status_code == 303
    assert order_of(_as_admin(console), order["id"])["lines"][0]["cancelled"] == 0


def test_a_new_password_ends_the_sessions_signed_in_with_the_old_one(
    console: TestClient, clock: Clock
) -> None:
    _signed_in(console, clock, "user")
    other = TestClient(console.app)
    _signed_in(other, clock, "key")

    set_password("ada", "another good password", console.app.state.uow(), clock(), "test")  # type: ignore[attr-defined]

    assert console.get("/console/orders", follow_redirects=False).status_code == 303
    assert other.get("/console/orders", follow_redirects=False).status_code == 200
