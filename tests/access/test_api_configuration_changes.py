"""Every change of configuration is kept with who made it, when, and the document
before and after: hold rules, availability views, order types, the self-service
policy, sourcing profiles (whose versions also name their author). Admins read them
at GET /v1/configuration-changes; a refused change records nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from ordino.access.services.keys import ENVIRONMENT
from ordino.app.demo import seed_demo
from ordino.kernel.domain.configuration import DEMO_AUTHOR, ConfigurationKind
from ordino.kernel.domain.roles import Role
from tests.conftest import Clock
from tests.network.test_api_rate_cards import CARD
from tests.support.api import fields, network
from tests.support.builders import a_carrier_service_body, a_location_body, an_operations_body

RULE = {"expression": "order.total > 1000.0", "reason": "a large order"}
VIEW = {
    "description": "Marketplaces",
    "channels": ["amazon"],
    "locations": {"types": ["warehouse"]},
}
PROFILE: dict[str, Any] = {
    "channels": ["web"],
    "strategies": [{"name": "ship complete", "location_types": ["warehouse"], "max_packages": 1}],
}


def _as(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _changes(api: TestClient, **query: str) -> list[dict[str, Any]]:
    response = api.get("/v1/configuration-changes", params=query)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_a_hold_rule_keeps_every_change_with_its_author_and_both_documents(
    api: TestClient, clock: Clock, key_for: Callable[[Role], str]
) -> None:
    alice, bob = key_for(Role.ADMIN), key_for(Role.ADMIN)

    created = api.put("/v1/hold-rules/big", json=RULE, headers=_as(alice))
    clock.advance(minutes=5)
    changed = api.put("/v1/hold-rules/big", json=RULE | {"enabled": False}, headers=_as(bob))
    clock.advance(minutes=5)
    removed = api.delete("/v1/hold-rules/big", headers=_as(alice))

    assert (created.status_code, changed.status_code, removed.status_code) == (201, 200, 204)
    found = _changes(api, kind="hold_rule", name="big")
    by = [change.pop("by") for change in found]
    assert by[0] == by[2] != by[1]
    assert all(who.startswith("key:") for who in by)
    for change in found:
        assert isinstance(change.pop("id"), int)
    document = {"expression": "order.total > 1000.0", "reason": "a large order"}
    document |= {"order_types": [], "enabled": True}
    assert found == [
        {
            "kind": "hold_rule",
            "name": "big",
            "action": "removed",
            "version": None,
            "at": "2026-11-02T09:10:00+00:00",
            "before": document | {"enabled": False},
            "after": None,
            "changes": [],
        },
        {
            "kind": "hold_rule",
            "name": "big",
            "action": "changed",
            "version": 2,
            "at": "2026-11-02T09:05:00+00:00",
            "before": document,
            "after": document | {"enabled": False},
            "changes": [{"path": "enabled", "before": True, "after": False}],
        },
        {
            "kind": "hold_rule",
            "name": "big",
            "action": "created",
            "version": 1,
            "at": "2026-11-02T09:00:00+00:00",
            "before": None,
            "after": document,
            "changes": [],
        },
    ]


def test_each_kind_of_configuration_is_recorded_as_the_caller_who_changed_it(
    api: TestClient,
) -> None:
    network(api)
    environment = f"key:{ENVIRONMENT}"  # the test client's key: ORDINO_ADMIN_KEY

    assert api.put("/v1/availability-views/marketplace", json=VIEW).status_code == 201
    assert api.delete("/v1/availability-views/marketplace").status_code == 204
    assert api.put("/v1/order-types/express", json={"steps": ["release"]}).status_code == 201
    built_in = api.put("/v1/order-types/ship_to_home", json={"steps": ["checks", "release"]})
    policy = api.put("/v1/self-service-policy", json={"cancel_until": "never"})
    assert (built_in.status_code, policy.status_code) == (201, 200)  # first configured
    assert api.put("/v1/sourcing-profiles/web", json=PROFILE).status_code == 201
    assert api.delete("/v1/sourcing-profiles/web").status_code == 204

    found = _changes(api)
    assert [(c["kind"], c["name"], c["action"], c["version"]) for c in found] == [
        ("sourcing_profile", "web", "removed", None),
        ("sourcing_profile", "web", "created", 1),
        ("self_service_policy", "default", "changed", 1),
        ("order_type", "ship_to_home", "changed", 1),
        ("order_type", "express", "created", 1),
        ("availability_view", "marketplace", "removed", None),
        ("availability_view", "marketplace", "created", 1),
        ("location", "DC-BER", "created", None),  # network(api)'s
    ]
    assert {c["by"] for c in found} == {environment}
    policy_change = found[2]
    assert policy_change["before"]["cancel_until"] == "release"  # the default, as it applied
    assert {"path": "cancel_until", "before": "release", "after": "never"} in policy_change[
        "changes"
    ]
    steps = {"path": "steps", "before": ["checks", "authorise", "release"]}
    assert steps | {"after": ["checks", "release"]} in found[3]["changes"]
    assert [c["name"] for c in _changes(api, kind="order_type")] == ["ship_to_home", "express"]


def test_a_sourcing_profiles_versions_name_their_author(
    api: TestClient, clock: Clock, key_for: Callable[[Role], str]
) -> None:
    admin = key_for(Role.ADMIN)
    assert api.put("/v1/sourcing-profiles/web", json=PROFILE).status_code == 201
    clock.advance(hours=1)
    changed = PROFILE | {"filters": {"countries": ["DE"]}}
    assert api.put("/v1/sourcing-profiles/web", json=changed, headers=_as(admin)).status_code == 200

    versions = api.get("/v1/sourcing-profiles/web/versions")
    second = api.get("/v1/sourcing-profiles/web/versions/2").json()

    assert versions.status_code == 200
    items = versions.json()["items"]
    assert [(v["version"], v["created_at"]) for v in items] == [
        (2, "2026-11-02T10:00:00+00:00"),
        (1, "2026-11-02T09:00:00+00:00"),
    ]
    assert items[1]["created_by"] == f"key:{ENVIRONMENT}"
    assert items[0]["created_by"] == second["created_by"] != items[1]["created_by"]
    assert items[0]["created_by"].startswith("key:")


def test_a_refused_change_records_nothing_and_only_admins_read_the_changes(
    api: TestClient, key_for: Callable[[Role], str]
) -> None:
    bad = api.put("/v1/hold-rules/big", json=RULE | {"expression": "order.total >"})
    agent = api.get("/v1/configuration-changes", headers=_as(key_for(Role.AGENT)))
    unknown = api.get("/v1/configuration-changes", params={"kind": "carrier"})

    assert fields(bad) == ["expression"]
    assert agent.status_code == 403
    assert fields(unknown) == ["kind"]
    assert _changes(api, kind="hold_rule") == []


def test_the_changes_come_a_page_at_a_time(api: TestClient) -> None:
    for n in range(3):
        body = RULE | {"reason": f"reason {n}"}
        assert api.put("/v1/hold-rules/big", json=body).status_code in (200, 201)

    first = api.get("/v1/configuration-changes", params={"limit": "2"}).json()
    rest = api.get(
        "/v1/configuration-changes", params={"limit": "2", "cursor": first["next_cursor"]}
    ).json()

    assert [c["version"] for c in first["items"]] == [3, 2]
    assert [c["version"] for c in rest["items"]] == [1]
    assert rest["next_cursor"] is None


def test_a_cursor_beyond_any_row_is_a_422_naming_it(api: TestClient) -> None:
    """No row's id passes 2**63 - 1 (a 500 from the database's integers before)."""
    beyond = api.get("/v1/configuration-changes", params={"cursor": str(2**63)})
    assert fields(beyond) == ["cursor"]
    last = api.get("/v1/configuration-changes", params={"cursor": str(2**63 - 1)})
    assert last.status_code == 200, last.text


def test_the_demos_changes_are_authored_as_the_api_documents_it(
    api: TestClient, clock: Clock
) -> None:
    """The demo records its configuration as `demo`: the API's description of the
    changes names that author, and no other for the demo."""
    assert seed_demo(api.app.state.uow(), clock()) is True  # type: ignore[attr-defined]

    authors = {change["by"] for change in _changes(api, limit="200")}
    kinds = {kind: _changes(api, kind=kind, limit="1") for kind in ConfigurationKind}
    paths = api.get("/openapi.json").json()["paths"]
    described = paths["/v1/configuration-changes"]["get"]["description"]

    assert authors == {DEMO_AUTHOR} == {"demo"}
    demo_kinds = [kind for kind, found in kinds.items() if found]
    assert set(demo_kinds) == {
        *("channel", "availability_view", "sourcing_profile", "location"),
        *("location_operations", "location_costs", "carrier_service", "rate_card"),
        *("tax_settings", "tax_rates", "promotion", "exchange_rates", "customs_rates"),
        "return_policy",
    }
    assert "`demo`" in described
    assert "`ordino`" not in described


def test_keys_and_webhooks_are_recorded_with_who_made_and_removed_them(
    api: TestClient, clock: Clock, key_for: Callable[[Role], str]
) -> None:
    """Who may call Ordino, and where it sends every order's events (the customers'
    data), are configuration as much as a hold rule: each change names its author,
    and no record holds a key, its hash or a webhook's secret."""
    alice = key_for(Role.ADMIN)
    alice_id = api.get("/v1/keys").json()["items"][-1]["id"]
    made = api.post("/v1/keys", json={"role": "channel", "channel": "web"}, headers=_as(alice))
    hook = api.post(
        "/v1/webhooks", json={"url": "https://hooks.example.com/o", "event_types": ["*"]}
    )
    clock.advance(minutes=5)
    revoked = api.delete(f"/v1/keys/{made.json()['id']}")
    removed = api.delete(f"/v1/webhooks/{hook.json()['id']}", headers=_as(alice))

    assert (made.status_code, hook.status_code, revoked.status_code) == (201, 201, 204)
    assert removed.status_code == 204
    found = _changes(api)
    key_id, hook_id = made.json()["id"], hook.json()["id"]
    assert [(c["kind"], c["name"], c["action"], c["by"]) for c in found] == [
        ("webhook", hook_id, "removed", f"key:{alice_id}"),
        ("api_key", key_id, "changed", f"key:{ENVIRONMENT}"),
        ("webhook", hook_id, "created", f"key:{ENVIRONMENT}"),
        ("api_key", key_id, "created", f"key:{alice_id}"),
        ("api_key", alice_id, "created", "ordino"),  # made by the test itself
    ]
    assert found[1]["changes"] == [{"path": "revoked", "before": False, "after": True}]
    assert found[2]["after"] == {"url": "https://hooks.example.com/o", "event_types": ["*"]}
    assert found[3]["after"] == {
        "role": "channel",
        "name": None,
        "channel": "web",
        "location_id": None,
        "revoked": False,
    }
    everything = api.get("/v1/configuration-changes").text
    assert made.json()["key"] not in everything and hook.json()["secret"] not in everything


