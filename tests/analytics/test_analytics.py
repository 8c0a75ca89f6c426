"""The dashboard's figures over a small known history, built through the use cases:
orders placed on two days in two currencies and two channels, released (one split
over two locations), one rejected at a store and sourced again, one cancelled, and
deliveries measured against promises."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from ordino.analytics.domain.kpis import CostPerOrder, PlacedOrder, Tally, figures
from ordino.analytics.services.dashboard import KpiQuery, kpis, kpis_csv, report_answer
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.inventory.domain.feeds import Source
from ordino.kernel.domain.errors import InvalidInput
from ordino.network.services.catalogue import put_product
from ordino.orchestration.services import fulfillment
from ordino.orchestration.services.pipelines import advance_order
from ordino.orders.services.capture import Capture, place_order
from ordino.orders.services.orders import cancel_order, get_order
from ordino.payments.adapters.sandbox import SandboxGateway
from ordino.promising.domain.promises import DeliveryRecord
from tests.support.builders import a_place_order, a_product
from tests.support.storage import with_stock

NOV_2 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _place(uow: SqlUnitOfWork, at: datetime, *lines: tuple[str, int], **changes: Any) -> str:
    order_id: str = place_order(a_place_order(*lines, **changes), uow, Capture(), at).body["id"]
    advance_order(order_id, uow, SandboxGateway(uow.engine), at)
    return order_id


def _fulfillments(uow: SqlUnitOfWork, order_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = get_order(order_id, uow)["fulfillments"]
    return found


def _delivered(
    uow: SqlUnitOfWork, order_id: str, location_id: str, day: int, promised: int
) -> None:
    """A delivery measured against a promise (of the Nth of November): orders placed
    without one are measured so by hand, as the promise service would have."""
    at = datetime(2026, 11, day, 10, 0, tzinfo=UTC)
    latest = date(2026, 11, promised)
    slack = (latest - at.date()).days
    record = DeliveryRecord(
        order_id, location_id, at, at.date(), None, None, latest, slack >= 0, slack
    )
    with uow:
        uow.deliveries.add(record, at)
        uow.commit()


@pytest.fixture
def history(uow: SqlUnitOfWork) -> None:
    """2 November: A (2 units, EUR) from DC-BER; B split over DC-BER and DC-MUC;
    C (USD, channel app) at 23:30 UTC, cancelled the next day. 3 November: D sent to
    the store ST-HAM, which rejects it (sourced again from DC-BER); E (3 units)
    cancelled. Delivered: A on the 4th (promised the 5th), B from DC-BER on the 4th
    (promised the 4th) and from DC-MUC on the 5th (promised the 4th: late)."""
    with_stock(
        uow,
        NOV_2,
        {
            ("DC-BER", "SKU-1"): 10,
            ("DC-BER", "SKU-2"): 5,
            ("DC-MUC", "SKU-3"): 5,
            ("ST-HAM", "SKU-2"): 1,
        },
    )
    prices = {"EUR": Decimal("59.90"), "USD": Decimal("59.90")}
    put_product(a_product("SKU-1", prices=prices), uow, NOV_2)  # C is paid in USD
    nov_3 = NOV_2 + timedelta(days=1)
    a = _place(uow, NOV_2, ("SKU-1", 2), external_id="W-1")
    b = _place(uow, NOV_2 + timedelta(hours=1), ("SKU-1", 1), ("SKU-3", 1), external_id="W-2")
    late = NOV_2.replace(hour=23, minute=30)
    c = _place(uow, late, ("SKU-1", 1), external_id="A-1", channel="app", currency="USD")
    cancel_order(c, uow, nov_3)
    d = _place(uow, nov_3, ("SKU-2", 1), external_id="W-3")
    [at_store] = _fulfillments(uow, d)
    assert at_store["location_id"] == "ST-HAM"
    rejected_at = Source("test", nov_3 + timedelta(hours=1))
    fulfillment.reject(at_store["id"], "damaged", uow, Capture(), rejected_at)
    advance_order(d, uow, SandboxGateway(uow.engine), rejected_at.now)  # released again
    e = _place(uow, nov_3 + timedelta(hours=2), ("SKU-1", 3), external_id="W-4")
    cancel_order(e, uow, nov_3 + timedelta(hours=3))
    _delivered(uow, a, "DC-BER", 4, promised=5)
    _delivered(uow, b, "DC-BER", 4, promised=4)
    _delivered(uow, b, "DC-MUC", 5, promised=4)


NOTHING = {
    "orders": 0,
    "revenue": [],
    "shipping": [],
    "deliveries": 0,
    "on_time": 0,
    "on_time_rate": None,
    "mean_slack_days": None,
    "orders_fulfilled": 0,
    "orders_split": 0,
    "split_rate": None,
    "fulfilment_cost": [],
    "orders_cancelled": 0,
    "units_cancelled": 0,
    "store_rejections": 0,
    "returns": 0,
    "units_returned": 0,
    "units_received": 0,
    "units_restocked": 0,
    "restock_rate": None,
    "refunds": 0,
    "appeasements": 0,
    "refunded": [],
    "mean_hours_to_refund": None,
}


def _eur(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "EUR"}


@pytest.mark.usefixtures("history")
def test_each_day_counts_the_events_of_its_utc_date(uow: SqlUnitOfWork) -> None:
    report = kpis(KpiQuery(date(2026, 11, 2), date(2026, 11, 6)), uow)

    answer = report_answer(report)
    assert (answer["from"], answer["to"], answer["channel"]) == ("2026-11-02", "2026-11-06", None)
    assert answer["days"] == [
        NOTHING
        | {
            "day": "2026-11-02",
            "orders": 3,
            "revenue": [_eur("239.60"), {"amount": "59.90", "currency": "USD"}],
            "orders_fulfilled": 2,  # C's fulfillment order was cancelled
            "orders_split": 1,
            "split_rate": 0.5,
            "orders_cancelled": 1,
            "units_cancelled": 1,
        },
        NOTHING
        | {
            "day": "2026-11-03",
            "orders": 2,
            "revenue": [_eur("239.60")],
            "orders_fulfilled": 1,  # D: the store rejected, DC-BER ships
            "split_rate": 0.0,
            "orders_cancelled": 1,
            "units_cancelled": 3,
            "store_rejections": 1,
        },
        NOTHING
        | {
            "day": "2026-11-04",
            "deliveries": 2,
            "on_time": 2,
            "on_time_rate": 1.0,
            "mean_slack_days": 0.5,
        },
        NOTHING
        | {
            "day": "2026-11-05",
            "deliveries": 1,
            "on_time_rate": 0.0,
            "mean_slack_days": -1.0,
        },
    ]
    assert answer["total"] == NOTHING | {
        "orders": 5,
        "revenue": [_eur("479.20"), {"amount": "59.90", "currency": "USD"}],
        "shipping": [],
        "deliveries": 3,
        "on_time": 2,
        "on_time_rate": 0.6667,
        "mean_slack_days": 0.0,
        "orders_fulfilled": 3,
        "orders_split": 1,
        "split_rate": 0.3333,
        "fulfilment_cost": [],  # placed without a promise: no cost recorded
        "orders_cancelled": 2,
        "units_cancelled": 4,
        "store_rejections": 1,
    }


@pytest.mark.usefixtures("history")
def test_a_channel_counts_its_own_orders_only(uow: SqlUnitOfWork) -> None:
    report = kpis(KpiQuery(date(2026, 11, 2), date(2026, 11, 6), "app"), uow)

    assert report_answer(report)["total"] == NOTHING | {
        "orders": 1,
        "revenue": [{"amount": "59.90", "currency": "USD"}],
        "orders_cancelled": 1,
        "units_cancelled": 1,
    }


@pytest.mark.usefixtures("history")
def test_the_csv_has_a_row_per_day_and_money_columns_per_currency(uow: SqlUnitOfWork) -> None:
    report = kpis(KpiQuery(date(2026, 11, 3), date(2026, 11, 5)), uow)

    assert kpis_csv(report).splitlines() == [
        "day,orders,deliveries,on_time,on_time_rate,mean_slack_days,orders_fulfilled,"
        "orders_split,split_rate,orders_cancelled,units_cancelled,store_rejections,"
        "returns,units_returned,units_received,units_restocked,restock_rate,refunds,"
        "appeasements,mean_hours_to_refund,"
        "revenue_EUR,shipping_EUR,orders_costed_EUR,fulfilment_cost_EUR,cost_per_order_EUR,"
        "shipping_margin_EUR,refunded_EUR",
        "2026-11-03,2,0,0,,,1,0,0.0,1,3,1,0,0,0,0,,0,0,,239.60,0.00,0,,,,0.00",
        "2026-11-04,0,2,2,1.0,0.5,0,0,,0,0,0,0,0,0,0,,0,0,,0.00,0.00,0,,,,0.00",
    ]


def test_a_range_ends_after_it_starts_and_spans_at_most_366_days(uow: SqlUnitOfWork) -> None:
    too_short_or_long = (
        (date(2026, 11, 2), date(2026, 11, 2)),
        (date(2025, 1, 1), date(2026, 1, 3)),
    )
    for start, end in too_short_or_long:
        with pytest.raises(InvalidInput) as refused:
            kpis(KpiQuery(start, end), uow)
        assert [error.field for error in refused.value.errors] == ["to"]

    assert len(kpis(KpiQuery(date(2025, 1, 1), date(2026, 1, 2)), uow).days) == 366


def test_the_cost_per_order_is_rounded_to_the_minor_unit() -> None:
    tally = Tally()
    for cost_minor in (100, 100, 101):
        placed = PlacedOrder(NOV_2, "EUR", 1000, False, 0, 1, cost_minor, "EUR")
        tally.add_order(placed)

    assert figures(tally, None).fulfilment_cost == {
        "EUR": CostPerOrder(3, Decimal("3.01"), Decimal("1.00"), Decimal("0.00"), Decimal("-3.01"))
    }


def test_shipping_charged_is_set_against_what_it_cost_in_the_same_currency() -> None:
    """Two EUR orders cost 4.90 each; one paid 4.90 for shipping, one got it free; a
    USD order costed in EUR counts its shipping in USD, and neither its shipping nor its
    cost in the EUR margin."""
    tally = Tally()
    for currency, shipping in (("EUR", 490), ("EUR", 0), ("USD", 590)):
        tally.add_order(PlacedOrder(NOV_2, currency, 1000, False, 0, 1, 490, "EUR", shipping))

    found = figures(tally, None)

    assert found.shipping == {"EUR": Decimal("4.90"), "USD": Decimal("5.90")}
    cost = found.fulfilment_cost["EUR"]
    assert (cost.total, cost.shipping_charged, cost.shipping_margin) == (
        Decimal("14.70"),
        Decimal("4.90"),
        Decimal("-4.90"),
    )
