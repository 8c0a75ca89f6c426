"""The API's documentation renders in a real browser with nothing but the server:
every request elsewhere is refused (offline), and the page logs no error (a script
or a policy that blocks it would)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.support.browser import Served


def test_the_documentation_renders_offline(served: Served, page: Any) -> None:
    elsewhere: list[str] = []
    errors: list[str] = []

    def only_here(route: Any) -> None:
        if route.request.url.startswith(served.url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_here)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{served.url}/docs")

    # Swagger UI drew the operations, with what it loaded from the server alone.
    expect(page.locator(".swagger-ui .opblock-tag-section").first).to_be_visible(timeout=20_000)
    assert page.get_by_text("Ordino").first.is_visible()
    assert (elsewhere, errors) == ([], [])
