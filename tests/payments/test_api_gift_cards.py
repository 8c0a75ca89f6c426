"""Gift cards over HTTP: issued with their balance once per Idempotency-Key (a retry
gets the first answer; the card is not issued twice), read with their entries by
whoever sells; a code taken, a bad amount or currency refused by its field."""

from __future__ import annotations

from fastapi.testclient import TestClient
from httpx2 import Response

from tests.support.api import fields


def _issue(api: TestClient, key: str, **body: str) -> Response:
    return api.post("/v1/gift-cards", json={"amount": "50.00", "currency": "EUR"} | body,
                    headers={"Idempotency-Key": key})  # fmt: skip


def test_a_gift_card_is_issued_once_and_read_with_its_entries(api: TestClient) -> None:
    first = api.post("/v1/gift-cards", json={"amount": "50.00", "currency": "EUR",
                     "code": "gc-xmas-0001"}, headers={"Idempotency-Key": "k1"})  # fmt: skip
    again = api.post("/v1/gift-cards", json={"amount": "50.00", "currency": "EUR",
                     "code": "gc-xmas-0001"}, headers={"Idempotency-Key": "k1"})  # fmt: skip
    made_up = api.post("/v1/gift-cards", json={"amount": "20.00", "currency": "CHF"},
                       headers={"Idempotency-Key": "k2"})  # fmt: skip

    assert first.status_code == 201, first.text
    assert first.headers["location"] == "/v1/gift-cards/GC-XMAS-0001"
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    card = api.get("/v1/gift-cards/gc-xmas-0001").json()
    assert (card["code"], card["currency"], card["balance"]) == ("GC-XMAS-0001", "EUR", "50.00")
    assert [(e["kind"], e["amount"]) for e in card["entries"]] == [("issued", "50.00")]
    assert made_up.status_code == 201 and made_up.json()["code"].startswith("GC-")
    assert api.get(f"/v1/gift-cards/{made_up.json()['code']}").json()["balance"] == "20.00"


def test_what_is_no_gift_card_is_refused_by_its_field(api: TestClient) -> None:
    assert _issue(api, "a", code="GC-1234").status_code == 201
    taken = _issue(api, "b", amount="5.00", code="gc-1234")
    bad = _issue(api, "c", amount="0.00")
    digits = _issue(api, "d", amount="5.001")
    code = _issue(api, "e", code="x y z!")
    keyless = api.post("/v1/gift-cards", json={"amount": "5.00", "currency": "EUR"})

    assert taken.status_code == 409
    assert fields(bad) == ["amount"] and fields(digits) == ["amount"] and fields(code) == ["code"]
    assert keyless.status_code == 422
    assert api.get("/v1/gift-cards/GC-1234").json()["balance"] == "50.00"  # unchanged
    assert api.get("/v1/gift-cards/NO-SUCH-CARD").status_code == 404
