"""Access-log lines keep the path and drop the query string, where personal data hides."""

from __future__ import annotations

import logging

from ordino.http.logs import RedactQuery


def _line(path: str) -> str:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "",
        0,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", path, "1.1", 200),
        None,
    )
    assert RedactQuery().filter(record)
    return record.getMessage()


def test_the_query_string_is_cut_from_access_log_lines() -> None:
    assert _line("/v1/orders?customer_email=ada@example.com") == (
        '127.0.0.1:5000 - "GET /v1/orders?… HTTP/1.1" 200'
    )


def test_a_path_without_query_is_logged_as_it_is() -> None:
    assert _line("/v1/orders/0123") == '127.0.0.1:5000 - "GET /v1/orders/0123 HTTP/1.1" 200'


def test_a_customers_link_is_masked_in_access_log_lines() -> None:
    """A link's token opens the customer's order for 30 days: it is a bearer secret."""
    token = "eyJvcmRlciI6IjAxQUJDIiwidW50aWwiOjE3OTl9.c2lnbmF0dXJl"
    assert _line(f"/v1/self-service/orders/{token}") == (
        '127.0.0.1:5000 - "GET /v1/self-service/orders/… HTTP/1.1" 200'
    )
    assert _line(f"/v1/self-service/orders/{token}/cancellations") == (
        '127.0.0.1:5000 - "GET /v1/self-service/orders/…/cancellations HTTP/1.1" 200'
    )
    assert _line(f"/my-order/{token}/pickup?store=ST-HAM") == (
        '127.0.0.1:5000 - "GET /my-order/…/pickup?… HTTP/1.1" 200'
    )


def test_the_customers_page_without_a_link_is_logged_as_it_is() -> None:
    assert _line("/my-order") == '127.0.0.1:5000 - "GET /my-order HTTP/1.1" 200'
    assert _line("/v1/self-service/lookup") == (
        '127.0.0.1:5000 - "GET /v1/self-service/lookup HTTP/1.1" 200'
    )
