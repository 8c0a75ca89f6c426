"""Returns over HTTP: started for a delivered order, authorised by the policy's rule or
a person, declined, withdrawn, on their way, closed; the order's counters and
return state that follow; refusals (the policy's rule named, bad lines named) that
change nothing; the policy replaced and recorded; who may do what."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import update

from ordino.access.services.keys import create_key
from ordino.app.check import check_returns
from ordino.kernel.domain import Role
from ordino.network.adapters.sandbox_carrier import SandboxCarrier
from ordino.network.adapters.sandbox_tables import sandbox_labels
from ordino.network.domain import Address, LabelRequest
from ordino.orders.store.tables import order_lines
from ordino.privacy.domain.erasure import PersonalData
from ordino.privacy.store.erasure import SqlErasures
from ordino.returns.services import settle_label
from ordino.returns.store import return_labels
from tests.conftest import Clock
from tests.support.api import events_of, fields, network, order_of, place, refused, stock, work
from tests.support.builders import a_location_body
from tests.support.storage import rows

A = Address("Street 1", "Berlin", "10115", "DE")
POLICY: dict[str, Any] = {
    "windows": [{"days": 30}, {"days": 14, "product_class": "electronics"}],
    "non_returnable_skus": ["SKU-2"],
    "reasons": [
        {"code": "wrong_size", "label": "Wrong size"},
        {"code": "damaged", "label": "Arrived damaged"},
    ],
    "methods": ["store", "mail"],
    "auto_approve": "return.value < 100.0",
}


def deliver(api: TestClient, clock: Clock, order_id: str) -> None:
    """The order's parcels shipped, and delivered a day later (the clock moved on)."""
    work(api, clock)
    fulfillments = order_of(api, order_id)["fulfillments"]
    for fo in fulfillments:
        shipped = {"carrier": "dhl", "tracking_number": f"T-{fo['id'][-4:]}"}
        assert api.post(f"/v1/fulfillments/{fo['id']}/shipped", json=shipped).status_code == 200
    delivered_at = clock.advance(days=1).isoformat()
    for fo in fulfillments:
        done = {"delivered_at": delivered_at}
        response = api.post(f"/v1/fulfillments/{fo['id']}/delivered", json=done)
        assert response.status_code == 200, response.text


@pytest.fixture
def delivered(api: TestClient, clock: Clock) -> str:
    """An order of SKU-1 x3 and SKU-2 x1 (59.90 a unit) delivered from DC-BER."""
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    stock(api, "DC-BER", "SKU-2", 10)
    order_id: str = place(api, ("SKU-1", 3), ("SKU-2", 1))["id"]
    deliver(api, clock, order_id)
    return order_id


def start(
    api: TestClient,
    order_id: str,
    *lines: tuple[int, int],
    key: str = "k-1",
    method: str = "store",
    headers: dict[str, str] | None = None,
) -> Response:
    body = {
        "lines": [{"line_no": n, "quantity": q, "reason": "wrong_size"} for n, q in lines],
        "method": method,
    }
    return api.post(
        f"/v1/orders/{order_id}/returns",
        json=body,
        headers={"Idempotency-Key": key} | (headers or {}),
    )


def bearer(api: TestClient, clock: Clock, role: Role, **scope: str) -> dict[str, str]:
    """The headers of a new key of `role` (scoped to a `channel` or `location_id`)."""
    uow = api.app.state.uow()  # type: ignore[attr-defined]
    return {"Authorization": f"Bearer {create_key(role, str(role), uow, clock(), **scope)}"}


def counters(api: TestClient, order_id: str) -> list[tuple[int, int, int]]:
    """(returnable, being returned, returned) of each line."""
    order = order_of(api, order_id)
    return [(li["returnable"], li["being_returned"], li["returned"]) for li in order["lines"]]


def return_events(api: TestClient, order_id: str) -> list[str]:
    return [e["type"] for e in events_of(api, order_id) if e["type"].startswith("return.")]


