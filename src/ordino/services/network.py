"""Catalogue and network use cases: products and locations, keyed by the caller's ids."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ordino.domain.catalog import Product
from ordino.domain.network import Location
from ordino.errors import NotFound
from ordino.services.retry import with_retries
from ordino.services.unit_of_work import UnitOfWork
from ordino.services.views import location_view, product_view


def put_product(product: Product, uow: UnitOfWork, now: datetime) -> bool:
    """Create or replace a product; True when it was created."""

    def attempt(_: int) -> bool:
        with uow:
            created = uow.catalog.put(product, now)
            uow.commit()
            return created

    return with_retries(attempt)


def put_location(location: Location, uow: UnitOfWork, now: datetime) -> bool:
    """Create or replace a location; True when it was created."""

    def attempt(_: int) -> bool:
        with uow:
            created = uow.network.put(location, now)
            uow.commit()
            return created

    return with_retries(attempt)


def get_product(sku: str, uow: UnitOfWork) -> dict[str, Any]:
    with uow:
        product = uow.catalog.get(sku)
    if product is None:
        raise NotFound(f"no product {sku}", extra={"sku": sku})
    return product_view(product)


def get_location(location_id: str, uow: UnitOfWork) -> dict[str, Any]:
    with uow:
        location = uow.network.get(location_id)
    if location is None:
        raise NotFound(f"no location {location_id}", extra={"location_id": location_id})
    return location_view(location)
