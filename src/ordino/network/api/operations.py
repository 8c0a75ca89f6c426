"""How the network works: each location's hours, capacity and calendar, the carrier
services, their rate cards and each location's costs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse

from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import ID_PATTERN
from ordino.http.security import require
from ordino.kernel.domain import ApiKey, Permission
from ordino.network.api.operations_schemas import (
    CarrierServiceIn,
    CarrierServiceList,
    CarrierServiceOut,
    LocationCostsIn,
    LocationCostsOut,
    OperationsIn,
    OperationsOut,
    RateCardIn,
    RateCardList,
    RateCardOut,
)
from ordino.network.services import operations
from ordino.network.services.operations import CARRIER_SERVICES, RATE_CARDS

router = APIRouter(prefix="/v1")

IdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]


SETUP = [Depends(require(Permission.SETUP_READ))]  # how locations and carriers work, costs


Writer = Annotated[ApiKey, Depends(require(Permission.NETWORK_WRITE))]  # recorded as author


def _created_or_ok(created: bool, body: dict[str, object]) -> JSONResponse:
    return JSONResponse(body, status_code=201 if created else 200)


@router.put("/locations/{location_id}/operations", response_model=OperationsOut)
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


@router.get("/locations/{location_id}/operations", response_model=OperationsOut, dependencies=SETUP)
def get_operations(location_id: IdPath, request: Request) -> Response:
    return JSONResponse(operations.get_operations(location_id, unit_of_work(request)))


@router.get("/carrier-services", response_model=CarrierServiceList, dependencies=SETUP)
def list_carrier_services(request: Request) -> Response:
    return JSONResponse({"items": operations.list_named(CARRIER_SERVICES, unit_of_work(request))})


@router.put("/carrier-services/{code}", response_model=CarrierServiceOut)
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


@router.get("/carrier-services/{code}", response_model=CarrierServiceOut, dependencies=SETUP)
def get_carrier_service(code: IdPath, request: Request) -> Response:
    return JSONResponse(operations.get_named(CARRIER_SERVICES, code, unit_of_work(request)))


@router.delete("/carrier-services/{code}", status_code=204)
def delete_carrier_service(code: IdPath, request: Request, caller: Writer) -> Response:
    uow, now = unit_of_work(request), clock(request)
    operations.delete_named(CARRIER_SERVICES, code, uow, now, f"key:{caller.id}")
    return Response(status_code=204)


@router.get("/rate-cards", response_model=RateCardList, dependencies=SETUP)
def list_rate_cards(request: Request) -> Response:
    return JSONResponse({"items": operations.list_named(RATE_CARDS, unit_of_work(request))})


@router.put("/rate-cards/{service}", response_model=RateCardOut)
def put_rate_card(service: IdPath, body: RateCardIn, request: Request, caller: Writer) -> Response:
    """What a carrier service charges a package: zones by lane (first match), weight
    breaks, a price per started kilogram above the last, a base per package, a
    minimum. Sourcing prices its plans with it."""
    card, uow, now = body.to_domain(service), unit_of_work(request), clock(request)
    by = f"key:{caller.id}"
    created, answer = operations.put_named(RATE_CARDS, card, uow, now, body.version, by)
    return _created_or_ok(created, answer)


@router.get("/rate-cards/{service}", response_model=RateCardOut, dependencies=SETUP)
def get_rate_card(service: IdPath, request: Request) -> Response:
    return JSONResponse(operations.get_named(RATE_CARDS, service, unit_of_work(request)))


@router.delete("/rate-cards/{service}", status_code=204)
def delete_rate_card(service: IdPath, request: Request, caller: Writer) -> Response:
    uow, now = unit_of_work(request), clock(request)
    operations.delete_named(RATE_CARDS, service, uow, now, f"key:{caller.id}")
    return Response(status_code=204)


@router.put("/locations/{location_id}/costs", response_model=LocationCostsOut)
def put_location_costs(
    location_id: IdPath, body: LocationCostsIn, request: Request, caller: Writer
) -> Response:
    """What a location spends to fulfil; sourcing weighs it against shipping."""
    uow, now = unit_of_work(request), clock(request)
    created, answer = operations.put_location_costs(
        location_id, body.to_domain(), uow, now, body.version, f"key:{caller.id}"
    )
    return _created_or_ok(created, answer)


@router.get("/locations/{location_id}/costs", response_model=LocationCostsOut, dependencies=SETUP)
def get_location_costs(location_id: IdPath, request: Request) -> Response:
    return JSONResponse(operations.get_location_costs(location_id, unit_of_work(request)))
