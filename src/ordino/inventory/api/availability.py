"""Availability through channel views, and the views themselves."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import Field

from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import (
    ID_PATTERN,
    Country,
    Latitude,
    Longitude,
    Strict,
    point_of,
    query_of,
    query_parameters,
)
from ordino.http.security import require
from ordino.inventory.api.availability_schemas import AvailabilityOut, ViewIn, ViewList, ViewOut
from ordino.inventory.services import availability
from ordino.inventory.services.availability import AvailabilityQuery, Near, ReadScope
from ordino.kernel.domain import ApiKey, InvalidInput, Permission

router = APIRouter(prefix="/v1")

NamePath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]
MAX_SKUS = 100


class PlaceParams(Strict):
    """Which view to read through, and where the customer is (for the nearest pickup
    locations with stock): shared by the reads that answer availability."""

    view: Annotated[str | None, Field(max_length=64, description="A view by name")] = None
    channel: Annotated[str | None, Field(max_length=64, description="The view of this channel")] = (
        None
    )
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    postal_code: Annotated[str | None, Field(min_length=1, max_length=20)] = None
    country: Country | None = None
    radius_km: Annotated[float, Field(gt=0, le=1_000)] = availability.DEFAULT_RADIUS_KM
    nearest: Annotated[int, Field(ge=1, le=50)] = availability.DEFAULT_NEAREST

    def near(self) -> Near | None:
        point = point_of(self.latitude, self.longitude)
        if point is None and self.postal_code is None:
            return None
        if point is None and self.country is None:
            raise InvalidInput.of("country", "a postal code needs its country")
        return Near(point, self.country, self.postal_code, self.radius_km, self.nearest)

    def channel_for(self, caller: ApiKey) -> str | None:
        """The channel whose view to read: a channel's key reads through its own."""
        return caller.reading_channel(self.channel)

    @staticmethod
    def scope_of(caller: ApiKey) -> ReadScope:
        """What the caller may be told: its channel's view, its store's stock."""
        return ReadScope(caller.location_id)


class AvailabilityParams(PlaceParams):
    skus: Annotated[
        str, Field(min_length=1, max_length=6600, description="Comma-separated SKUs, at most 100")
    ]
    include: Annotated[
        Literal["locations"] | None, Field(description="`locations`: answer per location too")
    ] = None

    def skus_asked(self) -> tuple[str, ...]:
        wanted = [sku.strip() for sku in self.skus.split(",") if sku.strip()]
        if not wanted or len(wanted) > MAX_SKUS:
            raise InvalidInput.of("skus", f"give between 1 and {MAX_SKUS} comma-separated SKUs")
        if malformed := [sku for sku in wanted if not re.match(ID_PATTERN, sku)]:
            raise InvalidInput.of("skus", f"not SKUs: {', '.join(map(repr, malformed))}")
        return tuple(wanted)


@router.get(
    "/availability",
    response_model=AvailabilityOut,
    response_model_exclude_none=True,
    openapi_extra={"parameters": query_parameters(AvailabilityParams)},
)
async def get_availability(
    request: Request,
    caller: Annotated[ApiKey, Depends(require(Permission.AVAILABILITY_READ))],
) -> Response:
    params = query_of(AvailabilityParams, request)
    """What can be sold of each SKU through a channel's view: the network total, the
    status (in stock, low, out), future availability from inbound supply; per location
    with `include=locations`; the nearest pickup locations with stock given a point or
    a postal code."""
    query = AvailabilityQuery(
        params.skus_asked(),
        params.view,
        params.channel_for(caller),
        params.near(),
        params.include == "locations",
        params.scope_of(caller),
    )
    # Async: what the process's picture of stock holds is answered without a thread;
    # what it lacks is read from the database in one.
    picture, now = request.app.state.picture, clock(request)
    answer = availability.cached_availability(query, picture, now)
    if answer is None:
        uow = unit_of_work(request)
        answer = await run_in_threadpool(availability.read_availability, query, uow, picture, now)
    return JSONResponse(answer)


@router.get(
    "/availability-views",
    response_model=ViewList,
    dependencies=[Depends(require(Permission.SETUP_READ))],
)
def list_views(request: Request) -> Response:
    return JSONResponse({"items": availability.list_views(unit_of_work(request))})


@router.get(
    "/availability-views/{name}",
    response_model=ViewOut,
    dependencies=[Depends(require(Permission.SETUP_READ))],
)
def get_view(name: NamePath, request: Request) -> Response:
    return JSONResponse(availability.get_view(name, unit_of_work(request)))


Configurer = Annotated[ApiKey, Depends(require(Permission.NETWORK_WRITE))]


@router.put(
    "/availability-views/{name}",
    response_model=ViewOut,
    responses={201: {"model": ViewOut, "description": "Created"}},
)
def put_view(name: NamePath, body: ViewIn, request: Request, caller: Configurer) -> Response:
    """Create or replace a view. Send the `version` you read to be refused (409) if
    someone changed the view since. The change is recorded (GET
    /v1/configuration-changes)."""
    if body.name is not None and body.name != name:
        raise InvalidInput.of("name", f"{body.name!r} differs from {name!r} in the path")
    uow, now = unit_of_work(request), clock(request)
    view = body.to_domain(name)
    created, answer = availability.put_view(view, uow, now, body.version, f"key:{caller.id}")
    return JSONResponse(answer, status_code=201 if created else 200)


@router.delete("/availability-views/{name}", status_code=204)
def delete_view(name: NamePath, request: Request, caller: Configurer) -> Response:
    """Remove a view: its channels see through the default view again."""
    availability.delete_view(name, unit_of_work(request), clock(request), f"key:{caller.id}")
    return Response(status_code=204)