def test_how_locations_work_carriers_rate_cards_and_costs_are_recorded_with_their_author(
    api: TestClient, clock: Clock, key_for: Callable[[Role], str]
) -> None:
    """What a location is and how it works, the carriers, what they charge and what
    each location spends decide every promise and every sourcing plan: each change
    names its author, with the documents before and after."""
    alice = key_for(Role.ADMIN)
    alice_by = f"key:{api.get('/v1/keys').json()['items'][-1]['id']}"
    environment = f"key:{ENVIRONMENT}"
    network(api)
    moved = a_location_body(name="Berlin DC Nord")
    assert api.put("/v1/locations/DC-BER", json=moved, headers=_as(alice)).status_code == 200
    hours = api.put("/v1/locations/DC-BER/operations", json=an_operations_body())
    less = an_operations_body(capacity={"limit": 300, "unit": "orders"}, version=1)
    fewer = api.put("/v1/locations/DC-BER/operations", json=less, headers=_as(alice))
    costs = api.put("/v1/locations/DC-BER/costs", json={"per_order": "1.50"}, headers=_as(alice))
    service = api.put("/v1/carrier-services/dhl", json=a_carrier_service_body())
    card = api.put("/v1/rate-cards/dhl", json=CARD, headers=_as(alice))
    clock.advance(minutes=5)
    gone_card = api.delete("/v1/rate-cards/dhl")
    gone_service = api.delete("/v1/carrier-services/dhl", headers=_as(alice))

    assert [r.status_code for r in (hours, fewer, costs, service, card)] == [
        201,
        200,
        201,
        201,
        201,
    ]
    assert (gone_card.status_code, gone_service.status_code) == (204, 204)
    found = _changes(api)
    assert [(c["kind"], c["name"], c["action"], c["version"], c["by"]) for c in found] == [
        ("carrier_service", "dhl", "removed", None, alice_by),
        ("rate_card", "dhl", "removed", None, environment),
        ("rate_card", "dhl", "created", 1, alice_by),
        ("carrier_service", "dhl", "created", 1, environment),
        ("location_costs", "DC-BER", "created", 1, alice_by),
        ("location_operations", "DC-BER", "changed", 2, alice_by),
        ("location_operations", "DC-BER", "created", 1, environment),
        ("location", "DC-BER", "changed", None, alice_by),
        ("location", "DC-BER", "created", None, environment),
        ("api_key", alice_by.removeprefix("key:"), "created", None, "ordino"),
    ]
    assert found[7]["changes"] == [
        {"path": "name", "before": "Berlin DC", "after": "Berlin DC Nord"}
    ]
    assert found[5]["changes"] == [{"path": "capacity.limit", "before": 500, "after": 300}]
    assert found[4]["after"]["per_order"] == "1.50"
    assert found[2]["after"] == found[1]["before"] and found[1]["before"]["currency"] == "EUR"
    assert found[0]["before"]["carrier"] == "DHL"
    assert [c["name"] for c in _changes(api, kind="location")] == ["DC-BER", "DC-BER"]


