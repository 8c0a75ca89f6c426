"""Channels over HTTP: a channel is known once configured, with its settings; an
order, a read, a view or a profile naming another is refused naming the field and
changes nothing; an order's line may ask at most the channel's `max_line_quantity`
units (1,000 unless the channel says otherwise). (The test databases know web, app,
amazon, zalando, store, shop and bench: tests/conftest.py.)"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from ordino.access.services.keys import authenticate
from ordino.kernel.domain.roles import Role
from tests.support.api import fields, levels, network, refused, stock
from tests.support.builders import an_order_body


def test_a_channel_is_configured_read_and_listed(api: TestClient) -> None:
    created = api.put("/v1/channels/b2b", json={"max_line_quantity": 50_000})
    replaced = api.put("/v1/channels/b2b", json={"max_line_quantity": 20_000, "description": "EDI"})

    assert (created.status_code, replaced.status_code) == (201, 200)
    assert api.get("/v1/channels/b2b").json() == {
        "name": "b2b",
        "max_line_quantity": 20_000,
        "description": "EDI",
        "time_zone": "UTC",
        "pricing": {
            "prices": "gross",
            "price_mismatch": "accept",
            "marketplace": False,
            "shipping": [],
            "settlement_currency": None,
            "incoterm": "DAP",
            "tenders": {"capture": [], "refund": []},
        },
        "version": 2,
    }
    assert "b2b" in [c["name"] for c in api.get("/v1/channels").json()["items"]]
    refused(api.get("/v1/channels/telesales"), 404, "not-found")
    assert fields(api.put("/v1/channels/b2b", json={"max_line_quantity": 0})) == [
        "max_line_quantity"
    ]
    assert fields(api.put("/v1/channels/b2b", json={"time_zone": "Europe/Bärlin"})) == ["time_zone"]


def test_an_order_of_an_unknown_channel_is_refused_and_reserves_nothing(
    api: TestClient,
) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)

    response = api.post("/v1/orders", json=an_order_body(channel="telesales"))

    assert fields(response) == ["channel"]
    assert response.json()["errors"][0]["message"].startswith("no channel 'telesales'")
    assert levels(api, "DC-BER", "SKU-1") == (10, 10, 0, 0)
    assert api.get("/v1/orders").json()["items"] == []


def test_a_line_over_the_channels_limit_is_refused_and_reserves_nothing(
    api: TestClient,
) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 1_000_000)

    whole_network = api.post("/v1/orders", json=an_order_body(("SKU-1", 999_999)))
    assert api.put("/v1/channels/web", json={"max_line_quantity": 5}).status_code == 200
    six = api.post("/v1/orders", json=an_order_body(("SKU-2", 1), ("SKU-1", 6)))

    assert fields(whole_network) == ["lines[0].quantity"]
    assert whole_network.json()["errors"][0]["message"] == (
        "at most 1000 units a line in channel web"
    )
    assert fields(six) == ["lines[1].quantity"]
    assert levels(api, "DC-BER", "SKU-1") == (1_000_000, 1_000_000, 0, 0)
    assert api.get("/v1/orders").json()["items"] == []


def test_a_channel_may_allow_larger_lines(api: TestClient) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 30_000)
    assert api.put("/v1/channels/b2b", json={"max_line_quantity": 50_000}).status_code == 201

    placed = api.post("/v1/orders", json=an_order_body(("SKU-1", 20_000), channel="b2b"))

    assert placed.status_code == 201, placed.text
    assert levels(api, "DC-BER", "SKU-1") == (10_000, 30_000, 20_000, 0)


def test_reads_naming_an_unknown_channel_are_refused(api: TestClient) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    cart = {"lines": [{"sku": "SKU-1", "quantity": 1}], "destination": {"country": "DE"}}
    kpis = {"from": "2026-11-01", "to": "2026-11-02", "channel": "telesales"}

    answers = [
        api.get("/v1/availability", params={"skus": "SKU-1", "channel": "telesales"}),
        api.post("/v1/promises", json=cart | {"channel": "telesales"}),
        api.get("/v1/products/SKU-1/promise", params={"country": "DE", "channel": "telesales"}),
        api.get("/v1/orders", params={"channel": "telesales"}),
        api.get("/v1/analytics/kpis", params=kpis),
    ]

    assert [fields(answer) for answer in answers] == [["channel"]] * 5


def test_views_and_profiles_list_known_channels_only(api: TestClient) -> None:
    profile = {"channels": ["web", "telesales"], "strategies": [{"name": "nearest"}]}

    view = api.put("/v1/availability-views/phone", json={"channels": ["telesales"]})
    sourcing = api.put("/v1/sourcing-profiles/phone", json=profile)

    assert fields(view) == ["channels"]
    assert fields(sourcing) == ["channels"]
    assert [v["name"] for v in api.get("/v1/availability-views").json()["items"]] == ["default"]
    assert api.get("/v1/sourcing-profiles").json()["items"] == []


def test_a_channels_settings_are_configuration_recorded_with_their_author(
    api: TestClient, key_for: Callable[[Role], str]
) -> None:
    secret = key_for(Role.ADMIN)
    key = authenticate(secret, api.app.state.uow(), None)  # type: ignore[attr-defined]
    assert key is not None
    admin = {"Authorization": f"Bearer {secret}"}

    api.put("/v1/channels/b2b", json={"max_line_quantity": 500}, headers=admin)
    api.put("/v1/channels/b2b", json={"max_line_quantity": 800}, headers=admin)

    found = api.get("/v1/configuration-changes", params={"kind": "channel"}).json()["items"]
    assert [(c["action"], c["version"], c["by"], c["changes"]) for c in found] == [
        (
            "changed",
            2,
            f"key:{key.id}",
            [{"path": "max_line_quantity", "before": 500, "after": 800}],
        ),
        ("created", 1, f"key:{key.id}", []),
    ]