def test_a_return_of_delivered_units_is_started_and_authorised_by_the_default_policy(
    api: TestClient, delivered: str
) -> None:
    response = start(api, delivered, (1, 2))

    assert response.status_code == 201, response.text
    ra = response.json()
    assert response.headers["location"] == f"/v1/returns/{ra['id']}"
    assert (ra["status"], ra["initiator"], ra["method"], ra["decided_by"]) == (
        "authorised",
        "agent",
        "store",
        "policy:auto_approve",
    )
    assert ra["code"].startswith("R") and len(ra["code"]) == 10
    assert ra["lines"] == [
        {
            "line_no": 1,
            "sku": "SKU-1",
            "quantity": 2,
            "reason": "wrong_size",
            "note": None,
            "received": 0,
            "missing": 0,
            "open": 2,
            "destination": "DC-BER",  # the one warehouse, which has plenty
            "route": "cheapest",
            "exchange_sku": None,
        }
    ]
    assert counters(api, delivered) == [(1, 2, 0), (1, 0, 0)]
    assert order_of(api, delivered)["return_state"] == "in_progress"
    assert return_events(api, delivered) == ["return.requested", "return.authorised"]
    assert api.get(f"/v1/returns/{ra['id']}").json() == ra
    assert api.get(f"/v1/orders/{delivered}/returns").json() == {"items": [ra]}


def test_a_retried_start_gets_the_first_answer_and_starts_one_return(
    api: TestClient, delivered: str
) -> None:
    first = start(api, delivered, (1, 1))
    again = start(api, delivered, (1, 1))

    assert (again.status_code, again.headers["Idempotent-Replayed"]) == (201, "true")
    assert again.json() == first.json()
    assert len(api.get(f"/v1/orders/{delivered}/returns").json()["items"]) == 1
    refused(start(api, delivered, (1, 2)), 409, "idempotency-key-reused")
    assert refused(start(api, delivered), 422, "invalid-input")  # no key needed to refuse


def test_a_start_needs_an_idempotency_key(api: TestClient, delivered: str) -> None:
    body = {"lines": [{"line_no": 1, "quantity": 1, "reason": "wrong_size"}], "method": "store"}
    response = api.post(f"/v1/orders/{delivered}/returns", json=body)
    assert fields(response) == ["idempotency-key"]


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        (((1, 4),), "lines[0].quantity"),  # 3 delivered
        (((3, 1),), "lines[0].line_no"),  # the order has two lines
        (((1, 1), (1, 1)), "lines[1].line_no"),
    ],
)
def test_returning_what_the_order_cannot_return_is_refused_naming_the_line(
    api: TestClient, delivered: str, lines: tuple[tuple[int, int], ...], field: str
) -> None:
    assert fields(start(api, delivered, *lines)) == [field]
    assert counters(api, delivered) == [(3, 0, 0), (1, 0, 0)]
    assert api.get(f"/v1/orders/{delivered}/returns").json() == {"items": []}
    assert return_events(api, delivered) == []


def test_units_not_delivered_yet_cannot_be_returned(api: TestClient, clock: Clock) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    order_id = place(api, ("SKU-1", 1))["id"]
    work(api, clock)

    response = start(api, order_id, (1, 1))

    assert fields(response) == ["lines[0].quantity"]
    assert "none of the line's units" in response.json()["errors"][0]["message"]


def test_several_returns_share_what_may_be_returned(api: TestClient, delivered: str) -> None:
    assert start(api, delivered, (1, 2), key="a").status_code == 201
    assert start(api, delivered, (1, 1), key="b").status_code == 201
    assert fields(start(api, delivered, (1, 1), key="c")) == ["lines[0].quantity"]
    assert counters(api, delivered) == [(0, 3, 0), (1, 0, 0)]


def test_the_policy_refuses_naming_its_rule_and_changes_nothing(
    api: TestClient, clock: Clock, delivered: str
) -> None:
    assert api.put("/v1/return-policy", json=POLICY).status_code == 200

    not_taken = refused(start(api, delivered, (2, 1)), 409, "not-allowed")
    by_carrier = refused(start(api, delivered, (1, 1), method="carrier_pickup"), 409, "not-allowed")
    clock.advance(days=31)
    too_late = refused(start(api, delivered, (1, 1)), 409, "not-allowed")

    assert (not_taken["rule"], not_taken["field"], not_taken["sku"]) == (
        "non_returnable",
        "lines[0].line_no",
        "SKU-2",
    )
    assert (by_carrier["rule"], by_carrier["offered"]) == ("methods", ["store", "mail"])
    assert (too_late["rule"], too_late["window"]["days"]) == ("window", 30)
    assert counters(api, delivered) == [(3, 0, 0), (1, 0, 0)]
    assert return_events(api, delivered) == []