def test_a_refused_setting_records_nothing(api: TestClient) -> None:
    """A change the API turns away (stale version, unknown location, bad document,
    nothing to remove) leaves no record: the record says what is configured."""
    network(api)
    assert api.put("/v1/locations/DC-BER/operations", json=an_operations_body()).status_code == 201
    assert api.put("/v1/rate-cards/dhl", json=CARD).status_code == 201
    before = _changes(api)

    answers = [
        api.put("/v1/locations/DC-BER/operations", json=an_operations_body(version=7)),
        api.put("/v1/locations/NOWHERE/operations", json=an_operations_body()),
        api.put("/v1/locations/NOWHERE/costs", json={"per_order": "1.00"}),
        api.put("/v1/rate-cards/dhl", json=CARD | {"version": 9}),
        api.put("/v1/rate-cards/dhl", json=CARD | {"zones": []}),
        api.put("/v1/carrier-services/ups", json=a_carrier_service_body(level="nope")),
        api.put("/v1/locations/DC-BER", json=a_location_body(type="castle")),
        api.delete("/v1/carrier-services/nothing"),
        api.delete("/v1/rate-cards/nothing"),
    ]

    assert [r.status_code for r in answers] == [409, 404, 404, 409, 422, 422, 422, 404, 404]
    assert _changes(api) == before
