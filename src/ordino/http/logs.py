"""Logs without personal data: query strings (which can carry a customer's e-mail,
as in `GET /v1/orders?customer_email=…`) are cut from access-log lines, and so is the
token of a customer's link (`/v1/self-service/orders/<token>`, `/my-order/<token>`):
anyone holding it sees and changes that order for as long as it is valid."""

from __future__ import annotations

import logging
import re

# A path segment that is a customer's link: what follows these prefixes, up to `/`.
_LINK = re.compile(r"^(/v1/self-service/orders/|/my-order/)[^/]+")


class RedactQuery(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # uvicorn's access record: (client, method, path with query, HTTP version, status)
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            path, query_mark, _ = args[2].partition("?")
            path = _LINK.sub(r"\1…", path)
            record.args = (args[0], args[1], path + ("?…" if query_mark else ""), *args[3:])
        return True


def redact_access_log() -> None:
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactQuery) for f in logger.filters):
        logger.addFilter(RedactQuery())
