"""Products found by words and attributes, each with what it sells through the
channel's view and, given a place, the nearest pickup locations that have it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ordino.http.deps import clock, unit_of_work
from ordino.http.security import require
from ordino.inventory.api.availability import PlaceParams
from ordino.inventory.api.availability_schemas import FutureAvailability, NearbyOut
from ordino.inventory.services.product_search import ProductSearch, search_products
from ordino.kernel.domain import ApiKey, InvalidInput, Permission
from ordino.network.api import ProductOut
from ordino.network.domain import ProductQuery

router = APIRouter(prefix="/v1")

Cursor = Annotated[
    str | None, Field(min_length=1, max_length=64, description="next_cursor of the last page")
]


class ProductAvailabilityOut(BaseModel):
    """What the product sells through the view (as `GET /v1/availability` answers)."""

    available: int
    status: str
    future: list[FutureAvailability]
    nearest: list[NearbyOut] | None = Field(
        None, description="Given a place: the nearest pickup locations that have it"
    )


class ProductFound(ProductOut):
    availability: ProductAvailabilityOut


class ProductPage(BaseModel):
    view: str = Field(description="The availability view read through")
    items: list[ProductFound]
    next_cursor: str | None = Field(description="Ask again with it for the next page")


class ProductSearchParams(PlaceParams):
    q: Annotated[
        str,
        Field(
            max_length=200,
            description="Words, each beginning a word of the SKU, the name "
            "or an attribute's value (case and accents folded)",
        ),
    ] = ""
    attribute: Annotated[
        list[Annotated[str, Field(max_length=300)]],
        Field(max_length=10, description="`name:value`, repeated: each attribute equal"),
    ] = []
    in_stock: Annotated[
        bool,
        Field(
            description="Only what the view sells now (given a place: what a pickup "
            "location near has); a page may then hold fewer products, `next_cursor` going on"
        ),
    ] = False
    cursor: Cursor = None
    limit: Annotated[int, Field(ge=1, le=100)] = 20

    def to_query(self) -> ProductQuery:
        pairs = []
        for given in self.attribute:
            name, _, value = given.partition(":")
            if not name or not value:
                raise InvalidInput.of("attribute", f"give name:value, not {given!r}")
            pairs.append((name, value))
        return ProductQuery.of(self.q, pairs, self.cursor)


@router.get("/products", response_model=ProductPage)
def list_products(
    request: Request,
    params: Annotated[ProductSearchParams, Query()],
    caller: Annotated[ApiKey, Depends(require(Permission.AVAILABILITY_READ))],
) -> Response:
    """Products in SKU order, found by words (`q`) and attributes, a page at a time
    (`next_cursor`), each with what it sells through the channel's view and, given a
    place (coordinates, or a postal code and its country), the nearest pickup
    locations that have it."""
    search = ProductSearch(
        params.to_query(),
        params.limit,
        params.view,
        params.channel_for(caller),
        params.near(),
        params.in_stock,
        params.scope_of(caller),
    )
    state = request.app.state
    answer = search_products(search, unit_of_work(request), state.picture, clock(request))
    return JSONResponse(answer)
