"""What needs a person, on one page: orders on hold, service levels missed, orders
waiting for supply, webhooks whose receiver refuses, jobs the worker gave up on —
each with the way to resolve it (the order's page for the first three; a retry or
a requeue for the last two, for an admin)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ordino.console.rendering import render
from ordino.console.session import CHECKED, allowed, csrf_token
from ordino.events.services import failing
from ordino.events.services import retry as webhooks_retry
from ordino.kernel.domain import OrdinoError, Permission
from ordino.orchestration.services import (
    dead_jobs,
)
from ordino.orchestration.services import (
    exceptions as timers_exceptions,
)
from ordino.orchestration.services import (
    requeue as worker_requeue,
)
from ordino.servicing.services import timeline

router = APIRouter(prefix="/console/exceptions", include_in_schema=False)
LIMIT = 100


@router.get("")
def exceptions(request: Request) -> Response:
    who = allowed(request, Permission.HOLDS_MANAGE)
    uow = request.app.state.uow
    found = timers_exceptions(uow(), LIMIT)
    admin = who.may(Permission.JOBS_ADMIN) and who.may(Permission.WEBHOOKS_ADMIN)
    context = {
        "who": who,
        "csrf": csrf_token(request),
        "section": "exceptions",
        "breaches": found["breaches"],
        "holds": found["holds"],
        "actors": timeline.actor_names([h["placed_by"] for h in found["holds"]], uow()),
        "backordered": found["backordered"],
        "webhooks": failing(uow()) if admin else [],
        "dead": dead_jobs(uow(), LIMIT) if admin else [],
        "admin": admin,
        "done": request.query_params.get("done") == "1",
        "missed": request.query_params.get("missed") == "1",
    }
    return render(request, "console/exceptions.html", context)


@router.post("/jobs/{job_id}/requeue", dependencies=[CHECKED])
def requeue(request: Request, job_id: str) -> Response:
    allowed(request, Permission.JOBS_ADMIN)
    again = worker_requeue(request.app.state.uow(), job_id, request.app.state.clock())
    return RedirectResponse(
        f"/console/exceptions?{'done' if again else 'missed'}=1", status_code=303
    )


@router.post("/webhooks/{webhook_id}/retry", dependencies=[CHECKED])
def retry(request: Request, webhook_id: str) -> Response:
    allowed(request, Permission.WEBHOOKS_ADMIN)
    try:
        webhooks_retry(webhook_id, request.app.state.uow(), request.app.state.clock())
    except OrdinoError:
        return RedirectResponse("/console/exceptions?missed=1", status_code=303)
    return RedirectResponse("/console/exceptions?done=1", status_code=303)
