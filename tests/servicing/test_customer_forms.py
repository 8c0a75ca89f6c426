"""The customer's page over HTTP, on SQLite and PostgreSQL: every bad input is
refused clearly and changes nothing — a wrong e-mail or another customer's order
(one and the same answer), an expired or altered link, a form without its CSRF
token, a cancellation of nothing, an address that cannot be served."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Clock
from tests.support.api import network, order_of, place, stock


@pytest.fixture
def customer(api: TestClient) -> TestClient:
    """A client with no key (the page is public) and Ada's order W-1 in the store."""
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    place(api, ("SKU-1", 3), external_id="W-1")
    place(api, ("SKU-1", 1), external_id="W-2", customer={"email": "bob@example.com"})
    api.headers.pop("Authorization")
    return api


def _csrf(client: TestClient, path: str = "/my-order") -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def _open(client: TestClient, number: str = "W-1", email: str = "ada@example.com") -> str:
    """Look the order up; the link's path it redirects to."""
    form = {"csrf": _csrf(client), "number": number, "email": email}
    response = client.post("/my-order", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def _admin(client: TestClient) -> TestClient:
    client.headers["Authorization"] = "Bearer test-admin-key"
    return client


def test_a_wrong_email_and_another_customers_order_get_one_answer(customer: TestClient) -> None:
    wrong_email = customer.post(
        "/my-order", data={"csrf": _csrf(customer), "number": "W-1", "email": "eve@example.com"}
    )
    others = customer.post(
        "/my-order", data={"csrf": _csrf(customer), "number": "W-2", "email": "ada@example.com"}
    )

    assert wrong_email.status_code == others.status_code == 404
    message = "We found no order with this number and e-mail address."
    assert message in wrong_email.text and message in others.text
    assert "W-2" not in others.text.replace('value="W-2"', "")


def test_an_expired_link_and_an_altered_one_are_refused(customer: TestClient, clock: Clock) -> None:
    link = _open(customer)
    altered = customer.get(link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB"))
    clock.advance(days=31)  # the default policy's links live 30 days
    expired = customer.get(link)

    assert (altered.status_code, expired.status_code) == (403, 403)
    assert "The link is not valid." in altered.text
    assert "The link has expired." in expired.text


def test_a_cancellation_without_its_csrf_token_changes_nothing(customer: TestClient) -> None:
    link = _open(customer)

    response = customer.post(f"{link}/cancel", data={"cancel-1": "1"})

    assert response.status_code == 403
    assert "The form expired" in response.text and "console" not in response.text.lower()
    [found] = _admin(customer).get("/v1/orders?customer_email=ada@example.com").json()["items"]
    assert found["lines"][0]["cancelled"] == 0


def test_cancelling_nothing_is_refused_and_cancelling_items_works(customer: TestClient) -> None:
    link = _open(customer)
    csrf = _csrf(customer, link)

    nothing = customer.post(f"{link}/cancel", data={"csrf": csrf, "cancel-1": "0"})
    some = customer.post(f"{link}/cancel", data={"csrf": csrf, "cancel-1": "2"})

    assert nothing.status_code == 409
    assert "Choose how many of which items to cancel." in nothing.text
    assert some.status_code == 200 and "Done: your order was changed." in some.text
    [found] = _admin(customer).get("/v1/orders?customer_email=ada@example.com").json()["items"]
    timeline = customer.get(f"/v1/orders/{found['id']}/timeline").json()["items"]
    assert (found["lines"][0]["cancelled"], timeline[-1]["by"]) == (2, "customer")


def test_an_address_that_cannot_be_served_changes_nothing(customer: TestClient) -> None:
    link = _open(customer)
    csrf = _csrf(customer, link)
    form = {"csrf": csrf, "line1": "Rua 1", "postal_code": "1100", "city": "Lisboa"}

    response = customer.post(f"{link}/address", data=form | {"country": "XX"})

    assert response.status_code == 409
    assert "Nothing was changed:" in response.text
    [found] = _admin(customer).get("/v1/orders?customer_email=ada@example.com").json()["items"]
    assert found["ship_to"]["city"] == "Hamburg"
    assert order_of(customer, found["id"])["lines"][0]["allocations"][0]["location_id"] == "DC-BER"


def test_a_language_chosen_on_the_page_stays_for_the_visit(customer: TestClient) -> None:
    english = {"Accept-Language": "en-GB,en;q=0.9"}

    chosen = customer.get("/my-order?lang=de", headers=english)
    later = customer.get("/my-order", headers=english)

    assert '<html lang="de">' in chosen.text and "Bestellung finden" in later.text


def test_a_cancellation_of_no_number_is_refused_not_crashed(customer: TestClient) -> None:
    link = _open(customer)
    csrf = _csrf(customer, link)

    odd = customer.post(f"{link}/cancel", data={"csrf": csrf, "cancel-x": "1"})
    unicode = customer.post(f"{link}/cancel", data={"csrf": csrf, "cancel-1": "²"})

    assert (odd.status_code, unicode.status_code) == (409, 409)
    assert "Please check what you entered." in odd.text


def test_the_customers_page_is_not_cached_framed_or_referred_on(customer: TestClient) -> None:
    page = customer.get(_open(customer))
    api = customer.get("/health")

    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["x-frame-options"] == "DENY"
    assert "x-frame-options" not in api.headers
