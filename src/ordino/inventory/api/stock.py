"""Stock: counts, snapshots and deltas from locations, and the movements they made."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from ordino.http.creation import PROBLEM
from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import ID_PATTERN, MAX_ROW_ID
from ordino.http.security import require
from ordino.inventory.api.stock_schemas import (
    AdjustmentsIn,
    AdjustmentsOut,
    CountsIn,
    CountsOut,
    MovementPage,
    PositionIn,
    PositionOut,
    SnapshotIn,
    SnapshotOut,
)
from ordino.inventory.domain.feeds import Count, Source
from ordino.inventory.services import stock as inventory
from ordino.kernel.domain import ApiKey, Permission

router = APIRouter(prefix="/v1")
# The stock feeds: counts, snapshots, deltas. Their bodies may be larger than any
# other's (a location's full snapshot): the app includes them with their own limit.
feeds = APIRouter(prefix="/v1")

SkuPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]
IdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]


def _source(request: Request, caller: ApiKey, reason: str | None = None) -> Source:
    return Source(f"key:{caller.id}", clock(request), reason)


@router.put("/inventory/{location_id}/{sku}", response_model=PositionOut)
def put_position(
    location_id: IdPath,
    sku: SkuPath,
    body: PositionIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.INVENTORY_WRITE))],
) -> Response:
    """Count one position: on hand (and safety stock) at `counted_at`; 201 when the
    location held none of the SKU before."""
    caller.require_locations([location_id])
    count = Count(location_id, sku, body.on_hand, body.safety_stock)
    source = _source(request, caller, body.reason)
    created, position = inventory.set_position(
        location_id, sku, count, body.counted_at, source, unit_of_work(request)
    )
    return JSONResponse(position, status_code=201 if created else 200)


Reader = Annotated[ApiKey, Depends(require(Permission.INVENTORY_READ))]


@router.get("/inventory/{location_id}/{sku}", response_model=PositionOut)
def get_position(location_id: IdPath, sku: SkuPath, request: Request, caller: Reader) -> Response:
    """On hand, reserved, safety stock and when it was last counted (a store key:
    of its own location only)."""
    caller.require_locations([location_id])
    return JSONResponse(inventory.get_position(location_id, sku, unit_of_work(request)))


@router.get("/inventory/{location_id}/{sku}/movements", response_model=MovementPage)
def get_movements(
    location_id: IdPath,
    sku: SkuPath,
    request: Request,
    caller: Reader,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Annotated[
        int | None, Query(ge=1, le=MAX_ROW_ID, description="next_cursor of the last page")
    ] = None,
) -> Response:
    """A position and every change that made it, newest first: who, why, when, before,
    after (a store key: of its own location only)."""
    caller.require_locations([location_id])
    page = inventory.movements(location_id, sku, unit_of_work(request), limit, cursor)
    return JSONResponse(page)


@feeds.post("/inventory/counts", response_model=CountsOut)
def post_counts(
    body: CountsIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.INVENTORY_WRITE))],
) -> Response:
    """Counts of some positions; a count older than the position's last one is superseded."""
    counts = [c.to_domain() for c in body.counts]
    caller.require_locations(c.location_id for c in counts)
    source = _source(request, caller, body.reason)
    results = inventory.count_stock(counts, body.counted_at, source, unit_of_work(request))
    return JSONResponse({"results": results})


@feeds.post(
    "/inventory/snapshots",
    response_model=SnapshotOut,
    responses={404: {"description": "No such location", **PROBLEM}},
)
def post_snapshot(
    body: SnapshotIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.INVENTORY_WRITE))],
) -> Response:
    """A full count of one location: positions it does not list are counted 0."""
    caller.require_locations([body.location_id])
    source = _source(request, caller, body.reason)
    summary = inventory.take_snapshot(
        body.location_id, body.counts(), body.counted_at, source, unit_of_work(request)
    )
    return JSONResponse(summary)


@feeds.post("/inventory/adjustments", response_model=AdjustmentsOut)
def post_adjustments(
    body: AdjustmentsIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.INVENTORY_WRITE))],
) -> Response:
    """Deltas, each applied once per event id; one that happened before the position's
    last count is already in it (superseded)."""
    adjustments = body.to_domain()
    caller.require_locations(a.location_id for a in adjustments)
    source = _source(request, caller)
    results = inventory.adjust_inventory(adjustments, source, unit_of_work(request))
    return JSONResponse({"results": results})


FEED_PATHS = tuple(route.path for route in feeds.routes)  # type: ignore[attr-defined]
