"""The server's root: where to go from here. A browser gets a page linking the
console, the customer's page and the API's documentation; an API client (anything
that does not ask for HTML first) the same links as JSON."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ordino.web.rendering import render

router = APIRouter(include_in_schema=False)

LINKS = {
    "api": "/v1",
    "openapi": "/openapi.json",
    "docs": "/docs",
    "redoc": "/redoc",
    "console": "/console",
    "customer": "/my-order",
    "health": "/health",
}


@router.get("/")
def home(request: Request) -> Response:
    if _wants_html(request.headers.get("accept", "")):
        return render(request, "home.html", {"links": LINKS})
    return JSONResponse({"name": "Ordino", "version": request.app.version, "links": LINKS})


def _wants_html(accept: str) -> bool:
    """HTML when it is the first kind asked for, as browsers ask."""
    first = accept.split(",", maxsplit=1)[0].split(";", maxsplit=1)[0].strip().lower()
    return first in ("text/html", "application/xhtml+xml")
