"""The dashboard's return figures over HTTP: returns started (a withdrawn one with no
units), goods received and restocked, a refund given hours after the goods came
back and a goodwill refund, each on its own day; the return rates of the range by
SKU, reason and channel; a channel's figures only its own."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Clock
from tests.returns.test_api_return_refunds import owing, paid  # noqa: F401 (a fixture)
from tests.returns.test_api_returns import start
from tests.support.api import work


def test_returns_receipts_refunds_and_rates_count_on_their_days(
    api: TestClient,
    clock: Clock,
    paid: str,  # noqa: F811 (the fixture imported)
) -> None:
    withdrawn = start(api, paid, (1, 1), key="k-0").json()
    assert api.post(f"/v1/returns/{withdrawn['id']}/cancel", json={}).status_code == 200
    ra = owing(api, clock, paid)  # 1 unit received at DC-BER and restocked; not refunded
    clock.advance(hours=5)
    asked = api.post(f"/v1/returns/{ra['id']}/refunds", headers={"Idempotency-Key": "r-1"})
    assert asked.status_code == 202, asked.text
    clock.advance(days=1)
    goodwill = {"amount": "5.00", "currency": "EUR", "reason": "late"}
    given = api.post(
        f"/v1/orders/{paid}/appeasements", json=goodwill, headers={"Idempotency-Key": "g-1"}
    )
    assert given.status_code == 202, given.text
    work(api, clock)

    answer = api.get("/v1/analytics/kpis", params={"from": "2026-11-02", "to": "2026-11-06"})
    other = api.get(
        "/v1/analytics/kpis", params={"from": "2026-11-02", "to": "2026-11-06", "channel": "app"}
    )

    assert answer.status_code == 200, answer.text
    total = answer.json()["total"]
    assert {name: total[name] for name in RETURN_FIGURES} == {
        "returns": 2,
        "units_returned": 1,  # the withdrawn one's units are no return
        "units_received": 1,
        "units_restocked": 1,
        "restock_rate": 1.0,
        "refunds": 1,
        "appeasements": 1,
        "refunded": [{"amount": "64.90", "currency": "EUR"}],
        "mean_hours_to_refund": 5.0,
    }
    by_day = {day["day"]: day for day in answer.json()["days"]}
    assert by_day["2026-11-03"]["returns"] == 2 and by_day["2026-11-04"]["appeasements"] == 1
    rate = {"sold": 3, "returned": 1, "rate": 0.3333}
    assert answer.json()["return_rates"] == {
        "sku": [{"key": "SKU-1"} | rate],
        "reason": [{"key": "wrong_size"} | rate],
        "channel": [{"key": "web"} | rate],
    }
    assert other.json()["total"]["returns"] == 0 and other.json()["return_rates"]["sku"] == []


RETURN_FIGURES = (
    "returns",
    "units_returned",
    "units_received",
    "units_restocked",
    "restock_rate",
    "refunds",
    "appeasements",
    "refunded",
    "mean_hours_to_refund",
)
