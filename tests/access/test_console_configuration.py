"""The console's record of configuration: an admin sees every change of a rule or
policy with who made it, when, and what differs; other roles do not see it."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from ordino.access.services.users import create_user
from ordino.kernel.domain.roles import Role
from tests.conftest import ADMIN_KEY, Clock

RULE = {"expression": "order.total > 1000.0", "reason": "a large order"}


@pytest.fixture
def console(api: TestClient) -> TestClient:
    """A client with no API key: it signs in as a person does."""
    api.headers.pop("Authorization")
    return api


def _sign_in(client: TestClient, **form: str) -> None:
    page = client.get("/console/sign-in").text
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    form["csrf"] = found.group(1)
    response = client.post("/console/sign-in", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text


def _text(page: str) -> str:
    """The page's words, without tags or extra spaces."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_an_admin_sees_who_changed_what_and_when(console: TestClient, clock: Clock) -> None:
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    assert console.put("/v1/hold-rules/big", json=RULE, headers=headers).status_code == 201
    clock.advance(hours=1)
    disabled = RULE | {"enabled": False}
    assert console.put("/v1/hold-rules/big", json=disabled, headers=headers).status_code == 200
    policy = {"cancel_until": "never"}
    assert console.put("/v1/self-service-policy", json=policy, headers=headers).status_code == 200
    _sign_in(console, password=ADMIN_KEY)

    page = console.get("/console/configuration")
    rules = console.get("/console/configuration?kind=hold_rule&name=big")

    assert page.status_code == 200
    words = _text(page.text)
    assert "Self-service policy default changed (version 1)" in words
    assert "cancel_until release never" in words
    assert "Hold rule big changed (version 2) by key:environment" in words
    assert "enabled true false" in words
    assert "Hold rule big created (version 1) by key:environment" in words
    found = _text(rules.text)
    assert "Self-service policy default" not in found
    assert found.count("Hold rule big") == 2


def test_an_agent_may_not_see_the_record(console: TestClient, clock: Clock) -> None:
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    assert console.put("/v1/hold-rules/big", json=RULE, headers=headers).status_code == 201
    create_user("ada", "correct horse battery", Role.AGENT, console.app.state.uow(), clock())  # type: ignore[attr-defined]
    _sign_in(console, username="ada", password="correct horse battery")

    response = console.get("/console/configuration")

    assert response.status_code == 403
    assert "big" not in _text(response.text)
