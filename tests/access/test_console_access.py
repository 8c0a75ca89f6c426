"""The console's access page, an admin's: every user and key with their open
sessions; an admin ends a person's sessions, disables a user, revokes a key, and
each takes effect at once. No one else sees the page or can do any of it."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from ordino.access.services.keys import NewKey, issue_key
from ordino.access.services.users import create_user
from ordino.kernel.domain.roles import Role
from tests.access.test_console_forms import _sign_in
from tests.conftest import ADMIN_KEY, Clock
from tests.support.builders import a_location_body

PASSWORD = "correct horse battery"


@pytest.fixture
def console(api: TestClient, clock: Clock) -> TestClient:
    """Users ada (agent) and sam (store at DC-BER) and a channel key `shop`; a client
    that signs in as a person does."""
    assert api.put("/v1/locations/DC-BER", json=a_location_body()).status_code == 201
    uow = api.app.state.uow  # type: ignore[attr-defined]
    create_user("ada", PASSWORD, Role.AGENT, uow(), clock())
    create_user("sam", PASSWORD, Role.STORE, uow(), clock(), "DC-BER")
    api.headers.pop("Authorization")
    return api


def _key(client: TestClient, clock: Clock) -> dict[str, str]:
    uow = client.app.state.uow  # type: ignore[attr-defined]
    found: dict[str, str] = issue_key(NewKey(Role.CHANNEL, "shop", "web"), uow(), clock(), "test")
    return found


def _row(page: str, name: str) -> str:
    found = re.search(rf"<tr[^>]*>\s*<td>{re.escape(name)}</td>.*?</tr>", page, re.S)
    assert found is not None, f"no row for {name}"
    return found.group(0)


def test_an_admin_sees_every_user_and_key_and_ends_a_users_sessions(
    console: TestClient, clock: Clock
) -> None:
    key = _key(console, clock)
    ada = TestClient(console.app)
    _sign_in(ada, username="ada", password=PASSWORD)
    by_key = TestClient(console.app)
    _sign_in(by_key, password=key["key"])
    csrf = _sign_in(console, password=ADMIN_KEY)

    page = console.get("/console/access")
    ended = console.post("/console/access/users/ada/end-sessions", data={"csrf": csrf})
    ada_after = ada.get("/console/orders", follow_redirects=False)
    after = console.get("/console/access").text

    assert page.status_code == 200
    assert re.findall(r'<td class="num">(\d+)</td>', _row(page.text, "ada")) == ["1"]
    assert re.findall(r'<td class="num">(\d+)</td>', _row(page.text, "sam")) == ["0"]
    assert "shop" in _row(page.text, key["id"]) and "channel web" in _row(page.text, key["id"])
    assert key["key"] not in page.text
    assert ended.status_code == 200 and "Done." in ended.text
    assert ada_after.status_code == 303
    assert ada_after.headers["location"].startswith("/console/sign-in")
    assert re.findall(r'<td class="num">(\d+)</td>', _row(after, "ada")) == ["0"]
    assert by_key.get("/console/orders", follow_redirects=False).status_code == 200


def test_an_admin_disables_a_user_and_revokes_a_key_from_the_console(
    console: TestClient, clock: Clock
) -> None:
    key = _key(console, clock)
    sam = TestClient(console.app)
    _sign_in(sam, username="sam", password=PASSWORD)
    by_key = TestClient(console.app)
    _sign_in(by_key, password=key["key"])
    csrf = _sign_in(console, password=ADMIN_KEY)

    disabled = console.post("/console/access/users/sam/disable", data={"csrf": csrf})
    revoked = console.post(f"/console/access/keys/{key['id']}/revoke", data={"csrf": csrf})
    unknown = console.post("/console/access/keys/NO-SUCH-KEY/revoke", data={"csrf": csrf})
    page = console.get("/console/access").text

    assert (disabled.status_code, revoked.status_code) == (200, 200)
    assert unknown.status_code == 404 and "no key &#39;NO-SUCH-KEY&#39;" in unknown.text
    assert sam.get("/console/orders", follow_redirects=False).status_code == 303
    assert by_key.get("/console/orders", follow_redirects=False).status_code == 303
    api = console.get("/v1/orders", headers={"Authorization": f"Bearer {key['key']}"})
    assert api.status_code == 401
    assert "Disabled" in _row(page, "sam") and "Revoked" in _row(page, key["id"])
    again = TestClient(console.app)
    token = re.search(r'name="csrf" value="([^"]+)"', again.get("/console/sign-in").text)
    assert token is not None
    form = {"username": "sam", "password": PASSWORD, "csrf": token.group(1)}
    assert again.post("/console/sign-in", data=form).status_code == 401
    changes = console.get(
        "/v1/configuration-changes",
        params={"kind": "api_key", "name": key["id"]},
        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
    ).json()["items"]
    assert [(c["action"], c["by"]) for c in changes] == [
        ("changed", "key:environment"),
        ("created", "test"),
    ]


@pytest.mark.parametrize("username", ["ada", "sam"])
def test_no_one_but_an_admin_sees_the_page_or_acts_on_it(
    console: TestClient, clock: Clock, username: str
) -> None:
    key = _key(console, clock)
    other = TestClient(console.app)
    _sign_in(other, username="ada" if username == "sam" else "sam", password=PASSWORD)
    csrf = _sign_in(console, username=username, password=PASSWORD)

    page = console.get("/console/access")
    actions = [
        console.post(path, data={"csrf": csrf})
        for path in (
            "/console/access/users/ada/end-sessions",
            "/console/access/users/sam/end-sessions",
            "/console/access/users/sam/disable",
            f"/console/access/keys/{key['id']}/revoke",
        )
    ]

    assert page.status_code == 403
    assert [a.status_code for a in actions] == [403] * 4
    assert other.get("/console/orders", follow_redirects=False).status_code == 200
    api = console.get("/v1/orders", headers={"Authorization": f"Bearer {key['key']}"})
    assert api.status_code == 200
