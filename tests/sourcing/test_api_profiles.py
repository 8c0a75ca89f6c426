"""Sourcing profiles over HTTP: created, replaced as new versions (each kept),
refused when bad or stale, removed with their versions still readable."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.api import fields, refused

WEB: dict[str, Any] = {
    "channels": ["web"],
    "filters": {"countries": ["DE", "AT"], "min_stock_left": 1},
    "strategies": [
        {
            "name": "ship complete from a DC",
            "location_types": ["warehouse"],
            "max_packages": 1,
            "split_lines": False,
        },
        {"name": "split across DCs", "location_types": ["warehouse"], "max_packages": 2},
        {"name": "stores near", "location_types": ["store"], "radius_km": 300},
        {"name": "backorder", "kind": "backorder", "cancel_after_days": 14},
    ],
    "weights": {"per_extra_package": "2.50", "per_day_late": "4.00"},
}


def test_a_profile_is_created_replaced_and_every_version_kept(api: TestClient) -> None:
    created = api.put("/v1/sourcing-profiles/web", json=WEB)
    replaced = api.put(
        "/v1/sourcing-profiles/web",
        json=WEB | {"filters": {"ship_from_store": False}, "version": 1},
    )

    assert created.status_code == 201, created.text
    assert replaced.status_code == 200
    current = api.get("/v1/sourcing-profiles/web").json()
    first = api.get("/v1/sourcing-profiles/web/versions/1").json()
    assert (current["version"], current["filters"]["ship_from_store"]) == (2, False)
    assert (first["version"], first["filters"]["countries"]) == (1, ["AT", "DE"])
    assert [s["name"] for s in first["strategies"]] == [s["name"] for s in WEB["strategies"]]
    assert first["strategies"][3] | {"location_types": []} == {
        "name": "backorder",
        "kind": "backorder",
        "location_types": [],
        "radius_km": None,
        "max_packages": None,
        "split_lines": True,
        "cancel_after_days": 14,
    }
    assert first["weights"]["per_day_late"] == "4.00"
    assert [p["name"] for p in api.get("/v1/sourcing-profiles").json()["items"]] == ["web"]


def test_a_stale_version_is_refused_and_changes_nothing(api: TestClient) -> None:
    assert api.put("/v1/sourcing-profiles/web", json=WEB).status_code == 201
    stale = api.put("/v1/sourcing-profiles/web", json=WEB | {"channels": ["app"], "version": 0})
    refused(stale, 409, "conflict")
    assert api.get("/v1/sourcing-profiles/web").json()["channels"] == ["web"]
    refused(api.get("/v1/sourcing-profiles/web/versions/2"), 404, "not-found")


def test_bad_profiles_are_refused_naming_the_field(api: TestClient) -> None:
    no_strategy = WEB | {"strategies": []}
    zero_packages = WEB | {"strategies": [{"name": "x", "max_packages": 0}]}
    bad_weight = WEB | {"weights": {"shipping": "-1"}}
    assert fields(api.put("/v1/sourcing-profiles/web", json=no_strategy)) == ["strategies"]
    assert fields(api.put("/v1/sourcing-profiles/web", json=zero_packages)) == [
        "strategies[0].max_packages"
    ]
    assert fields(api.put("/v1/sourcing-profiles/web", json=bad_weight)) == ["weights.shipping"]
    assert api.get("/v1/sourcing-profiles").json()["items"] == []


def test_a_removed_profile_keeps_its_versions_readable(api: TestClient) -> None:
    assert api.put("/v1/sourcing-profiles/web", json=WEB).status_code == 201
    assert api.delete("/v1/sourcing-profiles/web").status_code == 204
    refused(api.get("/v1/sourcing-profiles/web"), 404, "not-found")
    assert api.get("/v1/sourcing-profiles/web/versions/1").status_code == 200
    recreated = api.put("/v1/sourcing-profiles/web", json=WEB)
    assert (recreated.status_code, recreated.json()["version"]) == (201, 2)  # numbers go on


def test_a_profile_for_an_order_type_that_does_not_exist_is_refused(api: TestClient) -> None:
    typo = WEB | {"order_types": ["ship_to_home", "ship_form_store"]}
    configured = WEB | {"order_types": ["express"]}

    response = api.put("/v1/sourcing-profiles/web", json=typo)

    assert fields(response) == ["order_types"]
    assert response.json()["errors"][0]["message"] == "no order type 'ship_form_store'"
    assert api.get("/v1/sourcing-profiles").json()["items"] == []
    express = {"steps": ["checks", "release"]}
    assert api.put("/v1/order-types/express", json=express).status_code == 201
    assert api.put("/v1/sourcing-profiles/web", json=configured).status_code == 201


@pytest.mark.parametrize("name", ["near\x07est", "two\nlines", "\x1b[31mred", "del\x7f", "c1\x9bx"])
def test_a_name_with_control_characters_is_refused(api: TestClient, name: str) -> None:
    strategies = [{"name": name}]

    response = api.put("/v1/sourcing-profiles/web", json=WEB | {"strategies": strategies})

    assert fields(response) == ["strategies[0].name"]
    assert api.get("/v1/sourcing-profiles").json()["items"] == []
