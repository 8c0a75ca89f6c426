"""Customer service over HTTP: a note on an order and its last notification sent
again, both on the timeline; a store's key may do neither; a blank note is named."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from ordino.kernel.domain.roles import Role
from tests.support.api import fields, network, place, stock


def test_a_note_and_a_notification_sent_again_are_on_the_timeline(
    api: TestClient, key_for: Callable[[Role], str]
) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 5)
    order = place(api, ("SKU-1", 1))
    path = f"/v1/orders/{order['id']}"
    store = {"Authorization": f"Bearer {key_for(Role.STORE)}"}

    blank = api.post(f"{path}/notes", json={"note": ""})
    refused = api.post(f"{path}/notes", json={"note": "hi"}, headers=store)
    noted = api.post(f"{path}/notes", json={"note": "asked for a call back"})
    resent = api.post(f"{path}/notifications")

    assert fields(blank) == ["note"]
    assert refused.status_code == 403
    assert (noted.status_code, resent.status_code) == (201, 201)
    timeline = api.get(f"{path}/timeline").json()["items"]
    assert [e["type"] for e in timeline] == [
        "order.created",
        "order.note_added",
        "order.notification_resent",
    ]
    assert timeline[1]["why"] == "asked for a call back"
    assert timeline[2]["details"]["event"]["id"] == timeline[0]["details"].get(
        "id", timeline[2]["details"]["event"]["id"]
    )


def test_a_link_for_the_customer_opens_their_page_and_only_their_order(
    api: TestClient, key_for: Callable[[Role], str]
) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 5)
    order = place(api, ("SKU-1", 1), external_id="W-LINK")
    store = {"Authorization": f"Bearer {key_for(Role.STORE)}"}

    link = api.get(f"/v1/orders/{order['id']}/self-service-link")
    refused = api.get(f"/v1/orders/{order['id']}/self-service-link", headers=store)

    assert (link.status_code, refused.status_code) == (200, 403)
    token = link.json()["token"]
    assert link.json()["path"] == f"/my-order/{token}"
    seen = api.get(f"/v1/self-service/orders/{token}", headers={"Authorization": ""})
    assert seen.status_code == 200 and seen.json()["number"] == "W-LINK"
