"""Guessing is limited: console sign-in per account and per client address, the
customer's order lookup (the page's form and the API) per order number and per
address. The counts are in the database, so every server process shares them. A
locked-out API answer is a 429 problem with Retry-After; a page says so plainly.
Even the right password or e-mail is refused while locked, and nothing is revealed."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ordino.access.services.users import create_user
from ordino.kernel.domain.roles import Role
from tests.conftest import Clock
from tests.support.api import network, place, refused, stock

PASSWORD = "correct horse battery"


@pytest.fixture
def shop(api: TestClient, clock: Clock) -> TestClient:
    """Orders W-1 (ada@example.com) and W-2 (bob@example.com); a console user ada."""
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    place(api, ("SKU-1", 1), external_id="W-1")
    place(api, ("SKU-1", 1), external_id="W-2", customer={"email": "bob@example.com"})
    create_user("ada", PASSWORD, Role.AGENT, api.app.state.uow(), clock())  # type: ignore[attr-defined]
    return api


@pytest.fixture
def other_address(shop: TestClient) -> Iterator[TestClient]:
    """A client of the same server from another address."""
    client = TestClient(shop.app, client=("203.0.113.9", 50000))
    yield client
    client.close()


def _lookup(client: TestClient, number: str, email: str) -> int:
    body = {"number": number, "email": email}
    return client.post(
        "/v1/self-service/lookup", json=body, headers={"Authorization": ""}
    ).status_code


def test_an_order_number_is_locked_after_five_wrong_e_mails_for_fifteen_minutes(
    shop: TestClient, other_address: TestClient, clock: Clock
) -> None:
    wrong = [_lookup(shop, "W-1", f"eve{n}@example.com") for n in range(5)]

    locked = shop.post(
        "/v1/self-service/lookup", json={"number": "W-1", "email": "ada@example.com"}
    )
    elsewhere = _lookup(other_address, "W-1", "ada@example.com")  # the order, not the address
    other_order = _lookup(shop, "W-2", "bob@example.com")
    clock.advance(minutes=15)
    later = _lookup(shop, "W-1", "ada@example.com")

    assert wrong == [404] * 5
    problem = refused(locked, 429, "too-many-attempts")
    assert locked.headers["retry-after"] == "900"
    assert "token" not in problem and "ada" not in locked.text
    assert (elsewhere, other_order, later) == (429, 200, 200)


def test_one_address_may_guess_twenty_times_in_fifteen_minutes(
    shop: TestClient, other_address: TestClient, clock: Clock
) -> None:
    guesses = [_lookup(shop, f"W-{n}", f"eve{n}@example.com") for n in range(100, 120)]
    clock.advance(minutes=5)

    locked = shop.post(
        "/v1/self-service/lookup", json={"number": "W-2", "email": "bob@example.com"}
    )
    other = _lookup(other_address, "W-2", "bob@example.com")

    assert guesses == [404] * 20
    refused(locked, 429, "too-many-attempts")
    assert locked.headers["retry-after"] == "600"
    assert other == 200


def test_finding_the_order_takes_back_the_attempt(shop: TestClient) -> None:
    found = [_lookup(shop, "W-1", "ada@example.com") for _ in range(30)]

    assert found == [200] * 30


def _token(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def _sign_in(client: TestClient, **form: str) -> tuple[int, str, str | None]:
    form["csrf"] = _token(client, "/console/sign-in")
    response = client.post("/console/sign-in", data=form, follow_redirects=False)
    return response.status_code, response.text, response.headers.get("retry-after")


def test_a_console_account_is_locked_after_five_wrong_passwords(
    shop: TestClient, other_address: TestClient, clock: Clock
) -> None:
    shop.headers.pop("Authorization")
    wrong = [_sign_in(shop, username="ada", password=f"guess {n}")[0] for n in range(5)]

    status, page, retry = _sign_in(shop, username="ada", password=PASSWORD)
    elsewhere = _sign_in(other_address, username="ada", password=PASSWORD)[0]
    signed_in = shop.get("/console/orders", follow_redirects=False).status_code
    clock.advance(minutes=15)
    later = _sign_in(shop, username="ada", password=PASSWORD)[0]

    assert wrong == [401] * 5
    assert (status, retry) == (429, "900")
    assert "Too many attempts to sign in. Try again in 15 minutes." in page
    assert (elsewhere, signed_in, later) == (429, 303, 303)


def test_one_address_may_try_twenty_passwords_or_keys_in_fifteen_minutes(
    shop: TestClient, other_address: TestClient
) -> None:
    shop.headers.pop("Authorization")
    guesses = [_sign_in(shop, username=f"user{n}", password="guess")[0] for n in range(10)]
    guesses += [_sign_in(shop, password=f"ordino_guess{n}")[0] for n in range(10)]

    status, _, retry = _sign_in(shop, username="ada", password=PASSWORD)
    other = _sign_in(other_address, username="ada", password=PASSWORD)[0]

    assert guesses == [401] * 20
    assert (status, retry) == (429, "900")
    assert other == 303


def test_the_customers_page_says_plainly_when_it_is_locked(shop: TestClient) -> None:
    shop.headers.pop("Authorization")
    for n in range(5):
        form = {"csrf": _token(shop, "/my-order"), "number": "W-1", "email": f"eve{n}@x.io"}
        assert shop.post("/my-order", data=form).status_code == 404

    form = {"csrf": _token(shop, "/my-order"), "number": "W-1", "email": "ada@example.com"}
    locked = shop.post("/my-order", data=form, follow_redirects=False)

    assert locked.status_code == 429
    assert locked.headers["retry-after"] == "900"
    assert "Too many attempts to find this order. Try again in 15 minutes." in locked.text


def test_guessing_order_numbers_for_one_e_mail_from_many_addresses_is_limited(
    shop: TestClient,
) -> None:
    # Order numbers run in sequence and e-mails are known: counted per number and per
    # address only, a guesser with many addresses tries every number for one e-mail.
    guesses = [
        _lookup(_from(shop, f"198.51.100.{n}"), f"W-{100 + n}", "ADA@example.com") for n in range(5)
    ]

    locked = _lookup(_from(shop, "198.51.100.99"), "W-1", "ada@example.com")
    other = _lookup(shop, "W-2", "bob@example.com")

    assert guesses == [404] * 5
    assert (locked, other) == (429, 200)


def _from(shop: TestClient, address: str) -> TestClient:
    """A client of the same server from `address` (its lifespan not run again)."""
    return TestClient(shop.app, client=(address, 50000))
