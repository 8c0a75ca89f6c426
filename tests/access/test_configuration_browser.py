"""The record of configuration in a real browser: an admin opens it from the
console's bar and reads who changed a hold rule, and what."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.conftest import ADMIN_KEY, Clock
from tests.support.browser import Served, document

RULE = {"expression": "order.total > 1000.0", "reason": "a large order"}


def test_an_admin_reads_who_changed_a_hold_rule(served: Served, page: Any, clock: Clock) -> None:
    assert served.api.put("/v1/hold-rules/big-orders", json=RULE).status_code == 201
    clock.advance(minutes=30)
    changed = RULE | {"expression": "order.total > 2000.0", "order_types": ["ship_to_home"]}
    assert served.api.put("/v1/hold-rules/big-orders", json=changed).status_code == 200
    policy = {"cancel_until": "minutes", "cancel_minutes": 60}
    assert served.api.put("/v1/self-service-policy", json=policy).status_code == 200

    page.goto(f"{served.url}/console")
    page.get_by_label("Password, or an API key").fill(ADMIN_KEY)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Configuration").click()
    page.get_by_label("Kind").select_option("hold_rule")
    page.get_by_role("button", name="Search").click()

    changes = page.locator("ol.changes > li")
    expect(changes).to_have_count(2)
    expect(changes.first.get_by_role("heading")).to_have_text(
        "Hold rule big-orders changed (version 2)"
    )
    expect(changes.first).to_contain_text("by key:environment")
    row = changes.first.get_by_role("row").filter(has_text="expression")
    expect(row).to_contain_text("order.total > 1000.0order.total > 2000.0")
    page.get_by_label("Kind").select_option("")
    page.get_by_role("button", name="Search").click()
    expect(changes).to_have_count(3)
    document(page, "console-configuration")
