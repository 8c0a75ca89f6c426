"""An order's goods delivered (or collected), recorded and measured against its
promise.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse

from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import ID_PATTERN
from ordino.http.security import require
from ordino.kernel.domain import ApiKey, Permission
from ordino.orchestration.api.delivery_schemas import DeliveriesOut, DeliveryIn
from ordino.orchestration.services import deliveries
from ordino.orchestration.services.deliveries import RecordDelivery
from ordino.orders.domain import scope_of

router = APIRouter(prefix="/v1")

IdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]


@router.post("/orders/{order_id}/deliveries", response_model=DeliveriesOut)
def post_delivery(
    order_id: IdPath,
    body: DeliveryIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.FULFILLMENT_WRITE))],
) -> Response:
    """Record that an order's goods arrived (or were collected): measured against its
    promise (on time when the local date is on or before the latest date promised).
    The same delivery again changes nothing."""
    cmd = RecordDelivery(order_id, body.delivered_at, body.location_id, body.carrier)
    answer = deliveries.record_delivery(
        cmd, unit_of_work(request), clock(request), scope_of(caller)
    )
    return JSONResponse(answer)
