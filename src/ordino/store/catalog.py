"""Products and locations: upserts keyed by the caller's ids."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ordino.domain.catalog import Product
from ordino.domain.changes import ChangeLog
from ordino.domain.geo import Point
from ordino.domain.money import from_minor, to_minor
from ordino.domain.network import Address, Location, LocationType, address_fields
from ordino.errors import LostRace
from ordino.store.dialect import one_of
from ordino.store.tables import locations, product_prices, products

_CHUNK = 10_000


def _upsert(connection: Connection, table: Any, key: Any, values: dict[str, Any]) -> bool:
    """Update the row, or insert it when there is none; True when inserted."""
    if connection.execute(update(table).where(key).values(**values)).rowcount:
        return False
    try:
        connection.execute(insert(table).values(**values))
    except IntegrityError as error:  # a concurrent writer inserted it first
        raise LostRace(str(error.orig)) from error
    return True


def _existing(connection: Connection, key: Any, wanted: Iterable[str]) -> set[str]:
    """The values among `wanted` that `key` holds; asked in chunks, so that a bulk feed
    stays within SQLite's bound on parameters."""
    values, found = sorted(set(wanted)), set[str]()
    for start in range(0, len(values), _CHUNK):
        chunk = values[start : start + _CHUNK]
        found.update(connection.scalars(select(key).where(one_of(connection, key, chunk))))
    return found


class SqlCatalog:
    def __init__(self, connection: Connection, changes: ChangeLog) -> None:
        self.connection = connection
        self.changes = changes

    def put(self, product: Product, now: datetime) -> bool:
        self.changes.sku(product.sku)  # known from now on
        weight_g = None if product.weight_kg is None else int(product.weight_kg * 1000)
        created = _upsert(
            self.connection,
            products,
            products.c.sku == product.sku,
            {"sku": product.sku, "name": product.name, "weight_g": weight_g, "updated_at": now},
        )
        self.connection.execute(delete(product_prices).where(product_prices.c.sku == product.sku))
        if product.prices:
            self.connection.execute(
                insert(product_prices),
                [
                    {
                        "sku": product.sku,
                        "currency": currency,
                        "amount_minor": to_minor(amount, currency),
                    }
                    for currency, amount in sorted(product.prices.items())
                ],
            )
        return created

    def weights(self, skus: Iterable[str]) -> dict[str, Decimal]:
        """The weight of each SKU that has one."""
        wanted = sorted(set(skus))
        query = select(products.c.sku, products.c.weight_g).where(
            one_of(self.connection, products.c.sku, wanted), products.c.weight_g.is_not(None)
        )
        return {row.sku: Decimal(row.weight_g) / 1000 for row in self.connection.execute(query)}

    def get(self, sku: str) -> Product | None:
        row = self.connection.execute(select(products).where(products.c.sku == sku)).first()
        if row is None:
            return None
        prices = self.connection.execute(
            select(product_prices.c.currency, product_prices.c.amount_minor).where(
                product_prices.c.sku == sku
            )
        )
        weight = None if row.weight_g is None else Decimal(row.weight_g) / 1000
        return Product(
            row.sku,
            row.name,
            weight,
            {p.currency: from_minor(p.amount_minor, p.currency) for p in prices},
        )

    def known(self, skus: Iterable[str]) -> set[str]:
        return _existing(self.connection, products.c.sku, skus)

    def currencies(self, skus: Iterable[str]) -> dict[str, frozenset[str]]:
        """The currencies each known SKU of `skus` has a price in (one query)."""
        wanted = sorted(set(skus))
        query = (
            select(products.c.sku, product_prices.c.currency)
            .outerjoin(product_prices, product_prices.c.sku == products.c.sku)
            .where(one_of(self.connection, products.c.sku, wanted))
        )
        found: dict[str, set[str]] = {}
        for row in self.connection.execute(query):
            found.setdefault(row.sku, set()).update([row.currency] if row.currency else [])
        return {sku: frozenset(currencies) for sku, currencies in found.items()}

    def names(self, skus: Iterable[str]) -> dict[str, str]:
        """The name of each SKU in the catalogue, by SKU (what people read)."""
        wanted = sorted(set(skus))
        query = select(products.c.sku, products.c.name).where(
            one_of(self.connection, products.c.sku, wanted)
        )
        return {row.sku: row.name for row in self.connection.execute(query)}


class SqlNetwork:
    def __init__(self, connection: Connection, changes: ChangeLog) -> None:
        self.connection = connection
        self.changes = changes

    def put(self, location: Location, now: datetime) -> bool:
        """Create or replace; a location sent again unchanged changes nothing (and makes
        no picture of stock forget anything)."""
        existing = self.get(location.id)
        if existing == location:
            return False
        self.changes.location(location.id)
        address, point = location.address, location.point
        values = {
            "id": location.id,
            "name": location.name,
            "type": str(location.type),
            **address_fields(address),
            "latitude": point.latitude if point else None,
            "longitude": point.longitude if point else None,
            "time_zone": location.time_zone,
            "ships": location.ships,
            "pickup": location.pickup,
            "returns": location.returns,
            "updated_at": now,
        }
        return _upsert(self.connection, locations, locations.c.id == location.id, values)

    def known(self, location_ids: Iterable[str]) -> set[str]:
        return _existing(self.connection, locations.c.id, location_ids)

    def is_empty(self) -> bool:
        return self.connection.execute(select(locations.c.id).limit(1)).first() is None

    def get(self, location_id: str) -> Location | None:
        row = self.connection.execute(
            select(locations).where(locations.c.id == location_id)
        ).first()
        return None if row is None else _location(row)

    def all(self) -> list[Location]:
        query = select(locations).order_by(locations.c.id)
        return [_location(row) for row in self.connection.execute(query)]


def _location(row: Row[Any]) -> Location:
    point = None if row.latitude is None else Point(row.latitude, row.longitude)
    address = Address(row.line1, row.city, row.postal_code, row.country, row.line2, row.region)
    return Location(
        row.id,
        row.name,
        LocationType(row.type),
        address,
        point,
        row.time_zone,
        row.ships,
        row.pickup,
        row.returns,
    )
