"""The dashboard's figures over HTTP: a promised order shipped and delivered late, a
second order cancelled; the JSON and the CSV of the same days, a bad date refused
(422 naming it) and a store's key refused (403). The clock stands at Monday
2 November 2026, 09:00 UTC."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from ordino.kernel.domain.roles import Role
from tests.analytics.test_analytics import NOTHING
from tests.analytics.test_return_kpis import RETURN_FIGURES
from tests.conftest import Clock
from tests.support.api import fields, network, order_of, place, refused, stock, work
from tests.support.builders import a_carrier_service_body, an_operations_body, an_order_body

DAYS = {"from": "2026-11-02", "to": "2026-11-09"}


@pytest.fixture
def history(api: TestClient, clock: Clock) -> None:
    """W-1 (2 units, 119.80 EUR) promised by dhl-standard (4.90 EUR), shipped and
    delivered on 6 November, later than the latest date promised; W-2 cancelled."""
    network(api)
    assert api.put("/v1/locations/DC-BER/operations", json=an_operations_body()).status_code == 201
    service = a_carrier_service_body()
    assert api.put("/v1/carrier-services/dhl-standard", json=service).status_code == 201
    stock(api, "DC-BER", "SKU-1", 10)
    body = an_order_body(("SKU-1", 2)) | {"promise": {"option_id": "ship:dhl-standard"}}
    promised = api.post("/v1/orders", json=body)
    assert promised.status_code == 201, promised.text
    order = promised.json()
    cancelled = place(api, ("SKU-1", 1), external_id="W-2")
    assert api.post(f"/v1/orders/{cancelled['id']}/cancel").status_code == 200
    work(api, clock)
    [fo] = order_of(api, order["id"])["fulfillments"]
    shipped = {"carrier": "dhl", "tracking_number": "JD0001"}
    assert api.post(f"/v1/fulfillments/{fo['id']}/shipped", json=shipped).status_code == 200
    clock.advance(days=5)  # a delivery is recorded once it happened
    delivered = {"delivered_at": "2026-11-06T12:00:00+01:00"}
    response = api.post(f"/v1/fulfillments/{fo['id']}/delivered", json=delivered)
    assert response.status_code == 200, response.text


@pytest.mark.usefixtures("history")
def test_the_figures_of_the_range_as_json(api: TestClient) -> None:
    response = api.get("/v1/analytics/kpis", params=DAYS | {"channel": "web"})

    assert response.status_code == 200, response.text
    answer = response.json()
    assert [day["day"] for day in answer["days"]] == [f"2026-11-0{n}" for n in range(2, 9)]
    assert answer["total"] == {
        "orders": 2,
        "revenue": [{"amount": "179.70", "currency": "EUR"}],
        "shipping": [],
        "deliveries": 1,
        "on_time": 0,
        "on_time_rate": 0.0,
        "mean_slack_days": -2.0,
        "orders_fulfilled": 1,
        "orders_split": 0,
        "split_rate": 0.0,
        "fulfilment_cost": [
            {
                "currency": "EUR",
                "orders": 1,
                "total": "4.90",
                "per_order": "4.90",
                "shipping_charged": "0.00",
                "shipping_margin": "-4.90",
            }
        ],
        "orders_cancelled": 1,
        "units_cancelled": 1,
        "store_rejections": 0,
    } | {name: NOTHING[name] for name in RETURN_FIGURES}  # none returned
    assert answer["return_rates"] == {"sku": [], "reason": [], "channel": []}
    assert answer["days"][4]["deliveries"] == 1  # 6 November


@pytest.mark.usefixtures("history")
def test_the_days_as_csv(api: TestClient) -> None:
    response = api.get("/v1/analytics/kpis.csv", params=DAYS)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == (
        'attachment; filename="ordino-kpis-2026-11-02-2026-11-09.csv"'
    )
    lines = response.text.splitlines()
    assert lines[0].startswith("day,orders,deliveries,") and lines[0].endswith(
        "shipping_margin_EUR,refunded_EUR"
    )
    assert len(lines) == 8
    assert lines[1] == (
        "2026-11-02,2,0,0,,,1,0,0.0,1,1,0,0,0,0,0,,0,0,,179.70,0.00,1,4.90,4.90,-4.90,0.00"
    )


def test_a_bad_date_is_a_422_naming_it(api: TestClient) -> None:
    for bad in ("2026-13-01", "yesterday", "1700000000"):
        response = api.get("/v1/analytics/kpis", params={"from": bad, "to": "2026-11-09"})
        assert fields(response) == ["from"]
    backwards = api.get("/v1/analytics/kpis.csv", params={"from": "2026-11-09", "to": "2026-11-02"})
    assert fields(backwards) == ["to"]


def test_a_range_at_the_first_day_there_is_is_read_or_refused_naming_it(api: TestClient) -> None:
    """The default start, 30 days before `to`, stops at the first day of the calendar:
    a `to` on that day leaves no range (a 422 naming it, not a 500)."""
    for path in ("/v1/analytics/kpis", "/v1/analytics/kpis.csv"):
        assert fields(api.get(path, params={"to": "0001-01-01"})) == ["to"]
    early = api.get("/v1/analytics/kpis", params={"to": "0001-01-15"})
    assert early.status_code == 200, early.text
    assert (early.json()["from"], len(early.json()["days"])) == ("0001-01-01", 14)


def test_a_store_key_may_not_read_the_figures(
    api: TestClient, key_for: Callable[[Role], str]
) -> None:
    headers = {"Authorization": f"Bearer {key_for(Role.STORE)}"}

    for path in ("/v1/analytics/kpis", "/v1/analytics/kpis.csv"):
        response = api.get(path, params=DAYS, headers=headers)
        assert refused(response, 403, "forbidden")["permission"] == "reports:read"
