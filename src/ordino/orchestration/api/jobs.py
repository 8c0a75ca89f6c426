"""Jobs the worker gave up on: listed with their last error, and requeued."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ordino.http.creation import PROBLEM
from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import ID_PATTERN
from ordino.http.security import require
from ordino.kernel.domain import NotFound, Permission
from ordino.orchestration.services import worker

router = APIRouter(prefix="/v1/jobs", dependencies=[Depends(require(Permission.JOBS_ADMIN))])

JobIdPath = Annotated[str, Path(min_length=1, max_length=32, pattern=ID_PATTERN)]


class DeadJobOut(BaseModel):
    id: str
    kind: str
    key: str | None
    payload: dict[str, Any]
    attempts: int
    error: str | None
    failed_at: str


class DeadJobList(BaseModel):
    items: list[DeadJobOut]


class RequeuedOut(BaseModel):
    id: str
    status: str


@router.get("/dead", response_model=DeadJobList)
def dead_jobs(request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> Response:
    """Jobs out of attempts (or of a kind nobody handles), the latest first, each
    with its payload and last error."""
    return JSONResponse({"items": worker.dead_jobs(unit_of_work(request), limit)})


@router.post(
    "/{job_id}/requeue",
    response_model=RequeuedOut,
    responses={404: {"description": "No such dead job", **PROBLEM}},
)
def requeue(job_id: JobIdPath, request: Request) -> Response:
    """A dead job is tried again, with all its attempts."""
    if not worker.requeue(unit_of_work(request), job_id, clock(request)):
        raise NotFound(f"no dead job {job_id}", extra={"job_id": job_id})
    return JSONResponse({"id": job_id, "status": "queued"})
