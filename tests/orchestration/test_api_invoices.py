"""Invoices and credit notes over HTTP: an invoice per shipment as its goods leave
(its units at what they were paid, the order's shipping with the first), numbered
without gaps in the seller's series, captured for exactly its total; a credit note
per refund made, its tax in proportion to what was invoiced; each read by the
callers who may read its order."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from ordino.access.services.keys import create_key
from ordino.kernel.domain.roles import Role
from ordino.orchestration.services import fulfillment
from ordino.pricing.store import bills as bills_table
from ordino.store import migrate
from tests.conftest import ADMIN_KEY, Clock
from tests.pricing.test_api_tax import PARIS, an_order, taxed  # noqa: F401 (a fixture)
from tests.support.api import order_of, work

APPROVES = "4242424242424242"
SELLER = {
    "seller_country": "DE",
    "vat_id": "DE123456704",
    "name": "Ordino Demo GmbH",
    "address": {"line1": "Torstr. 1", "city": "Berlin", "postal_code": "10119", "country": "DE"},
}


@pytest.fixture
def shop(taxed: TestClient) -> TestClient:  # noqa: F811 (the fixture imported)
    """A German seller with its name and address; shipping 4.90 on channel web."""
    assert taxed.put("/v1/tax-settings", json=SELLER).status_code == 200
    rates = [{"currency": "EUR", "price": "4.90"}]
    assert taxed.put("/v1/channels/web", json={"pricing": {"shipping": rates}}).status_code == 200
    return taxed


def placed(api: TestClient, clock: Clock, n: int = 1, to: dict[str, Any] = PARIS) -> str:
    """SKU-1 (59.90, standard) and 2 books (10.55, reduced) to Paris, paid by card,
    released."""
    body = an_order(to, external_id=f"W-{n}", payment={"method": "card", "token": APPROVES})
    response = api.post("/v1/orders", json=body)
    assert response.status_code == 201, response.text
    work(api, clock)
    return str(response.json()["id"])


def ship(api: TestClient, order_id: str, lines: list[dict[str, int]] | None = None) -> None:
    fo = next(f for f in order_of(api, order_id)["fulfillments"] if f["status"] != "shipped")
    body: dict[str, Any] = {"carrier": "dhl", "tracking_number": f"T-{fo['id']}"}
    if lines is not None:
        body["lines"] = lines
    response = api.post(f"/v1/fulfillments/{fo['id']}/shipped", json=body)
    assert response.status_code == 200, response.text


def bills(api: TestClient, order_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/v1/orders/{order_id}/invoices")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["items"]
    return found


def test_each_shipment_is_invoiced_and_captured_for_its_invoices_total(
    shop: TestClient, clock: Clock
) -> None:
    order_id = placed(shop, clock)
    order = order_of(shop, order_id)

    ship(shop, order_id, [{"line_no": 2, "quantity": 1}])  # one book first
    ship(shop, order_id)  # then the rest
    work(shop, clock)  # captured

    first, second = bills(shop, order_id)
    year = first["issued_at"][:4]
    assert (first["number"], second["number"]) == (f"INV-{year}-000001", f"INV-{year}-000002")
    assert first["entity"] == "default"  # one series an installation
    assert [(p["sku"], p["description"], p["quantity"]) for p in first["lines"]] == [
        ("SKU-2", "A book", 1)
    ]
    assert [c["kind"] for c in first["charges"]] == ["shipping"]  # with the first to leave
    assert sorted((p["sku"], p["quantity"]) for p in second["lines"]) == [
        ("SKU-1", 1),
        ("SKU-2", 1),
    ]
    assert second["charges"] == []
    total = sum(Decimal(b["total"]) for b in (first, second))
    assert str(total) == order["total"]
    assert sum(Decimal(b["tax"]) for b in (first, second)) == Decimal(order["money"]["tax"])
    assert order_of(shop, order_id)["tenders"][0]["captured"] == order["total"]
    # France's VAT, each rate with what it taxes: the book at 5.5 %, the rest at 20 %.
    assert [(t["rate"], t["amount"]) for t in second["taxes"]] == [
        ("0.2", "9.98"),
        ("0.055", "0.55"),
    ]
    assert first["seller"] == {
        "name": "Ordino Demo GmbH",
        "country": "DE",
        "vat_id": "DE123456704",
        "email": None,
        "address": {"name": None, "line1": "Torstr. 1", "line2": None, "city": "Berlin",
                    "region": None, "postal_code": "10119", "country": "DE"},
    }  # fmt: skip
    assert (first["buyer"]["name"], first["buyer"]["address"]["line1"]) == (
        "Ada Lovelace",
        "1 rue de Rivoli",
    )
    assert first["tax_treatment"] == "destination"
    settings = shop.get("/v1/tax-settings").json()
    assert (settings["name"], settings["address"]["city"]) == ("Ordino Demo GmbH", "Berlin")
    assert shop.get(f"/v1/invoices/{first['id']}").json() == first


def test_a_refund_made_gets_its_credit_note_with_its_share_of_the_tax(
    shop: TestClient, clock: Clock
) -> None:
    order_id = placed(shop, clock)
    ship(shop, order_id)
    work(shop, clock)
    [invoice] = bills(shop, order_id)
    total = Decimal(invoice["total"])

    for n, amount in enumerate(["20.00", str(total - Decimal("20.00"))]):
        asked = {"amount": amount, "currency": "EUR", "reason": "damaged"}
        headers = {"Idempotency-Key": f"r-{n}"}
        assert (
            shop.post(f"/v1/orders/{order_id}/refunds", json=asked, headers=headers).status_code
            == 202
        )
        work(shop, clock)

    _, partly, rest = bills(shop, order_id)
    year = partly["issued_at"][:4]
    assert (partly["kind"], partly["number"], partly["total"]) == (
        "credit_note",
        f"CN-{year}-000001",
        "20.00",
    )
    assert partly["refund_id"] is not None
    assert rest["number"] == f"CN-{year}-000002"
    # All of it credited: exactly the tax invoiced, line by line.
    assert Decimal(partly["tax"]) + Decimal(rest["tax"]) == Decimal(invoice["tax"])
    assert Decimal(partly["total"]) + Decimal(rest["total"]) == total
    assert 0 < Decimal(partly["tax"]) < Decimal(invoice["tax"])


def test_a_shipment_that_does_not_commit_takes_no_number(
    shop: TestClient, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = placed(shop, clock, 1), placed(shop, clock, 2)

    def broken(*_: Any) -> None:
        raise RuntimeError("the database went away")

    with monkeypatch.context() as patched:
        patched.setattr(fulfillment, "capture_job", broken)
        with pytest.raises(RuntimeError):
            ship(shop, one)
    ship(shop, two)
    ship(shop, one)

    numbers = [b["number"][-6:] for order_id in (two, one) for b in bills(shop, order_id)]
    assert numbers == ["000001", "000002"]


def test_an_invoice_is_read_only_by_those_who_may_read_its_order(
    shop: TestClient, clock: Clock
) -> None:
    order_id = placed(shop, clock)
    ship(shop, order_id)
    [invoice] = bills(shop, order_id)
    uow = shop.app.state.uow  # type: ignore[attr-defined]
    other = create_key(Role.CHANNEL, "app", uow(), clock(), channel="app")
    web = create_key(Role.CHANNEL, "web", uow(), clock(), channel="web")

    def status(key: str, path: str) -> int:
        return shop.get(path, headers={"Authorization": f"Bearer {key}"}).status_code

    assert status(web, f"/v1/invoices/{invoice['id']}") == 200
    assert status(other, f"/v1/invoices/{invoice['id']}") == 404
    assert status(other, f"/v1/orders/{order_id}/invoices") == 404
    assert shop.get("/v1/invoices/NO-SUCH").status_code == 404
    # Found by review: another channel's invoice was not found naming its order.
    theirs = shop.get(f"/v1/invoices/{invoice['id']}", headers={"Authorization": f"Bearer {other}"})
    none = shop.get("/v1/invoices/NO-SUCH", headers={"Authorization": f"Bearer {other}"})

    assert theirs.status_code == none.status_code == 404
    assert order_id not in theirs.text
    assert theirs.json()["detail"] == f"no invoice or credit note {invoice['id']}"


def test_the_console_lists_an_orders_invoices_and_prints_each(
    shop: TestClient, clock: Clock
) -> None:
    order_id = placed(shop, clock)
    ship(shop, order_id)
    [invoice] = bills(shop, order_id)
    signed_in = TestClient(shop.app)
    form = {"password": ADMIN_KEY, "csrf": _csrf(signed_in)}
    assert signed_in.post("/console/sign-in", data=form, follow_redirects=False).status_code == 303

    order_page = signed_in.get(f"/console/orders/{order_id}").text
    page = signed_in.get(f"/console/invoices/{invoice['id']}")

    assert f"/console/invoices/{invoice['id']}" in order_page
    assert invoice["number"] in order_page
    assert page.status_code == 200
    text = page.text
    for shown in (invoice["number"], "Ordino Demo GmbH", "DE123456704", "1 rue de Rivoli", "SKU-2"):
        assert shown in text
    assert signed_in.get("/console/invoices/NO-SUCH").status_code == 404


def _csrf(client: TestClient) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/console/sign-in").text)
    assert found is not None
    return found.group(1)


def test_a_downgrade_that_would_lose_invoices_is_refused(shop: TestClient, clock: Clock) -> None:
    order_id = placed(shop, clock)
    ship(shop, order_id)
    engine = shop.app.state.engine  # type: ignore[attr-defined]

    with pytest.raises(RuntimeError, match="would be lost"):
        migrate.downgrade(engine, "0041_exchange_rates")

    assert len(bills(shop, order_id)) == 1


def test_numbers_run_on_when_the_seller_gives_its_vat_id(shop: TestClient, clock: Clock) -> None:
    """Found by review: the series was keyed by the VAT id, so a seller that gave
    one later numbered its next invoice 000001 again."""
    first = placed(shop, clock, 1)
    second = placed(shop, clock, 2)
    without = SELLER | {"vat_id": None}
    assert shop.put("/v1/tax-settings", json=without).status_code == 200
    ship(shop, first)
    assert shop.put("/v1/tax-settings", json=SELLER).status_code == 200
    ship(shop, second)

    numbers = [bills(shop, order_id)[0]["number"][-6:] for order_id in (first, second)]

    assert numbers == ["000001", "000002"]


def test_an_order_shipped_before_invoices_credits_its_later_invoice_in_full(
    shop: TestClient, clock: Clock
) -> None:
    """Found by review: an earlier credit of goods shipped before Ordino invoiced
    (untaxed) counted against what a later invoice could still credit."""
    order_id = placed(shop, clock)
    ship(shop, order_id, [{"line_no": 1, "quantity": 1}])  # the jacket: 59.90 and shipping
    engine = shop.app.state.engine  # type: ignore[attr-defined]
    with engine.begin() as connection:  # as if it left before Ordino issued invoices
        connection.execute(delete(bills_table))
    ship(shop, order_id)  # the books: invoiced
    work(shop, clock)
    [invoice] = bills(shop, order_id)
    total = Decimal(order_of(shop, order_id)["total"])

    for n, amount in enumerate(["30.00", str(total - Decimal("30.00"))]):
        asked = {"amount": amount, "currency": "EUR", "reason": "returned"}
        headers = {"Idempotency-Key": f"r-{n}"}
        response = shop.post(f"/v1/orders/{order_id}/refunds", json=asked, headers=headers)
        assert response.status_code == 202, response.text
        work(shop, clock)

    notes = [b for b in bills(shop, order_id) if b["kind"] == "credit_note"]
    assert sum(Decimal(b["tax"]) for b in notes) == Decimal(invoice["tax"])
    assert sum(Decimal(b["total"]) for b in notes) == total
