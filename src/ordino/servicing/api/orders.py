"""Serving an order's customer: notes for colleagues, a notification sent again, the
customer's signed link, the order's timeline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field

from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import ID_PATTERN, Strict
from ordino.http.security import require
from ordino.kernel.domain import ApiKey, Permission
from ordino.orders.domain import scope_of
from ordino.servicing.api.schemas import LinkOut, RecordedOut, TimelineOut
from ordino.servicing.services import notes as servicing
from ordino.servicing.services import self_service, timeline

router = APIRouter(prefix="/v1/orders")

OrderIdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]


class NoteIn(Strict):
    note: Annotated[str, Field(min_length=1, max_length=2000)]


Servicer = Annotated[ApiKey, Depends(require(Permission.ORDERS_SERVICE))]


@router.post("/{order_id}/notes", status_code=201, response_model=RecordedOut)
def add_note(order_id: OrderIdPath, body: NoteIn, request: Request, caller: Servicer) -> Response:
    """A note for colleagues, on the order's timeline (`order.note_added`)."""
    uow, now = unit_of_work(request), clock(request)
    answer = servicing.add_note(order_id, body.note, uow, now, scope_of(caller))
    return JSONResponse(answer, status_code=201)


@router.post("/{order_id}/notifications", status_code=201, response_model=RecordedOut)
def resend_notification(order_id: OrderIdPath, request: Request, caller: Servicer) -> Response:
    """Tell the customer again what they were last told (`order.notification_resent`
    carries that event, for the notifying service to send)."""
    uow, now = unit_of_work(request), clock(request)
    answer = servicing.resend_notification(order_id, uow, now, scope_of(caller))
    return JSONResponse(answer, status_code=201)


@router.get("/{order_id}/self-service-link", response_model=LinkOut)
def self_service_link(order_id: OrderIdPath, request: Request, caller: Servicer) -> Response:
    """A signed link for the order's customer to open their page with (`/my-order/
    <token>`): for a notification to carry, or an agent to send. It lives the
    self-service policy's `link_hours`."""
    state = request.app.state
    token = self_service.link_to(
        order_id, state.uow(), state.self_service, clock(request), scope_of(caller)
    )
    return JSONResponse({"order_id": order_id, "token": token, "path": f"/my-order/{token}"})


@router.get("/{order_id}/timeline", response_model=TimelineOut)
def get_timeline(
    order_id: OrderIdPath,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.ORDERS_READ))],
) -> Response:
    """Every change of the order, oldest first: when, what (the event), who made it
    (`key:<id>`, `ordino` itself, the payment `gateway`), why, and the order's
    status after it."""
    return JSONResponse(timeline.timeline(order_id, unit_of_work(request), scope_of(caller)))
