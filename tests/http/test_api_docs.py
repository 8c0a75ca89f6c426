"""The API's documentation works offline (everything it loads is served here), and the
server's root points to the console and the documentation."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

TYPES = {".js": "javascript", ".css": "text/css", ".png": "image/png"}


def test_the_documentation_loads_only_what_is_served_here(api: TestClient) -> None:
    html = api.get("/docs")

    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    loaded = re.findall(r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']""", html.text)
    loaded += re.findall(r"""url\s*:\s*["']([^"']+)["']""", html.text)  # the OpenAPI document
    assert "/openapi.json" in loaded
    assert [url for url in loaded if not url.startswith("/")] == []
    assert "http" not in html.text.replace("http-equiv", "")
    for url in loaded:
        answer = api.get(url)
        assert answer.status_code == 200, url
        suffix = url[url.rindex(".") :]
        if suffix in TYPES:
            assert TYPES[suffix] in answer.headers["content-type"], url
            assert len(answer.content) > 1_000, url


def test_the_root_points_an_api_client_to_the_documents(api: TestClient) -> None:
    answer = api.get("/", headers={"Accept": "application/json"})

    assert answer.status_code == 200
    assert answer.json() == {
        "name": "Ordino",
        "version": api.app.version,  # type: ignore[attr-defined]
        "links": {
            "api": "/v1",
            "openapi": "/openapi.json",
            "docs": "/docs",
            "console": "/console",
            "customer": "/my-order",
            "health": "/health",
        },
    }


def test_the_root_points_a_browser_to_the_console_and_the_documentation(
    api: TestClient,
) -> None:
    answer = api.get("/", headers={"Accept": "text/html,application/xhtml+xml"})

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    links = re.findall(r'href="([^"]+)"', answer.text)
    for path in ("/console", "/my-order", "/docs", "/openapi.json"):
        assert path in links


@pytest.mark.parametrize(
    ("accept", "kind"), [("text/html", "text/html"), ("application/json", "application/json")]
)
def test_the_root_says_it_answers_by_accept_and_answers_head(
    api: TestClient, accept: str, kind: str
) -> None:
    got = api.get("/", headers={"Accept": accept})
    head = api.head("/", headers={"Accept": accept})

    assert got.headers["vary"] == "Accept"
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-type"].startswith(kind)
    assert head.headers["vary"] == "Accept"
    assert head.headers["content-length"] == got.headers["content-length"]


def test_redoc_is_not_offered_its_bundle_calls_a_third_party(api: TestClient) -> None:
    """ReDoc's bundle loads its logo from cdn.redoc.ly whatever it is told (see
    tests/http/test_docs_browser.py for what the browser asks of /docs)."""
    assert api.get("/redoc").status_code == 404
    assert "/redoc" not in api.get("/", headers={"Accept": "text/html"}).text
