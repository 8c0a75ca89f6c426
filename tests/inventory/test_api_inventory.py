"""Stock over HTTP: counts, snapshots, deltas and the movements they make.

Every refusal is a problem document naming the field, and leaves the data as it was.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from tests.conftest import Clock
from tests.support.api import fields, levels, network, position, refused, stock
from tests.support.builders import an_adjustment_body, an_order_body


def _on_hand(api: TestClient, sku: str, location_id: str = "DC-BER") -> int | None:
    found = position(api, location_id, sku)
    return None if found is None else int(found["on_hand"])


def _adjust(api: TestClient, *adjustments: dict[str, Any]) -> Response:
    return api.post("/v1/inventory/adjustments", json={"adjustments": list(adjustments)})


def _movements(api: TestClient, sku: str = "SKU-1", **params: Any) -> dict[str, Any]:
    response = api.get(f"/v1/inventory/DC-BER/{sku}/movements", params=params)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


# Counts of one position


def test_put_position_sets_on_hand_and_safety_stock(api: TestClient, clock: Clock) -> None:
    network(api)

    first = api.put("/v1/inventory/DC-BER/SKU-1", json={"on_hand": 10, "safety_stock": 2})
    clock.advance(minutes=1)
    counted = api.put("/v1/inventory/DC-BER/SKU-1", json={"on_hand": 12})

    assert (first.status_code, counted.status_code) == (201, 200)  # created, then replaced
    assert first.json() == {
        "location_id": "DC-BER",
        "sku": "SKU-1",
        "on_hand": 10,
        "reserved": 0,
        "safety_stock": 2,
        "available": 8,
        "short": 0,
        "counted_at": "2026-11-02T09:00:00+00:00",
    }
    assert counted.json() == first.json() | {
        "on_hand": 12,
        "available": 10,
        "counted_at": "2026-11-02T09:01:00+00:00",
    }


@pytest.mark.parametrize(
    ("path", "problem_field", "value"),
    [
        ("/v1/inventory/DC-404/SKU-1", "location_id", "DC-404"),
        ("/v1/inventory/DC-BER/SKU-404", "sku", "SKU-404"),
    ],
)
def test_a_position_of_an_unknown_location_or_sku_is_404(
    api: TestClient, path: str, problem_field: str, value: str
) -> None:
    network(api)

    body = refused(api.put(path, json={"on_hand": 5}), 404, "not-found")

    assert body[problem_field] == value
    assert position(api, "DC-BER", "SKU-1") is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"on_hand": -1}, "on_hand"),
        ({"on_hand": "5"}, "on_hand"),
        ({"on_hand": 1.5}, "on_hand"),
        ({"on_hand": 5, "safety_stock": -1}, "safety_stock"),
        ({"safety_stock": 1}, "on_hand"),
        ({"on_hand": 5, "reserved": 0}, "reserved"),
        ({"on_hand": 5, "counted_at": "2026-11-02T09:00:00"}, "counted_at"),
        ({"on_hand": 5, "counted_at": "2026-11-03T09:00:00Z"}, "counted_at"),  # the future
    ],
)
def test_a_bad_position_is_refused_and_changes_nothing(
    api: TestClient, body: dict[str, Any], field: str
) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)

    assert fields(api.put("/v1/inventory/DC-BER/SKU-1", json=body)) == [field]
    assert _on_hand(api, "SKU-1") == 10


def test_a_count_below_reserved_is_taken_and_the_position_is_short(api: TestClient) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    assert api.post("/v1/orders", json=an_order_body(("SKU-1", 3))).status_code == 201

    response = api.put("/v1/inventory/DC-BER/SKU-1", json={"on_hand": 2, "safety_stock": 1})

    assert response.status_code == 200
    assert (response.json()["on_hand"], response.json()["short"]) == (2, 1)
    assert levels(api, "DC-BER", "SKU-1") == (0, 2, 3, 1)


# Bulk counts and snapshots


def test_counts_apply_and_an_older_count_is_superseded(api: TestClient, clock: Clock) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    earlier = (clock() - timedelta(minutes=5)).isoformat()

    response = api.post(
        "/v1/inventory/counts",
        json={
            "counted_at": earlier,
            "counts": [
                {"location_id": "DC-BER", "sku": "SKU-1", "on_hand": 99},
                {"location_id": "DC-BER", "sku": "SKU-2", "on_hand": 4, "safety_stock": 1},
            ],
        },
    )

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "location_id": "DC-BER",
            "sku": "SKU-1",
            "status": "superseded",
            "on_hand": 10,
            "short": 0,
        },
        {"location_id": "DC-BER", "sku": "SKU-2", "status": "applied", "on_hand": 4, "short": 0},
    ]
    assert (_on_hand(api, "SKU-1"), _on_hand(api, "SKU-2")) == (10, 4)


@pytest.mark.parametrize(
    ("counts", "field"),
    [
        ([{"location_id": "DC-404", "sku": "SKU-1", "on_hand": 1}], "counts[1].location_id"),
        ([{"location_id": "DC-BER", "sku": "SKU-404", "on_hand": 1}], "counts[1].sku"),
        ([{"location_id": "DC-BER", "sku": "SKU-2", "on_hand": 1}], "counts[1]"),  # twice
        ([{"location_id": "DC-BER", "sku": "SKU-1"}], "counts[1].on_hand"),
    ],
)
def test_a_bad_count_refuses_the_whole_feed(
    api: TestClient, counts: list[dict[str, Any]], field: str
) -> None:
    network(api)
    first = {"location_id": "DC-BER", "sku": "SKU-2", "on_hand": 5}

    response = api.post("/v1/inventory/counts", json={"counts": [first, *counts]})

    assert fields(response) == [field]
    assert position(api, "DC-BER", "SKU-2") is None


def test_a_snapshot_replaces_the_location_and_a_late_older_one_changes_nothing(
    api: TestClient, clock: Clock
) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    older, newer = clock(), clock.advance(minutes=2)

    applied = api.post(
        "/v1/inventory/snapshots",
        json={
            "location_id": "DC-BER",
            "counted_at": newer.isoformat(),
            "positions": [{"sku": "SKU-2", "on_hand": 3}],
        },
    )
    late = api.post(
        "/v1/inventory/snapshots",
        json={
            "location_id": "DC-BER",
            "counted_at": older.isoformat(),
            "positions": [{"sku": "SKU-1", "on_hand": 50}],
        },
    )

    assert applied.json() == {
        "location_id": "DC-BER",
        "counted_at": newer.isoformat(),
        "listed": 1,
        "zeroed": 1,
        "applied": 2,
        "superseded": 0,
        "short": [],
    }
    assert (late.json()["applied"], late.json()["superseded"]) == (0, 2)
    assert (_on_hand(api, "SKU-1"), _on_hand(api, "SKU-2")) == (0, 3)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"location_id": "DC-BER", "positions": []}, "counted_at"),
        (
            {"location_id": "DC-BER", "counted_at": "2026-11-02T08:00:00", "positions": []},
            "counted_at",
        ),
        (
            {
                "location_id": "DC-BER",
                "counted_at": "2026-11-02T08:00:00Z",
                "positions": [{"sku": "SKU-404", "on_hand": 1}],
            },
            "positions[0].sku",
        ),
    ],
)
def test_a_bad_snapshot_is_refused(api: TestClient, body: dict[str, Any], field: str) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)

    assert fields(api.post("/v1/inventory/snapshots", json=body)) == [field]
    assert _on_hand(api, "SKU-1") == 10


# Adjustments


def test_adjustments_apply_their_deltas(api: TestClient, clock: Clock) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    clock.advance(minutes=1)

    response = _adjust(
        api, an_adjustment_body("E-1", -4), an_adjustment_body("E-2", 7, sku="SKU-2")
    )

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {"event_id": "E-1", "status": "applied", "on_hand": 6, "short": 0},
            {"event_id": "E-2", "status": "applied", "on_hand": 7, "short": 0},
        ]
    }
    assert (_on_hand(api, "SKU-1"), _on_hand(api, "SKU-2")) == (6, 7)


def test_an_event_sent_again_is_applied_once(api: TestClient, clock: Clock) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    clock.advance(minutes=1)
    _adjust(api, an_adjustment_body("E-1", 5))

    again = _adjust(api, an_adjustment_body("E-1", 5), an_adjustment_body("E-2", 1))

    assert [(r["event_id"], r["status"]) for r in again.json()["results"]] == [
        ("E-1", "duplicate"),
        ("E-2", "applied"),
    ]
    assert _on_hand(api, "SKU-1") == 16


def test_a_delta_from_before_the_last_count_is_already_counted(
    api: TestClient, clock: Clock
) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    before_count = (clock() - timedelta(seconds=1)).isoformat()

    response = _adjust(api, an_adjustment_body("E-1", -3, occurred_at=before_count))

    assert response.json()["results"][0]["status"] == "superseded"
    assert _on_hand(api, "SKU-1") == 10


@pytest.mark.parametrize(
    ("unknown", "field"),
    [
        ({"sku": "SKU-404"}, "adjustments[1].sku"),
        ({"location_id": "DC-404"}, "adjustments[1].location_id"),
    ],
)
def test_an_unknown_reference_refuses_the_whole_batch(
    api: TestClient, clock: Clock, unknown: dict[str, str], field: str
) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    clock.advance(minutes=1)

    response = _adjust(api, an_adjustment_body("E-1", 5), an_adjustment_body("E-2", 1, **unknown))

    assert fields(response) == [field]
    assert _on_hand(api, "SKU-1") == 10
    resent = _adjust(api, an_adjustment_body("E-1", 5))
    assert resent.json()["results"][0]["status"] == "applied"


def test_a_delta_below_reserved_is_taken_and_reported_short(api: TestClient, clock: Clock) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    assert api.post("/v1/orders", json=an_order_body(("SKU-1", 4))).status_code == 201
    clock.advance(minutes=1)

    response = _adjust(api, an_adjustment_body("E-2", -7))

    assert response.json()["results"] == [
        {"event_id": "E-2", "status": "applied", "on_hand": 3, "short": 1}
    ]
    assert levels(api, "DC-BER", "SKU-1") == (0, 3, 4, 0)


def test_an_event_id_repeated_within_a_request_is_refused(api: TestClient) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)

    response = _adjust(api, an_adjustment_body("E-1", 5), an_adjustment_body("E-1", 3))

    assert fields(response) == ["adjustments[1].event_id"]
    assert _on_hand(api, "SKU-1") == 10


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"adjustments": []}, "adjustments"),
        ({"adjustments": [an_adjustment_body(delta="5")]}, "adjustments[0].delta"),
        ({"adjustments": [an_adjustment_body(sku="-x")]}, "adjustments[0].sku"),
        ({"adjustments": [an_adjustment_body(event_id="")]}, "adjustments[0].event_id"),
        (
            {"adjustments": [an_adjustment_body(occurred_at="yesterday")]},
            "adjustments[0].occurred_at",
        ),
    ],
)
def test_a_malformed_batch_is_refused(api: TestClient, body: dict[str, Any], field: str) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)

    assert fields(api.post("/v1/inventory/adjustments", json=body)) == [field]
    assert _on_hand(api, "SKU-1") == 10


def test_on_hand_stops_at_the_maximum(api: TestClient, clock: Clock) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 0)
    clock.advance(minutes=1)
    for n in range(10):
        assert _adjust(api, an_adjustment_body(f"E-{n}", 100_000_000)).status_code == 200

    over = _adjust(api, an_adjustment_body("E-over", 1))

    assert over.json()["results"][0]["on_hand"] == 1_000_000_000
    assert _movements(api, limit=1)["items"][0] | {"id": 0, "recorded_at": ""} == {
        "id": 0,
        "kind": "adjustment",
        "quantity": 0,
        "on_hand_before": 1_000_000_000,
        "on_hand_after": 1_000_000_000,
        "safety_stock_after": 0,
        "reported": 1,
        "event_id": "E-over",
        "reference": None,
        "reason": None,
        "actor": "key:environment",
        "occurred_at": "2026-11-02T09:01:00+00:00",
        "recorded_at": "",
    }


# Movements


def test_movements_explain_a_position_page_by_page(api: TestClient, clock: Clock) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 10)
    clock.advance(minutes=1)
    _adjust(api, an_adjustment_body("E-1", -2, reason="damaged"))

    first = _movements(api, limit=1)
    rest = _movements(api, limit=1, cursor=first["next_cursor"])

    assert first["position"]["on_hand"] == 8
    assert [(m["kind"], m["on_hand_before"], m["on_hand_after"]) for m in first["items"]] == [
        ("adjustment", 10, 8)
    ]
    assert [(m["kind"], m["reported"]) for m in rest["items"]] == [("count", 10)]
    assert rest["next_cursor"] is None


def test_movements_of_no_position_are_404(api: TestClient) -> None:
    network(api)

    refused(api.get("/v1/inventory/DC-BER/SKU-1/movements"), 404, "not-found")


def test_a_cursor_beyond_any_movement_is_refused(api: TestClient) -> None:
    network(api)
    stock(api, "DC-BER", "SKU-1", 1)

    response = api.get(
        "/v1/inventory/DC-BER/SKU-1/movements", params={"cursor": 1497129739313508587143168}
    )

    assert fields(response) == ["cursor"]
