"""The console in a real browser: an agent signs in, finds an order and cancels a
line of it; the page shows what changed and the timeline names the agent."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from ordino.access.services.users import create_user
from ordino.kernel.domain.roles import Role
from ordino.orders.domain.commands import PlaceOrder
from ordino.orders.services.capture import Capture, place_order
from tests.conftest import Clock
from tests.support.browser import DESKTOP, PHONE, Served, document, overflow
from tests.support.builders import a_place_order
from tests.support.storage import with_stock


def _order(served: Served, clock: Clock, **changes: Any) -> dict[str, Any]:
    cmd: PlaceOrder = a_place_order(("SKU-1", 3), ("SKU-2", 1), **changes)
    return place_order(cmd, served.uow(), Capture(), clock()).body


def test_an_agent_finds_an_order_and_cancels_a_line(
    served: Served, page: Any, clock: Clock
) -> None:
    with_stock(served.uow(), clock(), {("DC-BER", "SKU-1"): 10, ("DC-BER", "SKU-2"): 10})
    order = _order(served, clock, external_id="W-1001")
    _order(served, clock, external_id="W-1002")
    create_user("ada", "correct horse battery", Role.AGENT, served.uow(), clock())

    page.goto(f"{served.url}/console")
    document(page, "console-sign-in")
    page.get_by_label("User name", exact=True).fill("ada")
    page.get_by_label("Password, or an API key").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()

    page.get_by_label("Order number").fill("W-1001")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="W-1001")).to_be_visible()
    expect(page.get_by_role("link", name="W-1002")).to_have_count(0)
    document(page, "console-orders")
    page.get_by_role("link", name="W-1001").click()

    page.get_by_label("Units of line 1 to cancel").fill("2")
    page.get_by_label("Reason").fill("customer asked")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cancel units").click()

    expect(page.get_by_role("status")).to_have_text("Done.")
    line = page.get_by_role("row").filter(has_text="SKU-1")
    expect(line.get_by_role("cell").nth(6)).to_have_text("2")  # cancelled
    expect(page.locator(".timeline li").last).to_contain_text("Units cancelled · ada")
    expect(page.locator(".decisions li").first).to_contain_text("DC-BER")  # why it is there
    document(page, "console-order")
    assert order["id"] in page.url
    page.set_viewport_size(PHONE)
    assert overflow(page) == 0  # on a phone too: down, never sideways
    page.set_viewport_size(DESKTOP)

    page.get_by_role("link", name="Inventory").click()
    page.get_by_label("SKU", exact=True).fill("SKU-1")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("row").filter(has_text="DC-BER")).to_contain_text("10")
    document(page, "console-inventory")
    [other] = [
        o for o in served.api.get("/v1/orders").json()["items"] if o["external_id"] == "W-1002"
    ]
    held = served.api.post(f"/v1/orders/{other['id']}/holds", json={"reason": "address check"})
    assert held.status_code == 201
    page.get_by_role("link", name="Exceptions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exceptions")
    expect(page.get_by_role("region", name="On hold (1)")).to_contain_text(
        "W-1002 · address check · by ORDINO_ADMIN_KEY"
    )
    document(page, "console-exceptions")
