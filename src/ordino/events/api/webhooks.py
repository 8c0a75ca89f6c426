"""Webhook subscriptions and their delivery logs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ordino.events.adapters.http_delivery import refuse_private
from ordino.events.services import webhooks
from ordino.http.creation import PROBLEM
from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import ID_PATTERN, Strict
from ordino.http.security import require
from ordino.kernel.domain import ApiKey, Permission

router = APIRouter(
    prefix="/v1/webhooks", dependencies=[Depends(require(Permission.WEBHOOKS_ADMIN))]
)

Admin = Annotated[ApiKey, Depends(require(Permission.WEBHOOKS_ADMIN))]
WebhookIdPath = Annotated[str, Path(min_length=1, max_length=32, pattern=ID_PATTERN)]
EventType = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^(\*|[a-z_]+(\.[a-z_]+)+)$")
]


class SubscriptionIn(Strict):
    url: Annotated[str, Field(min_length=8, max_length=2000)]
    event_types: Annotated[list[EventType], Field(min_length=1, max_length=100)]


class SubscriptionOut(BaseModel):
    id: str
    url: str
    event_types: list[str]
    created_at: str


class NewSubscriptionOut(SubscriptionOut):
    secret: str = Field(description="What deliveries are signed with, in this answer only")


class SubscriptionList(BaseModel):
    items: list[SubscriptionOut]


class WebhookDeliveryOut(BaseModel):
    event_id: str
    event_type: str
    delivered_at: str | None
    attempts: int
    last_status: int | None
    last_error: str | None
    last_attempt_at: str | None


class DeliveryLog(BaseModel):
    webhook_id: str
    items: list[WebhookDeliveryOut]


@router.post(
    "",
    status_code=201,
    response_model=NewSubscriptionOut,
    responses={422: {"description": "Invalid", **PROBLEM}},
)
def subscribe(body: SubscriptionIn, request: Request, caller: Admin) -> Response:
    """Subscribe a URL to event types (`*`: every one). The answer holds the secret
    the deliveries are signed with (HMAC-SHA256, header `Ordino-Signature`), shown
    this once and stored sealed. A receiver on a loopback or private address is
    refused (422), unless ORDINO_WEBHOOK_ALLOW_PRIVATE allows it."""
    state = request.app.state
    refuse_private(body.url, state.settings.webhook_allow_private)
    uow, keys, by = unit_of_work(request), state.outside.keys, f"key:{caller.id}"
    answer = webhooks.subscribe(body.url, body.event_types, uow, clock(request), keys, by)
    return JSONResponse(
        answer, status_code=201, headers={"Location": f"/v1/webhooks/{answer['id']}"}
    )


@router.get("", response_model=SubscriptionList)
def list_subscriptions(request: Request) -> Response:
    return JSONResponse({"items": webhooks.list_subscriptions(unit_of_work(request))})


@router.delete("/{webhook_id}", status_code=204)
def unsubscribe(webhook_id: WebhookIdPath, request: Request, caller: Admin) -> Response:
    webhooks.unsubscribe(webhook_id, unit_of_work(request), clock(request), f"key:{caller.id}")
    return Response(status_code=204)


@router.get("/{webhook_id}/deliveries", response_model=DeliveryLog)
def deliveries(
    webhook_id: WebhookIdPath,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Response:
    """The subscription's deliveries, the newest first: attempts, the last status or
    error, when delivered."""
    return JSONResponse(webhooks.delivery_log(webhook_id, unit_of_work(request), limit))
