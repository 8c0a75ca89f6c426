"""A NUL character (which PostgreSQL can neither store nor compare) anywhere in what
a page is sent — the customer's form, the console's searches, a note, a reason, the
path — is refused with a page that names the field, on SQLite and PostgreSQL alike,
and changes nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ADMIN_KEY
from tests.support.api import network, order_of, place, stock


@pytest.fixture
def pages(api: TestClient) -> TestClient:
    """A client with no API key, and Ada's order W-1 in the store."""
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    place(api, ("SKU-1", 3), external_id="W-1")
    api.headers.pop("Authorization")
    return api


def _csrf(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def _signed_in(client: TestClient) -> str:
    form = {"csrf": _csrf(client, "/console/sign-in"), "password": ADMIN_KEY}
    assert client.post("/console/sign-in", data=form, follow_redirects=False).status_code == 303
    return _csrf(client, "/console/orders")


def _order_id(client: TestClient) -> str:
    client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
    found = client.get("/v1/orders").json()["items"]
    client.headers.pop("Authorization")
    return str(found[0]["id"])


def _refused_naming(response: object, field: str) -> None:
    assert response.status_code == 422, response.text  # type: ignore[attr-defined]
    text = response.text  # type: ignore[attr-defined]
    assert "nothing was changed" in text.lower()
    assert f"<strong>{field}</strong>" in text


@pytest.mark.parametrize(
    ("field", "label"), [("number", "Order number"), ("email", "E-mail address")]
)
def test_the_customers_form_refuses_a_nul_naming_the_field(
    pages: TestClient, field: str, label: str
) -> None:
    form = {"csrf": _csrf(pages, "/my-order"), "number": "W-1", "email": "ada@example.com"}
    form[field] = form[field] + "\x00"

    response = pages.post("/my-order", data=form, follow_redirects=False)

    _refused_naming(response, label)  # as the form labels it
    assert "Find your order" in response.text  # the customer's page, not the console's


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/console/orders", "email"),
        ("/console/orders", "channel"),
        ("/console/orders", "location"),
        ("/console/orders", "number"),
        ("/console/orders", "status"),
        ("/console/orders", "before"),
        ("/console/inventory", "sku"),
        ("/console/store", "location"),
        ("/console/dashboard", "channel"),
    ],
)
def test_a_console_search_refuses_a_nul_naming_the_field(
    pages: TestClient, path: str, field: str
) -> None:
    _signed_in(pages)

    response = pages.get(path, params={field: "W\x00"}, follow_redirects=False)

    _refused_naming(response, field)


def test_a_note_with_a_nul_is_refused_and_not_added(pages: TestClient) -> None:
    order_id = _order_id(pages)
    csrf = _signed_in(pages)

    response = pages.post(
        f"/console/orders/{order_id}/notes", data={"csrf": csrf, "note": "call\x00her"}
    )

    _refused_naming(response, "note")
    pages.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
    timeline = pages.get(f"/v1/orders/{order_id}/timeline").json()["items"]
    assert [event["type"] for event in timeline] == ["order.created"]


def test_a_cancellation_with_a_nul_in_its_reason_cancels_nothing(pages: TestClient) -> None:
    order_id = _order_id(pages)
    csrf = _signed_in(pages)

    form = {"csrf": csrf, "cancel-1": "1", "reason": "asked\x00"}
    response = pages.post(f"/console/orders/{order_id}/cancellations", data=form)

    _refused_naming(response, "reason")
    pages.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
    assert order_of(pages, order_id)["lines"][0]["cancelled"] == 0


def test_a_nul_in_a_pages_path_is_refused(pages: TestClient) -> None:
    _signed_in(pages)

    response = pages.get("/console/orders/W%001")

    _refused_naming(response, "order_id")


def test_a_nul_in_a_multipart_form_is_found_as_well(pages: TestClient) -> None:
    form = {"csrf": _csrf(pages, "/my-order"), "number": "W-1", "email": "ada@example.com\x00"}

    response = pages.post(
        "/my-order", data=form, files={"none": ("none.txt", b"")}, follow_redirects=False
    )

    _refused_naming(response, "E-mail address")


def _multipart(parts: list[tuple[str, str, bytes]], charset: str | None = None) -> dict[str, Any]:
    """A multipart body of (name, filename, content) parts, its header naming `charset`."""
    boundary = "b0undary"
    body = b""
    for name, filename, content in parts:
        file = f'; filename="{filename}"' if filename else ""
        disposition = f'Content-Disposition: form-data; name="{name}"{file}'
        body += f"--{boundary}\r\n{disposition}\r\n\r\n".encode()
        body += content + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    kind = f"multipart/form-data; boundary={boundary}" + (f"; charset={charset}" if charset else "")
    return {"content": body, "headers": {"content-type": kind}}


def test_a_nul_in_a_multipart_form_in_utf_7_is_found(pages: TestClient) -> None:
    csrf = _csrf(pages, "/my-order").encode()
    parts = [("csrf", "", csrf), ("number", "", b"W-1"), ("email", "", b"ada@example.com+AAA-")]

    response = pages.post("/my-order", **_multipart(parts, "utf-7"), follow_redirects=False)

    _refused_naming(response, "E-mail address")


def test_a_nul_in_a_form_field_after_a_decoy_part_is_found(pages: TestClient) -> None:
    csrf = _csrf(pages, "/my-order").encode()
    parts = [
        ("decoy", "decoy.txt", b"%00 \x00"),
        ("csrf", "", csrf),
        ("number", "", b"W-1"),
        ("email", "", b"ada@example.com+AAA-"),
    ]

    response = pages.post("/my-order", **_multipart(parts, "utf-7"), follow_redirects=False)

    _refused_naming(response, "E-mail address")


def test_a_nul_in_a_form_named_in_capitals_is_found(pages: TestClient) -> None:
    csrf = _csrf(pages, "/my-order").encode()
    body = _multipart([("csrf", "", csrf), ("number", "", b"W-1"), ("email", "", b"a@b.de+AAA-")])
    body["headers"]["content-type"] = (
        body["headers"]["content-type"].replace("multipart/form-data", " Multipart/Form-Data")
        + "; charset=utf-7"
    )

    response = pages.post("/my-order", **body, follow_redirects=False)

    _refused_naming(response, "E-mail address")
