"""The return policy, without a database: windows by channel and product class, the
products never taken back, methods, reasons, the auto-approval rule; every refusal
names the line and the rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from ordino.kernel.domain import InvalidInput, NotAllowed
from ordino.orders.domain import FulfillmentStatus, Shipment
from ordino.orders.domain.release import deliver, ship
from ordino.returns.domain import (
    Initiator,
    ProductClasses,
    ReturnLineRequest,
    ReturnMethod,
    ReturnPolicy,
    ReturnWindow,
    approved,
    facts,
    policy_document,
    policy_from_document,
    refuse_return,
)
from tests.returns.test_returns_model import LATER, a_delivered_order

POLICY = ReturnPolicy(
    windows=(
        ReturnWindow(30),
        ReturnWindow(14, product_class="electronics"),
        ReturnWindow(60, channel="web"),
        ReturnWindow(7, channel="web", product_class="electronics"),
    ),
    non_returnable_skus=("SKU-9",),
    non_returnable_classes=("food",),
    methods=(ReturnMethod.STORE, ReturnMethod.MAIL),
    auto_approve="return.value < 50.0 && order.channel == 'web'",
)
ONE = [ReturnLineRequest(1, 1, "wrong_size")]


def classes(**by_sku: str) -> ProductClasses:
    return ProductClasses({sku.replace("_", "-"): c for sku, c in by_sku.items()})


@pytest.mark.parametrize(
    ("channel", "product_class", "days"),
    [
        ("web", "electronics", 7),
        ("web", "shoes", 60),
        ("app", "electronics", 14),
        ("app", None, 30),
    ],
)
def test_the_most_specific_window_applies(
    channel: str, product_class: str | None, days: int
) -> None:
    window = POLICY.window(channel, product_class)
    assert window is not None and window.days == days


def test_no_window_means_not_returnable() -> None:
    policy = replace(POLICY, windows=(ReturnWindow(30, channel="app"),))
    order = a_delivered_order()  # placed on "web"
    with pytest.raises(NotAllowed) as refused:
        refuse_return(order, ONE, ReturnMethod.STORE, classes(), policy, LATER)
    assert refused.value.extra["rule"] == "window"


def test_a_return_after_its_window_names_the_rule_and_the_last_day() -> None:
    order = a_delivered_order()  # delivered at LATER, on "web"
    electronics = classes(SKU_1="electronics")
    refuse_return(order, ONE, ReturnMethod.STORE, electronics, POLICY, LATER + timedelta(days=7))
    with pytest.raises(NotAllowed) as refused:
        refuse_return(
            order, ONE, ReturnMethod.STORE, electronics, POLICY, LATER + timedelta(days=7, hours=1)
        )
    assert refused.value.extra == {
        "field": "lines[0].quantity",
        "rule": "window",
        "window": {"days": 7, "channel": "web", "product_class": "electronics"},
        "returnable": 0,
        "returnable_until": (LATER + timedelta(days=7)).isoformat(),
    }


def test_the_window_runs_from_when_each_unit_was_delivered_as_the_carrier_said() -> None:
    """Two parcels of one line, delivered 20 days apart, the first told to Ordino
    late: on day 65 of the web's 60-day window only the second parcel's unit may
    go back."""
    order = a_delivered_order(("SKU-1", 2), shipped={1: 1})
    [rest] = [fo for fo in order.fulfillments if fo.status is not FulfillmentStatus.DELIVERED]
    ship(order, rest.id, Shipment("DHL", "T-2"), LATER)
    deliver(order, rest.id, LATER + timedelta(days=40), LATER + timedelta(days=20))
    order.fulfillments[0].done_at = LATER  # (told when it happened)
    two = [ReturnLineRequest(1, 2, "wrong_size")]
    day_65 = LATER + timedelta(days=65)

    with pytest.raises(NotAllowed) as refused:
        refuse_return(order, two, ReturnMethod.STORE, classes(), POLICY, day_65)
    assert (refused.value.extra["returnable"], refused.value.extra["field"]) == (
        1,
        "lines[0].quantity",
    )
    refuse_return(order, ONE, ReturnMethod.STORE, classes(), POLICY, day_65)


@pytest.mark.parametrize(
    ("line", "product_classes", "sku"),
    [(1, classes(SKU_1="food"), "SKU-1"), (1, classes(), "SKU-9")],
)
def test_products_never_taken_back_are_refused(
    line: int, product_classes: ProductClasses, sku: str
) -> None:
    order = a_delivered_order((sku, 1))
    with pytest.raises(NotAllowed) as refused:
        refuse_return(order, ONE, ReturnMethod.STORE, product_classes, POLICY, LATER)
    assert refused.value.extra == {
        "field": "lines[0].line_no",
        "rule": "non_returnable",
        "sku": sku,
    }


def test_a_method_not_offered_and_an_unknown_reason_are_refused() -> None:
    order = a_delivered_order()
    with pytest.raises(NotAllowed) as refused:
        refuse_return(order, ONE, ReturnMethod.CARRIER_PICKUP, classes(), POLICY, LATER)
    assert refused.value.extra["rule"] == "methods"
    with pytest.raises(InvalidInput) as bad:
        refuse_return(
            order, [ReturnLineRequest(1, 1, "bored")], ReturnMethod.STORE, classes(), POLICY, LATER
        )
    assert bad.value.errors[0].field == "lines[0].reason"


def test_the_auto_approval_rule_reads_the_return_and_the_order() -> None:
    order = a_delivered_order()  # at 59.90 a unit (the builders' price)
    how = (Initiator.CUSTOMER, ReturnMethod.STORE)
    small = facts(order, ONE, how, LATER)
    large = facts(order, [ReturnLineRequest(1, 3, "wrong_size")], how, LATER)
    assert (small["return"]["value"], large["return"]["value"]) == (59.9, 179.7)
    below_100 = replace(POLICY, auto_approve="return.value < 100.0 && order.channel == 'web'")
    assert (approved(below_100, small), approved(below_100, large)) == (True, False)
    assert approved(replace(POLICY, auto_approve="return.value < 0.0"), small) is False
    # A rule that cannot be evaluated on these facts leaves the return to a person.
    assert approved(replace(POLICY, auto_approve="order.nothing == 1"), small) is False


def test_a_policy_that_cannot_apply_is_named_field_by_field() -> None:
    bad = replace(
        POLICY,
        windows=(ReturnWindow(0), ReturnWindow(30, channel="web"), ReturnWindow(9, channel="web")),
        methods=(),
    )
    assert [p.field for p in bad.problems()] == ["windows[0].days", "windows[2]", "methods"]
    with pytest.raises(InvalidInput) as refused:
        replace(POLICY, auto_approve="return.value <").refuse_bad_condition()
    assert refused.value.errors[0].field == "auto_approve"


def test_the_document_reads_back_as_the_policy() -> None:
    assert policy_from_document("default", policy_document(POLICY)) == POLICY
