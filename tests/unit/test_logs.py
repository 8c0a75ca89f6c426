"""Access-log lines keep the path and drop the query string, where personal data hides."""

from __future__ import annotations

import logging

from ordino.api.logs import RedactQuery


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
