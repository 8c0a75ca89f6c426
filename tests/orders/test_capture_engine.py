"""Order capture's decision, pure: from a snapshot built here, no database. The rules
come before the stock, a short snapshot from the picture is a lost race (the retry
reads the database), a short one from the database is refused naming what is short,
and the same snapshot gives the same plan."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from ordino.inventory.domain.positions import Position
from ordino.inventory.domain.views import DEFAULT_VIEW
from ordino.inventory.engine.availability import OrderStock
from ordino.kernel.domain.errors import InsufficientStock, InvalidInput, LostRace
from ordino.kernel.domain.jobs import ADVANCE_ORDER, EXPECT_BACKORDERS, TIMER_DUE
from ordino.network.domain.channels import Channel
from ordino.network.domain.operations import default_operations
from ordino.network.domain.products import ProductFacts
from ordino.orders.domain.pipelines import BUILT_IN
from ordino.orders.engine.capture import CaptureSnapshot, Deciders, decide_capture
from ordino.promising.engine.options import PromiseRules
from ordino.sourcing.domain.profiles import SourcingProfile, Strategy, StrategyKind
from ordino.sourcing.engine.choice import RulesEngine
from ordino.sourcing.engine.requests import SourcingSettings
from tests.support.builders import HAMBURG, a_location, a_place_order

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DECIDERS = Deciders(RulesEngine(), PromiseRules())
LOCATIONS = {
    "DC-BER": a_location("DC-BER"),
    "ST-HAM": a_location("ST-HAM", point=HAMBURG),
}


PRICE = Decimal("59.90")


def a_snapshot(on_hand: dict[tuple[str, str], int], **overrides: Any) -> CaptureSnapshot:
    positions = [Position(at, sku, n, 0, 0) for (at, sku), n in on_hand.items()]
    operations = {id: default_operations(id, "Europe/Berlin") for id in LOCATIONS}
    fields: dict[str, Any] = {
        "channels": {"web": Channel("web")},
        "types": BUILT_IN.keys(),
        "products": {
            sku: ProductFacts({"EUR": Decimal("59.90")}, None) for sku in ("SKU-1", "SKU-2")
        },
        "carriers": (),
        "operations": operations,
        "settings": SourcingSettings((), {}, {}),
        "stock": OrderStock(DEFAULT_VIEW, positions, LOCATIONS),
        "fresh": False,
    }
    return CaptureSnapshot(**(fields | overrides))


def test_the_order_is_sourced_from_the_nearest_location_and_reserved_there() -> None:
    snapshot = a_snapshot({("DC-BER", "SKU-1"): 5, ("ST-HAM", "SKU-1"): 5})

    captured = decide_capture(a_place_order(("SKU-1", 2)), snapshot, DECIDERS, NOW)

    [line] = captured.order.lines
    assert [(a.location_id, a.quantity) for a in line.allocations] == [("ST-HAM", 2)]
    assert [(r.location_id, r.sku, r.quantity) for r in captured.order.reservations(NOW)] == [
        ("ST-HAM", "SKU-1", 2)
    ]
    assert captured.payments == ()
    assert [job.kind for job in captured.jobs_at_commit] == [ADVANCE_ORDER]
    assert captured.jobs == ()


def test_the_same_snapshot_gives_the_same_plan_and_record() -> None:
    snapshot = a_snapshot({("DC-BER", "SKU-1"): 1, ("ST-HAM", "SKU-1"): 1, ("DC-BER", "SKU-2"): 3})
    cmd = a_place_order(("SKU-1", 2), ("SKU-2", 1))

    first, second = (decide_capture(cmd, snapshot, DECIDERS, NOW) for _ in range(2))

    assert first.sourced == second.sourced


def test_the_rules_come_before_the_stock() -> None:
    empty = a_snapshot({}, fresh=True)

    with pytest.raises(InvalidInput) as refused:
        decide_capture(a_place_order(("SKU-1", 2), channel="phone"), empty, DECIDERS, NOW)

    assert refused.value.errors[0].field == "channel"


def test_an_order_type_that_does_not_exist_is_refused_by_its_field() -> None:
    snapshot = a_snapshot({("DC-BER", "SKU-1"): 5})

    with pytest.raises(InvalidInput) as refused:
        decide_capture(a_place_order(("SKU-1", 1), type="rush"), snapshot, DECIDERS, NOW)

    assert refused.value.errors[0].field == "type"
    configured = decide_capture(
        a_place_order(("SKU-1", 1), type="rush"),
        replace(snapshot, types=BUILT_IN.keys() | {"rush"}),
        DECIDERS,
        NOW,
    )
    assert configured.order.type == "rush"


def test_a_short_snapshot_from_the_picture_is_a_lost_race() -> None:
    snapshot = a_snapshot({("DC-BER", "SKU-1"): 1})

    with pytest.raises(LostRace):
        decide_capture(a_place_order(("SKU-1", 2)), snapshot, DECIDERS, NOW)


def test_a_short_snapshot_from_the_database_is_refused_naming_what_is_short() -> None:
    snapshot = a_snapshot({("DC-BER", "SKU-1"): 1}, fresh=True)

    with pytest.raises(InsufficientStock) as refused:
        decide_capture(a_place_order(("SKU-1", 2)), snapshot, DECIDERS, NOW)

    [short] = refused.value.extra["shortfalls"]
    assert (short["sku"], short["requested"], short["available"]) == ("SKU-1", 2, 1)


def test_an_unknown_sku_is_refused_by_its_line() -> None:
    snapshot = a_snapshot({("DC-BER", "SKU-1"): 5}, fresh=True)

    with pytest.raises(InvalidInput) as refused:
        decide_capture(a_place_order(("SKU-1", 1), ("SKU-9", 1)), snapshot, DECIDERS, NOW)

    assert [error.field for error in refused.value.errors] == ["lines[1].sku"]


def test_a_backordered_order_waits_for_supply_and_is_cancelled_after_the_profiles_days() -> None:
    wait = Strategy("wait", StrategyKind.BACKORDER, cancel_after_days=14)
    profile = SourcingProfile("web-rules", frozenset({"web"}), (Strategy("nearest"), wait))
    settings = SourcingSettings((profile,), {}, {})
    # From the database: a backorder from the picture may be its being behind.
    snapshot = a_snapshot({("DC-BER", "SKU-1"): 1}, settings=settings, fresh=True)

    captured = decide_capture(a_place_order(("SKU-1", 3)), snapshot, DECIDERS, NOW)

    assert captured.order.backordered
    assert [job.kind for job in captured.jobs_at_commit] == [ADVANCE_ORDER, TIMER_DUE]
    assert captured.jobs_at_commit[1].run_at == NOW + timedelta(days=14)
    assert [job.kind for job in captured.jobs] == [EXPECT_BACKORDERS]