def test_a_reason_the_policy_does_not_know_is_named(api: TestClient, delivered: str) -> None:
    body = {"lines": [{"line_no": 1, "quantity": 1, "reason": "bored"}], "method": "store"}
    response = api.post(
        f"/v1/orders/{delivered}/returns", json=body, headers={"Idempotency-Key": "k"}
    )
    assert fields(response) == ["lines[0].reason"]


def test_a_return_the_rule_does_not_approve_waits_for_a_person(
    api: TestClient, delivered: str, key_for: Callable[[Role], str]
) -> None:
    assert api.put("/v1/return-policy", json=POLICY).status_code == 200
    small = start(api, delivered, (1, 1), key="a").json()  # 59.90
    large = start(api, delivered, (1, 2), key="b").json()  # 119.80
    assert (small["status"], large["status"]) == ("authorised", "requested")
    queue = api.get("/v1/returns", params={"status": "requested"}).json()
    assert [r["id"] for r in queue["items"]] == [large["id"]]

    agent = {"Authorization": f"Bearer {key_for(Role.AGENT)}"}
    decided = api.post(f"/v1/returns/{large['id']}/authorise", json={}, headers=agent)

    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "authorised"
    assert decided.json()["decided_by"].startswith("key:")
    again = api.post(f"/v1/returns/{large['id']}/authorise", json={}, headers=agent)
    assert refused(again, 409, "illegal-transition")["from"] == "authorised"


def test_a_declined_return_gives_its_units_back(api: TestClient, delivered: str) -> None:
    api.put("/v1/return-policy", json=POLICY | {"auto_approve": "false"})
    ra = start(api, delivered, (1, 2)).json()

    declined = api.post(f"/v1/returns/{ra['id']}/decline", json={"reason": "worn"}).json()

    assert (declined["status"], declined["reason"]) == ("declined", "worn")
    assert counters(api, delivered) == [(3, 0, 0), (1, 0, 0)]
    assert order_of(api, delivered)["return_state"] == "none"
    assert return_events(api, delivered) == ["return.requested", "return.declined"]


def test_withdrawn_before_it_travels_and_closed_with_what_never_came(
    api: TestClient, delivered: str
) -> None:
    withdrawn = start(api, delivered, (1, 1), key="a").json()
    lost = start(api, delivered, (1, 2), key="b").json()

    cancelled = api.post(f"/v1/returns/{withdrawn['id']}/cancel", json={"reason": "kept it"})
    on_its_way = api.post(f"/v1/returns/{lost['id']}/in-transit", json={})
    too_late = api.post(f"/v1/returns/{lost['id']}/cancel", json={})
    closed = api.post(f"/v1/returns/{lost['id']}/close", json={"reason": "lost by the carrier"})

    assert cancelled.json()["status"] == "cancelled"
    assert on_its_way.json()["status"] == "in_transit"
    refused(too_late, 409, "illegal-transition")
    assert (closed.json()["status"], closed.json()["lines"][0]["missing"]) == ("closed", 2)
    assert cancelled.json()["lines"][0]["open"] == 0  # it holds none
    # The withdrawn unit may be returned again; those lost on their way back may not.
    assert counters(api, delivered) == [(1, 0, 2), (1, 0, 0)]
    assert return_events(api, delivered)[-3:] == [
        "return.cancelled",
        "return.in_transit",
        "return.closed",
    ]


def test_a_return_of_another_channels_order_is_not_found(
    api: TestClient, clock: Clock, delivered: str
) -> None:
    app = bearer(api, clock, Role.CHANNEL, channel="app")
    ra = start(api, delivered, (1, 1)).json()

    assert refused(start(api, delivered, (1, 1), key="x", headers=app), 404, "not-found")
    assert refused(api.get(f"/v1/returns/{ra['id']}", headers=app), 404, "not-found")
    assert refused(
        api.post(f"/v1/returns/{ra['id']}/cancel", json={}, headers=app), 404, "not-found"
    )
    assert api.get("/v1/returns", headers=app).json()["items"] == []
    assert api.get(f"/v1/returns/{ra['id']}").status_code == 200  # still there


