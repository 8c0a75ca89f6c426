"""The server promises with a learned transit-time model when ORDINO_TRANSIT_MODEL
names one: the latest date of a ship option comes from the model where it knows the
lane (the history here names no carriers: the lane's answer), the earliest from the
carrier's table."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ordino.app.server import create_app
from ordino.config import Settings
from ordino.kernel.domain.geo import Point
from ordino.promising.domain.history import Place
from ordino.promising.engine.transit import Leg, TransitQuery, train
from ordino.promising.services.transit_models import LearnedTransit, load_model, save_model
from tests.conftest import ADMIN_KEY, Clock
from tests.support.api import network, stock
from tests.support.builders import a_carrier_service_body
from tests.support.shipments import a_history

BERLIN, HAMBURG = Point(52.53, 13.38), Point(53.55, 10.0)


@pytest.fixture
def model_path(tmp_path: Path) -> Path:
    """A model of 120 days of German parcels, Berlin to Hamburg (the made-up history's
    leads: a few days more than the carrier's table of 1-2)."""
    history = [
        replace(
            s,
            origin=Place("10115", "BE", "DE", BERLIN),
            destination=Place("20095", "HH", "DE", HAMBURG),
        )
        for s in a_history(days=120, per_day=10)
    ]
    as_of = max(s.ordered_at for s in history).astimezone(UTC) + timedelta(days=1)
    path = tmp_path / "transit.json"
    save_model(train(history, as_of), path)
    return path


@pytest.fixture
def learned_api(database_url: str, clock: Clock, model_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        database_url=database_url,
        admin_key=ADMIN_KEY,
        signal_seconds=0,
        transit_model=str(model_path),
        promise_confidence=0.9,
    )
    app = create_app(settings, clock=clock)
    with TestClient(app, headers={"Authorization": f"Bearer {ADMIN_KEY}"}) as client:
        yield client
    app.state.engine.dispose()


def test_the_latest_date_comes_from_the_model(learned_api: TestClient, model_path: Path) -> None:
    api = learned_api
    network(api)
    assert api.put("/v1/carrier-services/dhl", json=a_carrier_service_body()).status_code == 201
    stock(api, "DC-BER", "SKU-1", 5)
    body = {
        "lines": [{"sku": "SKU-1", "quantity": 1}],
        "destination": {
            "country": "DE",
            "postal_code": "20095",
            "latitude": 53.55,
            "longitude": 10.0,
        },
    }

    option = api.post("/v1/promises", json=body).json()["options"][0]

    shipped = date.fromisoformat(option["ship_date"])
    query = TransitQuery(
        at=datetime.combine(shipped, LearnedTransit.HAND_OVER, tzinfo=UTC),
        origin=Place(None, None, "DE", Point(52.53, 13.38)),
        destination=Place("20095", None, "DE", HAMBURG),
    )
    days = load_model(model_path).promise_days(query, 0.9, Leg.TRANSIT)
    assert days is not None and days > 2  # longer than the table's latest
    assert option["delivery"]["earliest"] == (shipped + timedelta(days=1)).isoformat()
    latest = date.fromisoformat(option["delivery"]["latest"])
    assert shipped + timedelta(days=days) <= latest <= shipped + timedelta(days=days + 1)
