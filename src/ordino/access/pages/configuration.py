"""The record of configuration for admins: every change of each kind of configuration
(`ConfigurationKind`) — who, when, and what differs, with the whole document before
and after."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ordino.console.rendering import render
from ordino.console.session import allowed, csrf_token
from ordino.kernel.domain import ConfigurationKind, Permission
from ordino.kernel.services import list_changes

router = APIRouter(prefix="/console/configuration", include_in_schema=False)
PAGE = 25


@router.get("")
def changes(request: Request) -> Response:
    who = allowed(request, Permission.NETWORK_WRITE)
    params = request.query_params
    kinds = [str(kind) for kind in ConfigurationKind]
    kind = params.get("kind") or None
    name = (params.get("name") or "").strip()[:64] or None
    before = params.get("before") or ""
    problems = [field for field, bad in (("kind", kind not in (None, *kinds)),) if bad]
    found: dict[str, Any] = {"items": [], "next_cursor": None}
    if not problems:
        cursor = int(before) if before.isdigit() else None
        chosen = ConfigurationKind(kind) if kind else None
        found = list_changes(request.app.state.uow(), chosen, name, PAGE, cursor)
    context = {
        "who": who,
        "csrf": csrf_token(request),
        "kinds": kinds,
        "filters": {"kind": kind or "", "name": name or ""},
        "problems": problems,
        "changes": [_shown(change) for change in found["items"]],
        "cursor": found["next_cursor"],
    }
    return render(request, "console/configuration.html", context, 422 if problems else 200)


def _shown(change: dict[str, Any]) -> dict[str, Any]:
    """Values as a reader takes them in: text as it is, the rest as JSON; documents
    indented."""
    differences = [
        difference | {"before": _value(difference["before"]), "after": _value(difference["after"])}
        for difference in change["changes"]
    ]
    documents = {
        side: None if change[side] is None else json.dumps(change[side], indent=2, sort_keys=True)
        for side in ("before", "after")
    }
    return change | documents | {"changes": differences}


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)