def test_a_store_starts_a_return_at_its_store(api: TestClient, clock: Clock) -> None:
    network(api)
    store = a_location_body(
        name="Hamburg", type="store", ships=False, pickup=True, latitude=53.55, longitude=9.99
    )
    assert api.put("/v1/locations/ST-HAM", json=store).status_code == 201
    stock(api, "ST-HAM", "SKU-1", 5)
    order_id = place(api, ("SKU-1", 1), promise={"option_id": "pickup:ST-HAM"})["id"]
    work(api, clock)
    [fo] = order_of(api, order_id)["fulfillments"]
    assert api.post(f"/v1/fulfillments/{fo['id']}/ready").status_code == 200
    [ready] = [e for e in events_of(api, order_id) if e["type"] == "fulfillment.ready_for_pickup"]
    handed = {"code": ready["data"]["pickup_code"]}
    assert api.post(f"/v1/fulfillments/{fo['id']}/picked-up", json=handed).status_code == 200
    store_key = bearer(api, clock, Role.STORE, location_id="ST-HAM")

    ra = start(api, order_id, (1, 1), headers=store_key).json()

    assert (ra["initiator"], ra["location_id"], ra["status"]) == ("store", "ST-HAM", "authorised")
    denied = api.post(f"/v1/returns/{ra['id']}/close", json={}, headers=store_key)
    assert refused(denied, 403, "forbidden")


def test_a_policy_that_cannot_apply_is_refused_naming_its_field(api: TestClient) -> None:
    bad = POLICY | {"windows": [{"days": 30}, {"days": 9}], "auto_approve": "return.value <"}
    assert fields(api.put("/v1/return-policy", json=bad)) == ["windows[1]"]
    condition = POLICY | {"auto_approve": "return.valeu < 3.0"}
    assert fields(api.put("/v1/return-policy", json=condition)) == ["auto_approve"]
    typo = POLICY | {"windows": [{"days": 30}, {"days": 60, "channel": "ap"}]}
    assert fields(api.put("/v1/return-policy", json=typo)) == ["windows[1].channel"]
    yen = POLICY | {"refunds": {"return_shipping_fees": {"JPY": "2.95"}}}
    assert fields(api.put("/v1/return-policy", json=yen)) == ["refunds.return_shipping_fees.JPY"]
    assert api.get("/v1/return-policy").json()["default"] is True


def test_the_policy_is_replaced_and_the_change_recorded(api: TestClient) -> None:
    assert api.get("/v1/return-policy").json()["windows"] == [
        {"days": 30, "channel": None, "product_class": None}
    ]
    saved = api.put("/v1/return-policy", json=POLICY).json()

    assert (saved["version"], saved["default"], saved["methods"]) == (1, False, ["store", "mail"])
    assert api.get("/v1/return-policy").json() == saved
    changes = api.get("/v1/configuration-changes", params={"kind": "return_policy"}).json()
    assert [(c["name"], c["action"]) for c in changes["items"]] == [("default", "changed")]
    fees = POLICY | {
        "refunds": {"return_shipping_fee": "4.95", "return_shipping_fees": {"GBP": "3.95"}}
    }
    refunds = api.put("/v1/return-policy", json=fees).json()["refunds"]
    assert (refunds["return_shipping_fee"], refunds["return_shipping_fees"]) == (
        "4.95",
        {"GBP": "3.95"},
    )


def test_ordino_check_finds_counters_that_disagree_with_the_returns(
    api: TestClient, delivered: str
) -> None:
    state: Any = api.app.state  # type: ignore[attr-defined]
    start(api, delivered, (1, 2))
    assert check_returns(state.uow()) == []

    with state.engine.begin() as connection:
        connection.execute(
            update(order_lines)
            .where(order_lines.c.order_id == delivered, order_lines.c.line_no == 1)
            .values(being_returned=1, returned=1)
        )

    assert check_returns(state.uow()) == [
        (
            delivered,
            1,
            "returned 1 and being returned 1, its returns hold 0 received or missing and 2 open",
        )
    ]


def test_an_authorised_return_is_routed_and_the_decision_explained(
    api: TestClient, delivered: str
) -> None:
    """DC-BER has 7 of SKU-1 left, and orders wait for none: the one warehouse, the
    cheapest; the decision lists the places weighed."""
    ra = start(api, delivered, (1, 1)).json()

    [decision] = api.get(f"/v1/returns/{ra['id']}/routing").json()["items"]

    assert decision["reason"] == "authorised"
    [line] = decision["lines"]
    assert (line["line_no"], line["destination"], line["why"]) == (1, "DC-BER", "cheapest")
    assert [c["location_id"] for c in line["candidates"]] == ["DC-BER"]


