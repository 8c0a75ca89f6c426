"""Products and locations: kept, read and listed (products found with what they sell:
`ordino.inventory.api.products`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field

from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import ID_PATTERN, Country, Strict
from ordino.http.security import require
from ordino.kernel.domain import ApiKey, Permission
from ordino.network.api.schemas import (
    LocationIn,
    LocationOut,
    LocationPage,
    ProductIn,
    ProductOut,
)
from ordino.network.domain.locations import LocationQuery, LocationType, location_document
from ordino.network.services import catalogue
from ordino.network.services.answers import product_view

router = APIRouter(prefix="/v1")

SkuPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]
IdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]
MAX_SKUS = 100


Cursor = Annotated[
    str | None, Field(min_length=1, max_length=64, description="next_cursor of the last page")
]


def _created_or_ok(created: bool, body: dict[str, Any]) -> JSONResponse:
    return JSONResponse(body, status_code=201 if created else 200)


class LocationListParams(Strict):
    type: LocationType | None = None
    country: Country | None = None
    pickup: bool | None = None
    ships: bool | None = None
    cursor: Cursor = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


@router.get(
    "/locations",
    response_model=LocationPage,
    dependencies=[Depends(require(Permission.AVAILABILITY_READ))],
)
def list_locations(request: Request, params: Annotated[LocationListParams, Query()]) -> Response:
    """Locations in id order: of a type, in a country, that take pickups or ship
    (each when given), a page at a time (`next_cursor`)."""
    query = LocationQuery(params.type, params.country, params.pickup, params.ships, params.cursor)
    items, cursor = catalogue.list_locations(query, params.limit, unit_of_work(request))
    return JSONResponse({"items": items, "next_cursor": cursor})


@router.put(
    "/products/{sku}",
    response_model=ProductOut,
    status_code=200,
    dependencies=[Depends(require(Permission.CATALOG_WRITE))],
    responses={201: {"model": ProductOut, "description": "Created"}},
)
def put_product(sku: SkuPath, body: ProductIn, request: Request) -> Response:
    product = body.to_domain(sku)
    created = catalogue.put_product(product, unit_of_work(request), clock(request))
    return _created_or_ok(created, product_view(product))


@router.get(
    "/products/{sku}",
    response_model=ProductOut,
    dependencies=[Depends(require(Permission.AVAILABILITY_READ))],
)
def get_product(sku: SkuPath, request: Request) -> Response:
    return JSONResponse(catalogue.get_product(sku, unit_of_work(request)))


@router.put(
    "/locations/{location_id}",
    response_model=LocationOut,
    status_code=200,
    responses={201: {"model": LocationOut, "description": "Created"}},
)
def put_location(
    location_id: IdPath,
    body: LocationIn,
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.NETWORK_WRITE))],
) -> Response:
    """Create or replace a location; the change is recorded with its author
    (`GET /v1/configuration-changes?kind=location`)."""
    location, uow, now = body.to_domain(location_id), unit_of_work(request), clock(request)
    created = catalogue.put_location(location, uow, now, f"key:{caller.id}")
    return _created_or_ok(created, location_document(location))


@router.get(
    "/locations/{location_id}",
    response_model=LocationOut,
    dependencies=[Depends(require(Permission.AVAILABILITY_READ))],
)
def get_location(location_id: IdPath, request: Request) -> Response:
    return JSONResponse(catalogue.get_location(location_id, unit_of_work(request)))
