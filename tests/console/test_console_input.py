"""The console's searches hold to the API's rules: a channel they name is a known
one, a page's cursor is one a page gave; anything else is named on the page."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ADMIN_KEY


@pytest.fixture
def console(api: TestClient) -> TestClient:
    api.headers.pop("Authorization")
    token = re.search(r'name="csrf" value="([^"]+)"', api.get("/console/sign-in").text)
    assert token is not None
    form = {"csrf": token.group(1), "password": ADMIN_KEY}
    assert api.post("/console/sign-in", data=form, follow_redirects=False).status_code == 303
    return api


@pytest.mark.parametrize(
    ("search", "field"), [("channel=telesales", "channel"), ("before=zzz", "before")]
)
def test_an_order_search_names_an_unknown_channel_or_a_bad_cursor(
    console: TestClient, search: str, field: str
) -> None:
    response = console.get(f"/console/orders?{search}")

    assert response.status_code == 422
    assert f"Check these fields: {field}</p>" in response.text


def test_the_dashboard_names_an_unknown_channel(console: TestClient) -> None:
    page = console.get("/console/dashboard?channel=telesales")
    csv = console.get("/console/dashboard.csv?channel=telesales")

    assert (page.status_code, csv.status_code) == (422, 422)
    assert "no channel &#39;telesales&#39;" in page.text