def test_goods_worth_less_than_sending_them_back_are_kept_by_the_customer(
    api: TestClient, delivered: str
) -> None:
    policy = POLICY | {"non_returnable_skus": [], "routing": {"parcel_cost": "200.00"}}
    saved = api.put("/v1/return-policy", json=policy)
    assert saved.json()["routing"]["parcel_cost"] == "200.00", saved.text

    ra = start(api, delivered, (1, 1)).json()

    assert [(li["destination"], li["route"]) for li in ra["lines"]] == [(None, "returnless")]
    [decision] = api.get(f"/v1/returns/{ra['id']}/routing").json()["items"]
    assert (decision["lines"][0]["value"], decision["lines"][0]["sending_back"]) == (
        "59.90",
        "201.27",  # the parcel, and 255 km from Hamburg to DC-BER at 0.005 a km
    )


def test_a_routing_profile_that_cannot_apply_is_named(api: TestClient) -> None:
    bad = POLICY | {"routing": {"need_credit": "1.5", "cost_per_km": "-1"}}
    assert sorted(fields(api.put("/v1/return-policy", json=bad))) == [
        "routing.cost_per_km",
        "routing.need_credit",
    ]
    cents = POLICY | {"refunds": {"return_shipping_fee": "4.999"}}
    assert fields(api.put("/v1/return-policy", json=cents)) == ["refunds.return_shipping_fee"]


