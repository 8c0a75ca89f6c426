"""The dashboard in a real browser renders its charts from data the test made:
orders on two days, one of them cancelled; the CSV has the same days."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.conftest import ADMIN_KEY
from tests.support.browser import Served, document
from tests.support.builders import a_location_body, a_product_body, an_order_body

LABELS_OUTSIDE = """() => [...document.querySelectorAll('.chart svg')].flatMap(svg => {
  const width = svg.viewBox.baseVal.width, height = svg.viewBox.baseVal.height;
  return [...svg.querySelectorAll('text.axis')].filter(text => {
    const box = text.getBBox();
    const shown = text.getBoundingClientRect().height;
    return box.x < 0 || box.x + box.width > width || box.y < 0
      || box.y + box.height > height || shown < 10;
  }).map(text => svg.parentElement.id + ': ' + text.textContent);
})"""


def _orders_over_two_days(served: Served) -> None:
    api = served.api
    assert api.put("/v1/locations/DC-BER", json=a_location_body()).status_code == 201
    assert api.put("/v1/products/SKU-1", json=a_product_body()).status_code == 201
    assert api.put("/v1/inventory/DC-BER/SKU-1", json={"on_hand": 50}).status_code == 201
    big = [{"sku": "SKU-1", "quantity": 2, "unit_price": "6499.95"}]  # a day of 38,999.70
    for n in range(3):  # Monday 2 November
        body = an_order_body(external_id=f"MON-{n}", lines=big)
        assert api.post("/v1/orders", json=body).status_code == 201
    served.clock.advance(days=1)  # Tuesday
    tuesday = api.post("/v1/orders", json=an_order_body(("SKU-1", 2), external_id="TUE-0"))
    assert api.post(f"/v1/orders/{tuesday.json()['id']}/cancel").status_code == 200


def test_the_dashboard_draws_its_charts_from_live_data(served: Served, page: Any) -> None:
    _orders_over_two_days(served)

    page.goto(f"{served.url}/console/dashboard")
    page.get_by_label("Password, or an API key").fill(ADMIN_KEY)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("From").fill("2026-11-02")
    page.get_by_label("To", exact=True).fill("2026-11-04")
    page.get_by_role("button", name="Show").click()

    orders = page.locator("#chart-orders")
    expect(orders.locator("rect")).to_have_count(3)  # every day a bar (Wednesday's is 0)
    expect(orders.locator("rect").nth(0).locator("title")).to_have_text("Nov 2, 2026: 3")
    expect(orders.locator("rect").nth(1).locator("title")).to_have_text("Nov 3, 2026: 1")
    cancelled = page.locator("#chart-cancelled rect title")
    expect(cancelled).to_have_text(["Nov 2, 2026: 0", "Nov 3, 2026: 1", "Nov 4, 2026: 0"])
    expect(page.locator("#chart-on_time rect")).to_have_count(0)  # nothing delivered yet
    # Every axis label lies whole inside its chart, at a size one can read.
    assert page.evaluate(LABELS_OUTSIDE) == []
    document(page, "console-dashboard")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    lines = download.value.path().read_text().splitlines()
    assert [line.split(",")[0] for line in lines] == [
        "day",
        "2026-11-02",
        "2026-11-03",
        "2026-11-04",
    ]
