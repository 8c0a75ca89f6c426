"""Delivery promises for a cart or a product, and how the promises fared against the
deliveries recorded.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import ID_PATTERN, query_of, query_parameters
from ordino.http.security import require
from ordino.kernel.domain import ApiKey, InvalidInput, Permission
from ordino.promising.api.schemas import (
    PerformancePage,
    PerformanceParams,
    ProductPromiseOut,
    ProductPromiseParams,
    PromiseAnswer,
    PromiseIn,
)
from ordino.promising.services import performance
from ordino.promising.services import promises as promising

router = APIRouter(prefix="/v1")


IdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]


# Promises: a channel's key reads through its own channel (`ApiKey.reading_channel`).
Reader = Annotated[ApiKey, Depends(require(Permission.AVAILABILITY_READ))]


@router.post("/promises", response_model=PromiseAnswer)
async def post_promise(body: PromiseIn, request: Request, caller: Reader) -> Response:
    """Every way to get the cart to the destination, soonest first: ship by each
    carrier service (from the location that delivers soonest, split when no location
    has it all), pick up at a store near (its own stock), or ship to store; each with
    ship date, delivery dates (or ready-by time), cost and sources; and why the
    options not listed were not offered. A quote takes no stock and no capacity."""
    answer = await run_in_threadpool(
        promising.quote,
        body.to_query(caller),
        unit_of_work(request),
        request.app.state.promising,
        clock(request),
    )
    return JSONResponse(answer)


@router.get(
    "/products/{sku}/promise",
    response_model=ProductPromiseOut,
    openapi_extra={"parameters": query_parameters(ProductPromiseParams)},
)
async def get_product_promise(sku: IdPath, request: Request, caller: Reader) -> Response:
    """For a product page: the earliest option of each method for one unit, to a
    country and a postal code or a point."""
    params = query_of(ProductPromiseParams, request)
    answer = await run_in_threadpool(
        promising.earliest_per_method,
        sku,
        params.to_query(caller),
        unit_of_work(request),
        request.app.state.promising,
        clock(request),
    )
    return JSONResponse(answer)


@router.get(
    "/promise-performance",
    response_model=PerformancePage,
    dependencies=[Depends(require(Permission.REPORTS_READ))],
    openapi_extra={"parameters": query_parameters(PerformanceParams)},
)
def get_performance(request: Request) -> Response:
    """Promises against reality: per location, carrier or service, the deliveries in
    the range, how many came on time, the on-time rate and the mean slack in days
    (promised date less delivery date; negative when late)."""
    params = query_of(PerformanceParams, request)
    now = clock(request)
    since = params.since or now - timedelta(days=30)
    until = params.until or now
    if until <= since:
        raise InvalidInput.of("to", "must be after from")
    items = performance.promise_performance(params.by, since, until, unit_of_work(request))
    return JSONResponse({"by": params.by, "items": items})
