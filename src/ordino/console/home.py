"""The server's root: where to go from here. A browser gets a page linking the
console, the customer's page and the API's documentation; an API client (anything
that does not ask for HTML first) the same links as JSON; HEAD answers the same
headers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ordino.console.rendering import render

router = APIRouter(include_in_schema=False)

LINKS = {
    "api": "/v1",
    "openapi": "/openapi.json",
    "docs": "/docs",
    "console": "/console",
    "customer": "/my-order",
    "health": "/health",
}


@router.api_route("/", methods=["GET", "HEAD"])
def home(request: Request) -> Response:
    answer: Response
    if _wants_html(request.headers.get("accept", "")):
        answer = render(request, "home.html", {"links": LINKS})
    else:
        answer = JSONResponse({"name": "Ordino", "version": request.app.version, "links": LINKS})
    # The answer depends on Accept: a cache must not give a browser's page to a client.
    answer.headers["Vary"] = "Accept"
    return answer


def _wants_html(accept: str) -> bool:
    """HTML when it is the first kind asked for, as browsers ask."""
    first = accept.split(",", maxsplit=1)[0].split(";", maxsplit=1)[0].strip().lower()
    return first in ("text/html", "application/xhtml+xml")
