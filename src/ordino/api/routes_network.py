"""Products and locations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse

from ordino.api.deps import clock, unit_of_work
from ordino.api.fields import ID_PATTERN
from ordino.api.network_schemas import LocationIn, ProductIn, ProductOut
from ordino.api.security import require
from ordino.domain.access import Permission
from ordino.domain.network import location_document
from ordino.services import network
from ordino.services.views import product_view

router = APIRouter(prefix="/v1")

SkuPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]
IdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]
MAX_SKUS = 100


def _created_or_ok(created: bool, body: dict[str, Any]) -> JSONResponse:
    return JSONResponse(body, status_code=201 if created else 200)


@router.put(
    "/products/{sku}",
    response_model=ProductOut,
    status_code=200,
    dependencies=[Depends(require(Permission.CATALOG_WRITE))],
    responses={201: {"model": ProductOut, "description": "Created"}},
)
def put_product(sku: SkuPath, body: ProductIn, request: Request) -> Response:
    product = body.to_domain(sku)
    created = network.put_product(product, unit_of_work(request), clock(request))
    return _created_or_ok(created, product_view(product))


@router.get(
    "/products/{sku}",
    response_model=ProductOut,
    dependencies=[Depends(require(Permission.AVAILABILITY_READ))],
)
def get_product(sku: SkuPath, request: Request) -> Response:
    return JSONResponse(network.get_product(sku, unit_of_work(request)))


@router.put(
    "/locations/{location_id}",
    status_code=200,
    dependencies=[Depends(require(Permission.NETWORK_WRITE))],
    responses={201: {"description": "Created"}},
)
def put_location(location_id: IdPath, body: LocationIn, request: Request) -> Response:
    location = body.to_domain(location_id)
    created = network.put_location(location, unit_of_work(request), clock(request))
    return _created_or_ok(created, location_document(location))


@router.get(
    "/locations/{location_id}", dependencies=[Depends(require(Permission.AVAILABILITY_READ))]
)
def get_location(location_id: IdPath, request: Request) -> Response:
    return JSONResponse(network.get_location(location_id, unit_of_work(request)))