def test_a_list_shows_what_the_caller_may_see_a_page_at_a_time(
    api: TestClient, clock: Clock, delivered: str
) -> None:
    ids = []
    for n in range(3):
        clock.advance(seconds=1)  # ids follow time
        ids.append(start(api, delivered, (1, 1), key=f"k-{n}").json()["id"])
    app = bearer(api, clock, Role.CHANNEL, channel="app")

    first = api.get("/v1/returns", params={"limit": 2}).json()
    rest = api.get("/v1/returns", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    theirs = api.get("/v1/returns", params={"limit": 1}, headers=app).json()

    assert [r["id"] for r in first["items"] + rest["items"]] == ids[::-1]
    assert rest["next_cursor"] is None
    assert theirs == {"items": [], "next_cursor": None}  # no other channel's id either
    assert fields(api.get("/v1/returns", params={"cursor": "G"})) == ["cursor"]


def test_a_store_sees_the_returns_going_to_it_and_withdraws_only_its_own(
    api: TestClient, clock: Clock, delivered: str
) -> None:
    """The order shipped from DC-BER; its returns go to DC-BER (the one warehouse):
    a store key of DC-BER sees them, one of another store does not; neither withdraws
    a return customer service started."""
    store = a_location_body(name="Hamburg", type="store", ships=False)
    assert api.put("/v1/locations/ST-HAM", json=store).status_code == 201
    ber = bearer(api, clock, Role.STORE, location_id="DC-BER")
    ham = bearer(api, clock, Role.STORE, location_id="ST-HAM")
    ra = start(api, delivered, (1, 1)).json()

    assert api.get(f"/v1/returns/{ra['id']}", headers=ber).status_code == 200
    assert [r["id"] for r in api.get("/v1/returns", headers=ber).json()["items"]] == [ra["id"]]
    assert refused(api.get(f"/v1/returns/{ra['id']}", headers=ham), 404, "not-found")
    assert api.get("/v1/returns", headers=ham).json()["items"] == []
    withdrawn = api.post(f"/v1/returns/{ra['id']}/cancel", json={}, headers=ber)
    assert refused(withdrawn, 403, "forbidden")
    assert api.get(f"/v1/returns/{ra['id']}").json()["status"] == "authorised"


def test_an_open_return_keeps_its_customer_and_an_erasure_rewrites_what_they_wrote(
    api: TestClient, clock: Clock, delivered: str
) -> None:
    """Their note, the address on the label, the distances from their address in the
    routing."""
    note = "Ada Lovelace, call me."
    body = {
        "lines": [{"line_no": 1, "quantity": 1, "reason": "wrong_size", "note": note}],
        "method": "mail",
    }
    started = api.post(
        f"/v1/orders/{delivered}/returns", json=body, headers={"Idempotency-Key": "n"}
    ).json()
    exported = api.post("/v1/customer-data/exports", json={"email": "ada@example.com"}).json()
    assert exported["orders"][0]["returns"][0]["id"] == started["id"]

    refusal = api.post("/v1/customer-data/erasures", json={"email": "ada@example.com"})
    problem = refused(refusal, 409, "conflict")
    assert problem["open_returns"] == [
        {"id": started["id"], "order_id": delivered, "status": "authorised"}
    ]
    assert api.get(f"/v1/returns/{started['id']}").json()["lines"][0]["note"] == note
    work(api, clock)  # its label booked

    api.post(f"/v1/returns/{started['id']}/close", json={"reason": "Ada Lovelace kept it"})
    erased = api.post("/v1/customer-data/erasures", json={"email": "ada@example.com"})

    assert erased.status_code == 201, erased.text
    assert erased.json()["records"]["returns"] == 4  # reason, note, label, routing
    after = api.get(f"/v1/returns/{started['id']}").json()
    assert "Ada" not in after["lines"][0]["note"] and "Ada" not in after["reason"]
    label = api.get(f"/v1/returns/{started['id']}/label").text
    assert "Ada Lovelace" not in label and "Jungfernstieg" not in label
    [routed] = api.get(f"/v1/returns/{started['id']}/routing").json()["items"]
    [place] = routed["lines"][0]["candidates"]
    assert (place["km"], place["transport"], place["total"], routed["lines"][0]["cost"]) == (
        None,
        None,
        None,
        None,
    )


def test_a_return_by_mail_gets_its_label_booked_once_by_the_worker(
    api: TestClient, clock: Clock, delivered: str
) -> None:
    ra = start(api, delivered, (1, 1), method="mail").json()
    assert ra["label"] is None
    assert refused(api.get(f"/v1/returns/{ra['id']}/label"), 404, "not-found")

    work(api, clock)
    work(api, clock)  # nothing more to do

    label = api.get(f"/v1/returns/{ra['id']}").json()["label"]
    assert label["carrier"] == "dhl" and label["tracking_number"].startswith("SB")
    printed = api.get(f"/v1/returns/{ra['id']}/label")
    assert printed.headers["content-type"] == "image/svg+xml"
    assert label["tracking_number"] in printed.text and ra["code"] in printed.text
    assert "Jungfernstieg 1" in printed.text  # from the customer's address
    assert return_events(api, delivered).count("return.label_created") == 1
    state: Any = api.app.state  # type: ignore[attr-defined]
    assert len(rows(state.engine, sandbox_labels)) == 1


def test_a_label_asked_again_after_a_crash_is_the_same_one(
    api: TestClient, clock: Clock, delivered: str
) -> None:
    """The worker asked the carrier, then died before keeping the label: asked again
    under the return's key, the carrier answers the same parcel."""
    state: Any = api.app.state  # type: ignore[attr-defined]
    ra = start(api, delivered, (1, 1), method="carrier_drop_off").json()
    carrier = SandboxCarrier(state.engine)
    first = carrier.return_label(
        f"return:{ra['id']}", LabelRequest("dhl", A, A, ra["code"]), clock()
    )

    work(api, clock)

    kept = api.get(f"/v1/returns/{ra['id']}").json()["label"]
    assert kept["tracking_number"] == first.tracking_number
    assert len(rows(state.engine, sandbox_labels)) == 1


def test_returns_dropped_at_a_store_or_kept_need_no_label(
    api: TestClient, clock: Clock, delivered: str
) -> None:
    at_store = start(api, delivered, (1, 1), key="a").json()
    policy = POLICY | {"non_returnable_skus": [], "routing": {"parcel_cost": "500.00"}}
    assert api.put("/v1/return-policy", json=policy).status_code == 200
    kept = start(api, delivered, (1, 1), key="b", method="mail").json()

    work(api, clock)

    for ra in (at_store, kept):
        assert api.get(f"/v1/returns/{ra['id']}").json()["label"] is None
    assert "return.label_created" not in return_events(api, delivered)


def test_the_return_code_is_drawn_as_a_qr_image(api: TestClient, delivered: str) -> None:
    ra = start(api, delivered, (1, 1)).json()

    image = api.get(f"/v1/returns/{ra['id']}/code.svg")

    assert image.headers["content-type"] == "image/svg+xml"
    assert image.text.startswith("<svg") and f"<title>{ra['code']}</title>" in image.text
    # A full QR code (21 modules or more, with its border of 2, 6 pixels each), never a
    # micro QR, which the scanners at a counter often cannot read.
    width = re.search(r'width="(\d+)"', image.text)
    assert width is not None and int(width.group(1)) >= (21 + 4) * 6


def test_an_erased_note_is_cut_to_its_column_when_the_customer_grows_in_it(
    api: TestClient, delivered: str
) -> None:
    """`[erased]` is longer than a short name it replaces: a note at its column's
    length would grow past it (PostgreSQL refuses that)."""
    note = "Anna " * 99 + "xyz"  # 498 characters
    body = {
        "lines": [{"line_no": 1, "quantity": 1, "reason": "wrong_size", "note": note}],
        "method": "store",
    }
    ra = api.post(
        f"/v1/orders/{delivered}/returns", json=body, headers={"Idempotency-Key": "n"}
    ).json()
    engine: Any = api.app.state.engine  # type: ignore[attr-defined]

    with engine.begin() as connection:
        SqlErasures(connection).rewrite_returns([delivered], PersonalData(("Anna",)))

    after = api.get(f"/v1/returns/{ra['id']}").json()["lines"][0]["note"]
    assert len(after) == 500 and after.startswith("[erased] [erased]")


def test_a_label_is_voided_with_the_carrier_when_the_return_is_withdrawn(
    api: TestClient, clock: Clock, delivered: str
) -> None:
    state: Any = api.app.state  # type: ignore[attr-defined]
    ra = start(api, delivered, (1, 1), method="mail").json()
    work(api, clock)  # booked
    assert api.get(f"/v1/returns/{ra['id']}/label").status_code == 200

    api.post(f"/v1/returns/{ra['id']}/cancel", json={})
    work(api, clock)

    assert refused(api.get(f"/v1/returns/{ra['id']}/label"), 404, "not-found")
    assert api.get(f"/v1/returns/{ra['id']}").json()["label"]["voided_at"] is not None
    [booked] = rows(state.engine, sandbox_labels)
    assert booked["voided_at"] is not None


def test_a_label_is_voided_when_the_return_closes_before_its_parcel_travelled(
    api: TestClient, clock: Clock, delivered: str
) -> None:
    state: Any = api.app.state  # type: ignore[attr-defined]
    never = start(api, delivered, (1, 1), method="mail").json()
    lost = start(api, delivered, (1, 1), method="mail", key="k-2").json()
    work(api, clock)  # both booked
    assert api.post(f"/v1/returns/{lost['id']}/in-transit", json={}).status_code == 200

    for ra in (never, lost):  # the customer kept it; the parcel was lost on its way
        assert api.post(f"/v1/returns/{ra['id']}/close", json={}).status_code == 200
    work(api, clock)

    labels = {r["return_id"]: r for r in rows(state.engine, return_labels)}
    assert labels[never["id"]]["voided_at"] is not None
    assert labels[lost["id"]]["voided_at"] is None  # it travelled: the carrier has it
    voided = [label["voided_at"] is not None for label in rows(state.engine, sandbox_labels)]
    assert sorted(voided) == [False, True]


def test_a_label_booked_while_the_return_was_withdrawn_is_voided(
    api: TestClient, clock: Clock, delivered: str
) -> None:
    """The worker asked the carrier; meanwhile the customer withdrew the return: the
    label is not kept, and the carrier is told the parcel will not travel."""
    state: Any = api.app.state  # type: ignore[attr-defined]
    ra = start(api, delivered, (1, 1), method="mail").json()
    sandbox = SandboxCarrier(state.engine)

    class Meanwhile:
        def return_label(self, key: str, request: LabelRequest, now: Any) -> Any:
            label = sandbox.return_label(key, request, now)
            assert api.post(f"/v1/returns/{ra['id']}/cancel", json={}).status_code == 200
            return label

        def void_label(self, key: str, now: Any) -> None:
            sandbox.void_label(key, now)

    settle_label(ra["id"], state.uow(), Meanwhile(), clock())

    assert api.get(f"/v1/returns/{ra['id']}").json()["label"] is None
    [booked] = rows(state.engine, sandbox_labels)
    assert booked["voided_at"] is not None


def test_the_customer_starts_a_return_with_their_link_and_sees_it(
    api: TestClient, delivered: str
) -> None:
    found = api.post(
        "/v1/self-service/lookup", json={"number": "W-1001", "email": "ada@example.com"}
    ).json()
    assert found["order"]["allowed"]["start_return"] is True
    path = f"/v1/self-service/orders/{found['token']}/returns"
    body = {"lines": [{"line_no": 1, "quantity": 2, "reason": "wrong_size"}], "method": "mail"}

    started = api.post(path, json=body, headers={"Authorization": ""})
    too_many = api.post(
        path,
        json=body | {"lines": [{"line_no": 1, "quantity": 2, "reason": "wrong_size"}]},
        headers={"Authorization": ""},
    )

    assert started.status_code == 201, started.text
    [mine] = started.json()["returns"]
    assert (mine["status"], mine["method"], mine["refunded"]) == ("authorised", "mail", "0")
    assert started.json()["lines"][0]["returnable"] == 1
    assert fields(too_many) == ["lines[0].quantity"]
    [ra] = api.get(f"/v1/orders/{delivered}/returns").json()["items"]
    assert (ra["initiator"], ra["started_by"], ra["code"]) == ("customer", "customer", mine["code"])


def test_a_store_starts_a_return_of_an_order_it_did_not_serve_with_the_customers_email(
    api: TestClient, clock: Clock, delivered: str
) -> None:
    store = a_location_body(name="Munich store", type="store", ships=False)
    assert api.put("/v1/locations/ST-MUC", json=store).status_code == 201
    munich = bearer(api, clock, Role.STORE, location_id="ST-MUC")
    body = {
        "lines": [{"line_no": 1, "quantity": 1, "reason": "wrong_size"}],
        "method": "store",
        "customer_email": "Ada@Example.com",
    }
    path = f"/v1/orders/{delivered}/returns"

    unproven = api.post(
        path, json=body | {"customer_email": None}, headers=munich | {"Idempotency-Key": "a"}
    )
    wrong = api.post(
        path,
        json=body | {"customer_email": "eve@example.com"},
        headers=munich | {"Idempotency-Key": "b"},
    )
    started = api.post(path, json=body, headers=munich | {"Idempotency-Key": "c"})

    assert refused(unproven, 404, "not-found") and refused(wrong, 404, "not-found")
    assert started.status_code == 201, started.text
    ra = started.json()
    assert (ra["initiator"], ra["location_id"], ra["status"]) == ("store", "ST-MUC", "authorised")
    mine = api.get(f"/v1/returns/{ra['id']}", headers=munich)
    assert mine.status_code == 200  # started there: the store sees it, and receives it
    too_many = body | {"lines": [{"line_no": 1, "quantity": 9, "reason": "wrong_size"}]}
    for n in range(6):  # the right e-mail, lines refused: no guess
        refused_lines = api.post(path, json=too_many, headers=munich | {"Idempotency-Key": f"l{n}"})
        assert refused_lines.status_code == 422
    guesses = [
        api.post(
            path,
            json=body | {"customer_email": f"x{n}@example.com"},
            headers=munich | {"Idempotency-Key": f"g{n}"},
        ).status_code
        for n in range(6)
    ]
    assert guesses[0] == 404 and guesses[-1] == 429  # five wrong e-mails for the order
    hamburg_store = a_location_body(name="Hamburg store", type="store", ships=False)
    assert api.put("/v1/locations/ST-HAM", json=hamburg_store).status_code == 201
    hamburg = bearer(api, clock, Role.STORE, location_id="ST-HAM")
    other = api.post(
        path,
        json=body | {"customer_email": "eve@example.com"},
        headers=hamburg | {"Idempotency-Key": "h"},
    )
    assert other.status_code == 429  # the order's guesses are counted for every store


def test_the_customers_last_notification_sent_again_is_their_returns_code(
    api: TestClient, delivered: str
) -> None:
    """Customer service sends the customer's last notification again: after a return
    was authorised, the one with its code to show."""
    ra = start(api, delivered, (1, 1)).json()

    resent = api.post(f"/v1/orders/{delivered}/notifications")

    assert resent.status_code == 201, resent.text
    [again] = [e for e in events_of(api, delivered) if e["type"] == "order.notification_resent"]
    event = again["data"]["event"]
    assert (event["type"], event["data"]["return"]["code"]) == ("return.authorised", ra["code"])
