"""Delivery promises, and what they are made from: how each location works and the
carrier services."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from ordino.api.deps import clock, unit_of_work
from ordino.api.fields import ID_PATTERN, query_of, query_parameters
from ordino.api.promise_schemas import (
    CarrierServiceIn,
    DeliveryIn,
    LocationCostsIn,
    OperationsIn,
    PerformanceParams,
    ProductPromiseParams,
    PromiseIn,
    RateCardIn,
)
from ordino.api.security import require
from ordino.kernel.domain.errors import InvalidInput
from ordino.kernel.domain.roles import ApiKey, Permission
from ordino.network.services import operations
from ordino.network.services.operations import CARRIER_SERVICES, RATE_CARDS
from ordino.orchestration.services import deliveries
from ordino.orchestration.services.deliveries import RecordDelivery
from ordino.orders.domain.orders import scope_of
from ordino.promising.services import performance
from ordino.promising.services import promises as promising

router = APIRouter(prefix="/v1")

IdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]
SETUP = [Depends(require(Permission.SETUP_READ))]  # how locations and carriers work, costs
Writer = Annotated[ApiKey, Depends(require(Permission.NETWORK_WRITE))]  # recorded as author


def _created_or_ok(created: bool, body: dict[str, object]) -> JSONResponse:
    return JSONResponse(body, status_code=201 if created else 200)


# Promises: a channel's key reads through its own channel (`ApiKey.reading_channel`).
Reader = Annotated[ApiKey, Depends(require(Permission.AVAILABILITY_READ))]


@router.post("/promises")
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


@router.post("/orders/{order_id}/deliveries")
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


@router.get(
    "/promise-performance",
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


@router.put("/locations/{location_id}/operations")
def put_operations(
    location_id: IdPath, body: OperationsIn, request: Request, caller: Writer
) -> Response:
    """How a location works: opening hours per weekday in its own time zone, holidays,
    cut-off times per service, processing hours for shipping and pickup, daily
    capacity, and the weekdays carriers collect. Send the `version` you read to be
    refused (409) if it changed since."""
    uow, now = unit_of_work(request), clock(request)
    created, answer = operations.put_operations(
        location_id, body.to_document(), uow, now, body.version, f"key:{caller.id}"
    )
    return _created_or_ok(created, answer)


@router.get("/locations/{location_id}/operations", dependencies=SETUP)
def get_operations(location_id: IdPath, request: Request) -> Response:
    return JSONResponse(operations.get_operations(location_id, unit_of_work(request)))


@router.get("/carrier-services", dependencies=SETUP)
def list_carrier_services(request: Request) -> Response:
    return JSONResponse({"items": operations.list_named(CARRIER_SERVICES, unit_of_work(request))})


@router.put("/carrier-services/{code}")
def put_carrier_service(
    code: IdPath, body: CarrierServiceIn, request: Request, caller: Writer
) -> Response:
    """A carrier service: its level, price per package, delivery days and holidays,
    and transit rules (first match wins) by origin and destination country, postal
    code prefix and distance band."""
    service, uow, now = body.to_domain(code), unit_of_work(request), clock(request)
    by = f"key:{caller.id}"
    created, answer = operations.put_named(CARRIER_SERVICES, service, uow, now, body.version, by)
    return _created_or_ok(created, answer)


@router.get("/carrier-services/{code}", dependencies=SETUP)
def get_carrier_service(code: IdPath, request: Request) -> Response:
    return JSONResponse(operations.get_named(CARRIER_SERVICES, code, unit_of_work(request)))


@router.delete("/carrier-services/{code}", status_code=204)
def delete_carrier_service(code: IdPath, request: Request, caller: Writer) -> Response:
    uow, now = unit_of_work(request), clock(request)
    operations.delete_named(CARRIER_SERVICES, code, uow, now, f"key:{caller.id}")
    return Response(status_code=204)


@router.get("/rate-cards", dependencies=SETUP)
def list_rate_cards(request: Request) -> Response:
    return JSONResponse({"items": operations.list_named(RATE_CARDS, unit_of_work(request))})


@router.put("/rate-cards/{service}")
def put_rate_card(service: IdPath, body: RateCardIn, request: Request, caller: Writer) -> Response:
    """What a carrier service charges a package: zones by lane (first match), weight
    breaks, a price per started kilogram above the last, a base per package, a
    minimum. Sourcing prices its plans with it."""
    card, uow, now = body.to_domain(service), unit_of_work(request), clock(request)
    by = f"key:{caller.id}"
    created, answer = operations.put_named(RATE_CARDS, card, uow, now, body.version, by)
    return _created_or_ok(created, answer)


@router.get("/rate-cards/{service}", dependencies=SETUP)
def get_rate_card(service: IdPath, request: Request) -> Response:
    return JSONResponse(operations.get_named(RATE_CARDS, service, unit_of_work(request)))


@router.delete("/rate-cards/{service}", status_code=204)
def delete_rate_card(service: IdPath, request: Request, caller: Writer) -> Response:
    uow, now = unit_of_work(request), clock(request)
    operations.delete_named(RATE_CARDS, service, uow, now, f"key:{caller.id}")
    return Response(status_code=204)


@router.put("/locations/{location_id}/costs")
def put_location_costs(
    location_id: IdPath, body: LocationCostsIn, request: Request, caller: Writer
) -> Response:
    """What a location spends to fulfil; sourcing weighs it against shipping."""
    uow, now = unit_of_work(request), clock(request)
    created, answer = operations.put_location_costs(
        location_id, body.to_domain(), uow, now, body.version, f"key:{caller.id}"
    )
    return _created_or_ok(created, answer)


@router.get("/locations/{location_id}/costs", dependencies=SETUP)
def get_location_costs(location_id: IdPath, request: Request) -> Response:
    return JSONResponse(operations.get_location_costs(location_id, unit_of_work(request)))
