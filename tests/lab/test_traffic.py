"""The decisions of `ordino simulate traffic`'s parties, without a server: the same
seed gives the same orders and the same fate to each fulfillment order, whatever
order they are asked in; the shares govern what they say and nothing else; the
locations' steps follow each method's states; and the run's summary adds up."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from ordino.events.domain.webhooks import signature
from ordino_lab.traffic import (
    APPROVED_CARD,
    DECLINED_CARD,
    MARKETPLACES,
    REJECT_REASONS,
    Action,
    Behaviour,
    Catalogue,
    Destination,
    Product,
    Site,
    Step,
    Want,
    acting_location,
    choose_option,
    first_parcel,
    next_action,
    plan_order,
    rerouted,
    review_hold,
    settled,
    summarise,
)
from ordino_lab.traffic_http import progress_line, signed

CATALOGUE = Catalogue(
    tuple(Product(f"SKU-{n}", f"{n}.90") for n in range(1, 9)),
    (
        Destination("DE", "10115", "Berlin", 52.532, 13.385),
        Destination("AT", "1010", "Wien", 48.208, 16.372),
    ),
    (Site("DC-BER", "dhl"), Site("DC-VIE", "post-at")),
)


def a_fulfillment(status: str = "released", **overrides: Any) -> dict[str, Any]:
    return {
        "id": "ORDER-1-001",
        "order_id": "ORDER-1",
        "location_id": "DC-BER",
        "method": "ship",
        "status": status,
        "store_id": None,
        "lines": [{"line_no": 1, "sku": "SKU-1", "quantity": 2}],
    } | overrides


def an_option(option_id: str, method: str, latest: str, cost: str) -> dict[str, Any]:
    return {
        "id": option_id,
        "method": method,
        "delivery": {"earliest": latest, "latest": latest},
        "cost": {"amount": cost, "currency": "EUR"},
    }


OPTIONS = [
    an_option("pickup:ST-HAM", "pickup", "2026-11-30", "0.00"),
    an_option("ship_to_store:ST-MUC", "ship_to_store", "2026-11-29", "0.00"),
    an_option("ship:dhl-express", "ship", "2026-11-28", "12.90"),
    an_option("ship:dhl-paket", "ship", "2026-11-30", "4.90"),
    an_option("ship:post-at", "ship", "2026-11-30", "3.90"),
]


def test_the_same_seed_places_the_same_orders_and_another_seed_others() -> None:
    first = [plan_order(7, n, CATALOGUE, Behaviour()) for n in range(1, 51)]

    assert first == [plan_order(7, n, CATALOGUE, Behaviour()) for n in range(1, 51)]
    assert first != [plan_order(8, n, CATALOGUE, Behaviour()) for n in range(1, 51)]
    for order in first:
        skus = [line.sku for line in order.lines]
        assert 1 <= len(skus) <= 4 and len(set(skus)) == len(skus)
        assert all(line.quantity in (1, 2) for line in order.lines)
        assert order.destination in CATALOGUE.destinations


def test_a_customer_always_lives_at_the_same_address() -> None:
    homes: dict[str, set[Destination]] = {}
    for n in range(1, 400):
        order = plan_order(3, n, CATALOGUE, Behaviour(customers=20))
        homes.setdefault(order.email, set()).add(order.destination)

    assert len(homes) == 20
    assert all(len(places) == 1 for places in homes.values())


def test_a_share_changes_only_what_it_governs() -> None:
    approved = [plan_order(1, n, CATALOGUE, Behaviour(decline_rate=0.0)) for n in range(1, 30)]
    declined = [plan_order(1, n, CATALOGUE, Behaviour(decline_rate=1.0)) for n in range(1, 30)]

    cards_of_the_shop = {o.card for o in approved if o.channel == "web"}
    assert cards_of_the_shop == {APPROVED_CARD}
    assert {o.card for o in declined if o.channel == "web"} == {DECLINED_CARD}
    assert [replace(o, card=None) for o in approved] == [replace(o, card=None) for o in declined]


def test_a_marketplace_order_comes_paid_and_without_a_promise() -> None:
    behaviour = Behaviour(marketplace_rate=1.0, promise_rate=1.0)

    orders = [plan_order(1, n, CATALOGUE, behaviour) for n in range(1, 20)]

    assert {o.channel for o in orders} <= set(MARKETPLACES)
    assert {(o.card, o.asks_promise) for o in orders} == {(None, False)}
    assert "payment" not in orders[0].body("X-1", None)


def test_an_order_body_carries_the_option_taken_and_the_card() -> None:
    order = plan_order(1, 1, CATALOGUE, Behaviour(marketplace_rate=0.0, decline_rate=0.0))

    body = order.body("SIM-000001", "ship:dhl-paket")

    assert body["external_id"] == "SIM-000001"
    assert body["promise"] == {"option_id": "ship:dhl-paket"}
    assert body["payment"] == {"method": "card", "token": APPROVED_CARD}
    assert body["ship_to"]["postal_code"] == order.destination.postal_code
    assert [line["sku"] for line in body["lines"]] == [line.sku for line in order.lines]
    assert order.cart()["destination"] == {
        "country": order.destination.country,
        "postal_code": order.destination.postal_code,
    }


@pytest.mark.parametrize(
    ("wants", "options", "taken"),
    [
        (Want.PICKUP, OPTIONS, "ship_to_store:ST-MUC"),  # the soonest way to collect
        (Want.EXPRESS, OPTIONS, "ship:dhl-express"),  # the soonest delivery
        (Want.STANDARD, OPTIONS, "ship:post-at"),  # the cheapest, then the soonest
        (Want.PICKUP, OPTIONS[2:], "ship:post-at"),  # no store offered: shipped cheapest
        (Want.STANDARD, OPTIONS[:2], None),  # only pickups: ordered without a promise
        (Want.EXPRESS, [], None),
    ],
)
def test_a_customer_takes_the_option_they_want(
    wants: Want, options: list[dict[str, Any]], taken: str | None
) -> None:
    order = replace(plan_order(1, 1, CATALOGUE, Behaviour()), wants=wants)

    assert choose_option(order, options) == taken


def _action(status: str, behaviour: Behaviour | None = None, **changes: Any) -> Action | None:
    fo = a_fulfillment(status, **changes)
    return next_action(5, 12, fo, behaviour or Behaviour(), "dhl")


def test_a_location_accepts_or_rejects_what_it_is_sent_as_its_share_says() -> None:
    rejected = _action("released", Behaviour(reject_rate=1.0))
    accepted = _action("released", Behaviour(reject_rate=0.0))

    assert rejected is not None and rejected.step is Step.REJECT
    assert rejected.body is not None and rejected.body["reason"] in REJECT_REASONS
    assert accepted == Action(Step.ACCEPT, accepted.delay)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("status", "method", "step"),
    [
        ("accepted", "ship", Step.PICKED),
        ("picked", "ship", Step.PACKED),
        ("packed", "ship", Step.SHIPPED),
        ("shipped", "ship", Step.DELIVERED),  # the carrier
        ("accepted", "pickup", Step.PICKED),
        ("picked", "pickup", Step.READY),
        ("picked", "ship_to_store", Step.PACKED),
        ("shipped", "ship_to_store", Step.READY),  # arrived at the store
        ("delivered", "ship", None),
        ("picked_up", "pickup", None),
        ("rejected", "ship", None),
        ("cancelled", "pickup", None),
    ],
)
def test_each_state_leads_to_the_next_step_of_its_method(
    status: str, method: str, step: Step | None
) -> None:
    action = _action(status, method=method)

    assert (action.step if action else None) == step


def test_the_steps_take_about_their_mean_time() -> None:
    behaviour = Behaviour(pace=2.0, transit=10.0)
    picking = [_action("accepted", behaviour, id=f"O-{n}-001") for n in range(40)]
    delivering = [_action("shipped", behaviour, id=f"O-{n}-001") for n in range(40)]

    assert all(a is not None and 1.0 <= a.delay <= 3.0 for a in picking)
    assert all(a is not None and 5.0 <= a.delay <= 15.0 for a in delivering)


def test_a_wms_that_reports_only_acceptance_and_shipment_ships_once_accepted() -> None:
    action = _action("accepted", Behaviour(picks=False))

    assert action is not None and action.step is Step.SHIPPED


def test_without_carriers_reporting_a_shipped_parcel_has_nothing_next() -> None:
    assert _action("shipped", Behaviour(deliver=False)) is None


def test_a_shipment_goes_in_two_parcels_as_often_as_the_share_says() -> None:
    split = _action("packed", Behaviour(split_rate=1.0))
    whole = _action("packed", Behaviour(split_rate=0.0))
    rest = next_action(5, 12, a_fulfillment("packed"), Behaviour(split_rate=1.0), "dhl", False)

    assert split is not None and split.body is not None
    assert split.body["lines"] == [{"line_no": 1, "quantity": 1}]
    assert split.body["carrier"] == "dhl"
    assert str(split.body["tracking_number"]).startswith("DHL12-001")
    assert whole is not None and whole.body is not None and "lines" not in whole.body
    assert rest is not None and rest.body is not None and "lines" not in rest.body


def test_the_first_parcel_holds_half_the_units_rounded_up() -> None:
    lines = [
        {"line_no": 1, "sku": "A", "quantity": 1},
        {"line_no": 2, "sku": "B", "quantity": 3},
        {"line_no": 3, "sku": "C", "quantity": 1},
    ]

    assert first_parcel(lines) == [{"line_no": 1, "quantity": 1}, {"line_no": 2, "quantity": 2}]
    assert first_parcel(lines[:1]) == []


def test_a_customer_comes_for_the_pickup_or_the_store_gives_up_after_waiting_longer() -> None:
    comes = _action("ready", Behaviour(no_show_rate=0.0, collect=4.0), method="pickup")
    stays_away = _action("ready", Behaviour(no_show_rate=1.0, collect=4.0), method="pickup")

    assert comes is not None and comes.step is Step.PICKED_UP and 2.0 <= comes.delay <= 6.0
    assert stays_away is not None and stays_away.step is Step.NOT_COLLECTED
    assert 4.0 <= stays_away.delay <= 12.0


def test_a_fulfillment_order_meets_the_same_fate_whenever_it_is_asked() -> None:
    """Its fate hangs on the run's seed, the order's number in the run and its own
    number in the order (the server's ids differ from run to run), and its state."""
    behaviour = Behaviour(reject_rate=0.5)
    asked = [(n, f"SERVER-ID-{n}-00{k}") for n in range(30) for k in (1, 2)]

    def fate(number: int, fulfillment_id: str) -> Action | None:
        return next_action(5, number, a_fulfillment(id=fulfillment_id), behaviour, "dhl")

    forwards = {i: fate(*i) for i in asked}
    backwards = {i: fate(*i) for i in reversed(asked)}
    other_ids = {i: fate(i[0], "ELSE" + i[1][-4:]) for i in asked}

    assert forwards == backwards == {i: other_ids[i] for i in asked}
    assert {a.step for a in forwards.values() if a} == {Step.ACCEPT, Step.REJECT}


def test_whose_work_a_fulfillment_order_is() -> None:
    at_store = {"location_id": "DC-BER", "store_id": "ST-HAM", "method": "ship_to_store"}

    assert acting_location(a_fulfillment("released")) == "DC-BER"
    assert acting_location(a_fulfillment("packed", **at_store)) == "DC-BER"
    assert acting_location(a_fulfillment("ready", **at_store)) == "ST-HAM"
    assert acting_location(a_fulfillment("shipped", **at_store)) is None
    assert acting_location(a_fulfillment("delivered")) is None


def test_customer_service_cancels_a_declined_card_and_releases_other_holds() -> None:
    declined = review_hold(1, 3, {"id": "H-1", "rule": "payment"}, Behaviour(review=2.0))
    reviewed = review_hold(1, 3, {"id": "H-2", "rule": "velocity"}, Behaviour(review=2.0))

    assert (declined.step, reviewed.step) == (Step.CANCEL, Step.RELEASE)
    assert 1.0 <= declined.delay <= 3.0


def an_order(status: str, *fulfillments: tuple[str, str], **overrides: Any) -> dict[str, Any]:
    return {
        "id": "O",
        "status": status,
        "on_hold": False,
        "holds": [],
        "lines": [{"line_no": 1, "allocated": 0}],
        "fulfillments": [{"location_id": at, "status": s} for at, s in fulfillments],
    } | overrides


def test_a_rejection_is_rerouted_when_another_location_took_the_units() -> None:
    assert rerouted(an_order("fulfilled", ("DC-BER", "rejected"), ("DC-FRA", "delivered")))
    assert not rerouted(an_order("backordered", ("DC-BER", "rejected")))
    assert not rerouted(an_order("fulfilled", ("DC-BER", "delivered")))


def test_an_order_is_settled_when_nothing_is_held_at_a_location_nor_on_hold() -> None:
    assert settled(an_order("backordered"))
    assert not settled(an_order("placed", lines=[{"allocated": 2}]))
    assert not settled(an_order("placed", on_hold=True))


def test_the_summary_counts_the_orders_by_what_became_of_them() -> None:
    orders = [
        an_order("fulfilled", ("DC-BER", "rejected"), ("DC-FRA", "delivered")),
        an_order("fulfilled", ("ST-HAM", "picked_up")),
        an_order("cancelled", holds=[{"id": "H-1"}]),
        an_order("partially_fulfilled", ("DC-BER", "delivered"), ("DC-FRA", "rejected")),
    ]

    assert summarise(orders) == {
        "orders": 4,
        "by_status": {"cancelled": 1, "fulfilled": 2, "partially_fulfilled": 1},
        "fulfillment_orders": {"delivered": 2, "picked_up": 1, "rejected": 2},
        "with_a_rejection": 2,
        "rerouted": 2,
        "rerouted_and_fulfilled": 1,
        "held": 1,
    }


def test_the_progress_line_shows_each_flow_with_its_rate_then_the_exceptions() -> None:
    line = progress_line({"placed": 24, "shipped": 10, "held": 1}, {"placed": 20}, 12.0, 2.0)

    assert line == (
        "   12s  placed 24 (2.0/s)  released 0 (0.0/s)  shipped 10 (5.0/s)  "
        "delivered 0 (0.0/s)  picked up 0 (0.0/s)  rejected 0  held 1  not collected 0  "
        "refused 0  errors 0"
    )


def test_the_receiver_takes_only_what_the_subscription_secret_signed() -> None:
    body = '{"id": "E-1"}'
    header = signature("secret", 1_700_000_000, body)

    assert signed("secret", header, body)
    assert not signed("other", header, body)
    assert not signed("secret", header, body + " ")
    assert not signed(None, header, body)
    assert not signed("secret", "nonsense", body)
