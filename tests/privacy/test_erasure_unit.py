"""What an erasure replaces in a document about the customer's order, and what it
keeps: by key for addresses, the customer and free text; by value anywhere else."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from ordino.kernel.domain.events import Event
from ordino.network.domain.locations import Address
from ordino.orders.domain.commands import ERASED_EMAIL, Customer
from ordino.orders.domain.holds import Hold, HoldStatus
from ordino.orders.domain.orders import Allocation, Order, OrderLine
from ordino.orders.domain.release import release
from ordino.pricing.domain import PricedLine
from ordino.privacy.domain.erasure import ERASED, PersonalData, erase_order, postal_area
from tests.support.builders import HAMBURG

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


PRICE = Decimal("59.90")


def _order(name: str = "Grace Hopper") -> Order:
    return Order(
        id="01ORDER",
        channel="web",
        external_id="W-1",
        currency="EUR",
        customer=Customer("grace@example.org", name, "+49 40 5550123", "DE123456704", "vip"),
        ship_to=Address("Elbchaussee 42", "Hamburg", "22763", "DE", "Hinterhaus", "HH", name),
        ship_to_point=HAMBURG,
        lines=[
            OrderLine(1, "SKU-1", 2, PricedLine.plain(1, "SKU-1", 2, Decimal("59.90"), "EUR"), [])
        ],
        created_at=T0,
        updated_at=T0,
        bill_to=Address("Rechnungsweg 9", "Hamburg", "22767", "DE"),
        holds=[Hold("H1", "manual", "wait for Grace", HoldStatus.RELEASED, T0, "key:1", note="ok")],
    )


def test_a_document_loses_the_customer_and_keeps_the_facts() -> None:
    personal = PersonalData.of([_order()])
    resent = {
        "order_id": "01ORDER",
        "total": "119.80",
        "by": "key:1",
        "event": {
            "type": "fulfillment.ready_for_pickup",
            "data": {"customer_email": "grace@example.org", "pickup_code": "123456"},
        },
        "ship_to": {"name": "Grace Hopper", "line1": "Elbchaussee 42", "city": "Hamburg"}
        | {"postal_code": "22763", "country": "DE", "latitude": 53.55, "longitude": 9.99},
        "customer": {"email": "grace@example.org", "name": "Grace Hopper", "phone": "+49 40"},
        "hold": {"rule": "manual", "reason": "asked", "note": None},
        "lines": [{"sku": "SKU-1", "note": "GRACE HOPPER calls at 5"}],
        "why": "the customer changed the address to Elbchaussee 42",
        "nearest": [{"location_id": "ST-HAM", "distance_km": 3.2}],
    }

    assert personal.document(resent) == {
        "order_id": "01ORDER",
        "total": "119.80",
        "by": "key:1",
        "event": {
            "type": "fulfillment.ready_for_pickup",
            "data": {"customer_email": ERASED_EMAIL, "pickup_code": "123456"},
        },
        "ship_to": {"name": ERASED, "line1": ERASED, "line2": None, "city": ERASED}
        | {"postal_code": "227", "country": "DE", "latitude": None, "longitude": None},
        "customer": {"email": ERASED_EMAIL, "name": ERASED, "phone": None},
        "hold": {"rule": "manual", "reason": ERASED, "note": None},
        "lines": [{"sku": "SKU-1", "note": ERASED}],
        "why": f"the customer changed the address to {ERASED}",
        "nearest": [{"location_id": "ST-HAM", "distance_km": None}],
    }


def test_free_text_elsewhere_loses_what_was_written_about_the_order() -> None:
    cancelled = Event("E1", "order.cancelled", T0, "order/01ORDER", {"reason": "moved abroad"})
    personal = PersonalData.of([_order()], [cancelled])

    assert personal.free_text("stock back: moved abroad (Grace Hopper)") == (
        f"stock back: {ERASED} ({ERASED})"
    )
    assert personal.free_text("fulfillment 01ORDER-001") == "fulfillment 01ORDER-001"
    # In a document, only the customer's own values are searched for: a reason's
    # words may be Ordino's own elsewhere.
    assert personal.document({"why": "moved abroad", "status": "placed"}) == {
        "why": "moved abroad",
        "status": "placed",
    }


def test_a_short_name_goes_from_its_fields_but_is_not_searched_for_in_text() -> None:
    order = _order(name="Al")
    personal = PersonalData.of([order])
    erase_order(order)

    assert personal.text("Always call Al") == "Always call Al"
    # a business's VAT id stays: its reverse-charge invoice must show it
    assert order.customer == Customer(ERASED_EMAIL, ERASED, None, "DE123456704", "vip")
    assert order.ship_to == Address(ERASED, ERASED, "227", "DE", None, "HH", ERASED)
    assert order.ship_to_point is None
    assert order.bill_to == Address(ERASED, ERASED, "227", "DE", None, None, None)
    assert (order.holds[0].reason, order.holds[0].note) == (ERASED, ERASED)
    assert order.customer.erased
    assert [(line.sku, line.quantity, line.price.sale_price) for line in order.lines] == [
        ("SKU-1", 2, Decimal("59.90"))
    ]


def test_the_postal_area_is_the_codes_first_three_characters() -> None:
    assert (postal_area("22763"), postal_area("SW1A 1AA"), postal_area("1070")) == (
        "227",
        "SW1",
        "107",
    )


def _allocated(name: str) -> Order:
    order = _order(name)
    order.lines[0].allocations.append(Allocation("DC-BER", 2))
    return order


def test_a_short_name_goes_from_every_key_that_carries_a_name() -> None:
    """Names under four characters are not searched for in text, so every key the
    code writes a customer's name, e-mail or phone under must erase it by itself:
    the release tells the location `customer_name`."""
    order = _allocated("Al")
    release(order, T0)
    [released] = [e.data for e in order.pending_events if e.type == "fulfillment.released"]
    personal = PersonalData.of([order])
    written = {
        "customer_name": "Al",
        "customer_email": "al@example.org",
        "customer_phone": "+49 1",
        "customer": {"name": "Al", "email": "al@example.org", "phone": "+49 1"},
    }

    erased = personal.document(released)
    assert released["customer_name"] == "Al"  # what the location was told
    assert (erased["customer_name"], erased["ship_to"]["name"]) == (ERASED, ERASED)
    assert personal.document(written) == {
        "customer_name": ERASED,
        "customer_email": ERASED_EMAIL,
        "customer_phone": None,
        "customer": {"name": ERASED, "email": ERASED_EMAIL, "phone": None},
    }


def test_identifiers_are_not_searched_for_the_customers_values() -> None:
    """A one-word company name is also part of SKUs, location ids and order numbers:
    those keep their values; text about the order does not."""
    personal = PersonalData.of([_order(name="IKEA")])
    document = {
        "id": "IKEA-1",
        "sku": "IKEA-SOFA",
        "location_id": "IKEA-STORE-1",
        "external_id": "IKEA-2026-1",
        "order_number": "IKEA-2026-1",
        "tracking_number": "IKEA0001",
        "pickup_code": "IKEA",
        "subject": "order/IKEA-1",
        "locations": ["IKEA-STORE-1"],
        "allocations": [{"location_id": "IKEA-STORE-1", "quantity": 1}],
        "why": "IKEA asked to wait",
    }

    assert personal.document(document) == document | {"why": f"{ERASED} asked to wait"}
