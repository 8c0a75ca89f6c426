"""Catalogue and network use cases: products and locations, keyed by the caller's ids."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ordino.kernel.domain import ConfigurationKind, InvalidInput, NotFound
from ordino.kernel.services import ORDINO, Changed, record, with_retries
from ordino.network.domain.locations import Location, LocationQuery, location_document
from ordino.network.domain.products import Product
from ordino.network.services.answers import product_view
from ordino.network.services.ports import NetworkWork


def put_product(product: Product, uow: NetworkWork, now: datetime) -> bool:
    """Create or replace a product; True when it was created."""
    return put_products([product], uow, now) == 1


def put_products(products: Sequence[Product], uow: NetworkWork, now: datetime) -> int:
    """Create or replace products, all in one transaction; how many were created."""

    def attempt(_: int) -> int:
        with uow:
            created = sum(uow.catalog.put(product, now) for product in products)
            uow.commit()
            return created

    return with_retries(attempt)


def put_location(location: Location, uow: NetworkWork, now: datetime, by: str = ORDINO) -> bool:
    """Create or replace a location; True when it was created."""
    return put_locations([location], uow, now, by) == 1


def put_locations(
    locations: Sequence[Location], uow: NetworkWork, now: datetime, by: str = ORDINO
) -> int:
    """Create or replace locations, all in one transaction; how many were created.
    Each is recorded as a change of configuration made `by` (one per location: an
    auditor asks what happened to one location, not to a batch)."""

    def attempt(_: int) -> int:
        with uow:
            created = sum(_put_location(uow, location, Changed(by, now)) for location in locations)
            uow.commit()
            return created

    return with_retries(attempt)


def _put_location(uow: NetworkWork, location: Location, changed: Changed) -> bool:
    before = uow.network.get(location.id)
    created = uow.network.put(location, changed.at)
    # Locations carry no version: the record orders their changes.
    what = (ConfigurationKind.LOCATION, location.id, None)
    document = None if before is None else location_document(before)
    record(uow, what, document, location_document(location), changed)
    return created


def get_product(sku: str, uow: NetworkWork) -> dict[str, Any]:
    with uow:
        product = uow.catalog.get(sku)
    if product is None:
        raise NotFound(f"no product {sku}", extra={"sku": sku})
    return product_view(product)


def get_location(location_id: str, uow: NetworkWork) -> dict[str, Any]:
    with uow:
        location = uow.network.get(location_id)
    if location is None:
        raise NotFound(f"no location {location_id}", extra={"location_id": location_id})
    return location_document(location)


def list_locations(
    query: LocationQuery, limit: int, uow: NetworkWork
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of locations in id order, and the cursor of the next (None at the end);
    a cursor names a location (the last of a page)."""
    with uow:
        if query.after is not None and not uow.network.known([query.after]):
            raise InvalidInput.of("cursor", "not a cursor: give the next_cursor of a page")
        found = uow.network.find(query, limit + 1)
    page = found[:limit]
    cursor = page[-1].id if len(found) > limit else None
    return [location_document(location) for location in page], cursor
