"""What the console's order and exceptions pages say, over HTTP: orders by their
numbers, products by their names, the timeline in words (English and German) with
who did each thing named as a person reads it, a sourcing decision's cost apart
from its allocations and in money."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from ordino.access.services.keys import create_key
from ordino.access.services.users import create_user
from ordino.kernel.domain.roles import Role
from tests.conftest import Clock
from tests.support.api import network, stock
from tests.support.builders import an_order_body

PASSWORD = "correct horse battery"
TIMES = "\N{MULTIPLICATION SIGN}"


@pytest.fixture
def held(api: TestClient, clock: Clock) -> dict[str, str]:
    """W-1001 placed by the web shop's key, held by hand by the admin, a unit
    cancelled by ada (an agent) from the console; ada signed in, no API key."""
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    uow = api.app.state.uow  # type: ignore[attr-defined]
    shop = create_key(Role.CHANNEL, "Web shop", uow(), clock(), "web")
    body = an_order_body(("SKU-1", 2))
    placed = api.post("/v1/orders", json=body, headers={"Authorization": f"Bearer {shop}"})
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["id"]
    hold = api.post(f"/v1/orders/{order_id}/holds", json={"reason": "address check"})
    assert hold.status_code == 201
    create_user("ada", PASSWORD, Role.AGENT, uow(), clock())
    api.headers.pop("Authorization")
    csrf = _csrf(api, "/console/sign-in")
    form = {"username": "ada", "password": PASSWORD, "csrf": csrf}
    assert api.post("/console/sign-in", data=form, follow_redirects=False).status_code == 303
    csrf = _csrf(api, f"/console/orders/{order_id}")
    cancel = {"csrf": csrf, "cancel-1": "1", "reason": "one is enough"}
    assert api.post(f"/console/orders/{order_id}/cancellations", data=cancel).status_code == 200
    return {"id": order_id}


def _csrf(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def _texts(page: str, pattern: str) -> list[str]:
    """The text of each element the pattern finds, tags dropped, spaces made one."""
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found)).split())
        for found in re.findall(pattern, page, re.S)
    ]


def _timeline(page: str) -> list[str]:
    """Each entry of the timeline, without its time."""
    return _texts(page, r"<li><time[^>]*>.*?</time>(.*?)</li>")


def test_the_timeline_says_in_words_what_happened_and_who_did_it(
    api: TestClient, held: dict[str, str]
) -> None:
    english = api.get(f"/console/orders/{held['id']}").text
    german = api.get(f"/console/orders/{held['id']}?lang=de").text

    assert _timeline(english) == [
        "Order placed · key Web shop → placed",
        "Put on hold · ORDINO_ADMIN_KEY · address check → placed",
        "Units cancelled · ada · one is enough → placed",
    ]
    assert _timeline(german) == [
        "Bestellung aufgegeben · Schlüssel Web shop → aufgegeben",
        "Angehalten · ORDINO_ADMIN_KEY · address check → aufgegeben",
        "Einheiten storniert · ada · one is enough → aufgegeben",
    ]
    assert "order.created" not in english and "key:" not in english
    holds = _texts(english, r'<ul class="cards holds">(.*?)</ul>')
    assert "by ORDINO_ADMIN_KEY" in holds[0]


def test_the_order_page_names_the_products_and_writes_the_cost_apart(
    api: TestClient, held: dict[str, str]
) -> None:
    page = api.get(f"/console/orders/{held['id']}").text

    [line] = _texts(page, r"<tbody>\s*(<tr>.*?</tr>)")[:1]
    assert line.startswith("1 Rain jacket SKU-1 2")
    [decision] = _texts(page, r'<ol class="cards decisions">(.*?)</ol>')
    assert f"DC-BER {TIMES} 2 Cost: shipping €" in decision
    assert re.search(rf"{TIMES} \d+\(", decision) is None


def test_the_exceptions_page_lists_orders_by_their_numbers(
    api: TestClient, held: dict[str, str]
) -> None:
    page = api.get("/console/exceptions").text

    [entry] = _texts(page, r'<section aria-labelledby="h-holds">.*?<ul class="cards">(.*?)</ul>')
    assert entry.startswith("W-1001 · address check · by ORDINO_ADMIN_KEY")
    assert f'href="/console/orders/{held["id"]}">W-1001</a>' in page


def test_the_order_page_writes_the_order_type_in_words(
    api: TestClient, held: dict[str, str]
) -> None:
    english = api.get(f"/console/orders/{held['id']}").text
    german = api.get(f"/console/orders/{held['id']}?lang=de").text

    assert _texts(english, r"<dt>Channel</dt><dd>(.*?)</dd>") == ["web · delivery to the customer"]
    assert _texts(german, r"<dt>Kanal</dt><dd>(.*?)</dd>") == ["web · Lieferung nach Hause"]
    assert "ship_to_home" not in english + german


def test_the_order_page_shows_its_money_each_discount_with_its_reason(
    api: TestClient, clock: Clock
) -> None:
    """A promotion and the channel's free shipping, each named, the VAT in the price,
    the totals; in German too."""
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    rates = [{"currency": "EUR", "price": "4.90", "free_from": "100.00"}]
    assert api.put("/v1/channels/web", json={"pricing": {"shipping": rates}}).status_code == 200
    spring = {"name": "Spring: 10 % off", "benefit": "order_percent", "value": "10"}
    assert api.put("/v1/promotions/spring", json=spring).status_code == 201
    order = api.post("/v1/orders", json=an_order_body(("SKU-1", 2))).json()  # 119.80
    create_user("ada", PASSWORD, Role.AGENT, api.app.state.uow(), clock())  # type: ignore[attr-defined]
    api.headers.pop("Authorization")
    form = {"username": "ada", "password": PASSWORD, "csrf": _csrf(api, "/console/sign-in")}
    assert api.post("/console/sign-in", data=form, follow_redirects=False).status_code == 303

    english = api.get(f"/console/orders/{order['id']}").text
    german = api.get(f"/console/orders/{order['id']}?lang=de").text

    rows = _texts(english, r'<table class="list money">.*?<tbody>(.*?)</tbody>')[0]
    assert "Spring: 10 % off spring@1 \u2212€11.98" in rows
    assert "shipping €4.90 €4.90 €0.00 €0.00 free shipping from 100.00 web \u2212€4.90" in rows
    [total] = _texts(english, r'<table class="list money">.*?<tfoot>(.*?)</tfoot>')
    assert total == "Goods €119.80 · Charges €4.90 €16.88 €0.00 €107.82"
    assert "<h2>Beträge</h2>" in german and "Versand" in german
