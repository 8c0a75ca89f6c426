"""Products and locations: upserts keyed by the caller's ids, and their searches.

A product search goes in through an index for each condition (a word's range of
`product_terms`, an attribute's entry in `product_attributes`) and pages by SKU
(keyset: after the last SKU seen), so a page costs what matches, never the whole
catalogue; locations page by id the same way. On PostgreSQL the search is planned
by its indexes whatever the statistics say (`through_indexes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Select, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ordino.kernel.domain import ChangeLog, LostRace, Point, from_minor, to_minor
from ordino.network.domain.locations import (
    Address,
    Location,
    LocationQuery,
    LocationType,
    address_fields,
)
from ordino.network.domain.products import (
    Customs,
    Product,
    ProductFacts,
    ProductQuery,
    customs_document,
    customs_from,
    search_terms,
)
from ordino.network.store.tables import (
    locations,
    product_attributes,
    product_prices,
    product_terms,
    products,
)
from ordino.store.dialect import one_of, through_indexes

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
        self.changes.product(product.sku)  # known from now on, at its prices
        weight_g = None if product.weight_kg is None else int(product.weight_kg * 1000)
        created = _upsert(
            self.connection,
            products,
            products.c.sku == product.sku,
            {
                "sku": product.sku,
                "name": product.name,
                "weight_g": weight_g,
                "updated_at": now,
                "tax_class": product.tax_class,
                "customs": customs_document(product.customs),
            },
        )
        prices = [
            {"sku": product.sku, "currency": currency, "amount_minor": to_minor(amount, currency)}
            for currency, amount in sorted(product.prices.items())
        ]
        attributes = [
            {"sku": product.sku, "name": name, "value": value}
            for name, value in sorted(product.attributes.items())
        ]
        terms = [{"term": term, "sku": product.sku} for term in sorted(search_terms(product))]
        self._replace(product_prices, product.sku, prices, created)
        self._replace(product_attributes, product.sku, attributes, created)
        self._replace(product_terms, product.sku, terms, created)
        return created

    def _replace(self, table: Any, sku: str, rows: list[dict[str, Any]], created: bool) -> None:
        """A product's rows of `table` become `rows` (a new product has none to delete)."""
        if not created:
            self.connection.execute(delete(table).where(table.c.sku == sku))
        if rows:
            self.connection.execute(insert(table), rows)

    def get(self, sku: str) -> Product | None:
        row = self.connection.execute(select(products).where(products.c.sku == sku)).first()
        if row is None:
            return None
        prices = self.connection.execute(
            select(product_prices.c.currency, product_prices.c.amount_minor).where(
                product_prices.c.sku == sku
            )
        ).all()
        return self._products([row], {sku: prices})[0]

    def known(self, skus: Iterable[str]) -> set[str]:
        return _existing(self.connection, products.c.sku, skus)

    def facts(self, skus: Iterable[str]) -> dict[str, ProductFacts]:
        """The price of each known SKU of `skus` in each currency it has one in, its
        weight and its tax class (one query)."""
        wanted = sorted(set(skus))
        query = (
            select(
                products.c.sku,
                products.c.weight_g,
                products.c.tax_class,
                product_prices.c.currency,
                product_prices.c.amount_minor,
            )
            .outerjoin(product_prices, product_prices.c.sku == products.c.sku)
            .where(one_of(self.connection, products.c.sku, wanted))
        )
        prices: dict[str, dict[str, Decimal]] = {}
        rest: dict[str, tuple[Decimal | None, str]] = {}
        for row in self.connection.execute(query):
            priced = prices.setdefault(row.sku, {})
            if row.currency:
                priced[row.currency] = from_minor(row.amount_minor, row.currency)
            weight = None if row.weight_g is None else Decimal(row.weight_g) / 1000
            rest[row.sku] = (weight, row.tax_class)
        return {sku: ProductFacts(found, *rest[sku]) for sku, found in prices.items()}

    def customs(self, skus: Iterable[str]) -> dict[str, Customs]:
        """What a declaration says of each SKU that has it, by SKU."""
        wanted = sorted(set(skus))
        query = select(products.c.sku, products.c.customs).where(
            one_of(self.connection, products.c.sku, wanted), products.c.customs.is_not(None)
        )
        found = {row.sku: customs_from(row.customs) for row in self.connection.execute(query)}
        return {sku: customs for sku, customs in found.items() if customs is not None}

    def names(self, skus: Iterable[str]) -> dict[str, str]:
        """The name of each SKU in the catalogue, by SKU (what people read)."""
        wanted = sorted(set(skus))
        query = select(products.c.sku, products.c.name).where(
            one_of(self.connection, products.c.sku, wanted)
        )
        return {row.sku: row.name for row in self.connection.execute(query)}

    def search(self, query: ProductQuery, limit: int) -> list[Product]:
        """Up to `limit` products matching `query`, in SKU order after its cursor."""
        return self._found(self._matching(select(products), query, limit))

    def search_skus(self, query: ProductQuery, limit: int) -> list[str]:
        """The SKUs of `search`'s products (what an in-stock search weighs first)."""
        return list(self.connection.scalars(self._matching(select(products.c.sku), query, limit)))

    def products(self, skus: Sequence[str]) -> list[Product]:
        """The products of `skus` that exist, in SKU order."""
        wanted = select(products).where(products.c.sku.in_(skus)).order_by(products.c.sku)
        return self._found(wanted) if skus else []

    def _matching(self, chosen: Select[Any], query: ProductQuery, limit: int) -> Select[Any]:
        for condition in _product_conditions(query):
            chosen = chosen.where(condition)
        through_indexes(self.connection)  # a search's transaction reads only its page
        return chosen.order_by(products.c.sku).limit(limit)

    def _found(self, chosen: Select[Any]) -> list[Product]:
        rows = self.connection.execute(chosen).all()
        skus = [row.sku for row in rows]
        prices: dict[str, list[Any]] = {sku: [] for sku in skus}
        if skus:
            priced = select(product_prices).where(product_prices.c.sku.in_(skus))
            for price in self.connection.execute(priced):
                prices[price.sku].append(price)
        return self._products(rows, prices)

    def _products(self, rows: Sequence[Any], prices: Mapping[str, Iterable[Any]]) -> list[Product]:
        """The products of `rows` with their prices and attributes (one query for all)."""
        attributes: dict[str, dict[str, str]] = {row.sku: {} for row in rows}
        if rows:
            chosen = select(product_attributes).where(product_attributes.c.sku.in_(attributes))
            for attribute in self.connection.execute(chosen):
                attributes[attribute.sku][attribute.name] = attribute.value
        return [
            Product(
                row.sku,
                row.name,
                None if row.weight_g is None else Decimal(row.weight_g) / 1000,
                {p.currency: from_minor(p.amount_minor, p.currency) for p in prices[row.sku]},
                attributes[row.sku],
                row.tax_class,
                customs_from(row.customs),
            )
            for row in rows
        ]


def _product_conditions(query: ProductQuery) -> list[ColumnElement[bool]]:
    """One condition per word (a range of terms: the words it begins) and per attribute,
    each a lookup in its index."""
    conditions: list[ColumnElement[bool]] = [
        products.c.sku.in_(
            select(product_terms.c.sku).where(
                product_terms.c.term >= word, product_terms.c.term < _next_after(word)
            )
        )
        for word in query.words
    ]
    conditions += [
        products.c.sku.in_(
            select(product_attributes.c.sku).where(
                product_attributes.c.name == name, product_attributes.c.value == value
            )
        )
        for name, value in query.attributes
    ]
    if query.after is not None:
        conditions.append(products.c.sku > query.after)
    return conditions


def _next_after(prefix: str) -> str:
    """The least string above every string that begins with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


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

    def find(self, query: LocationQuery, limit: int) -> list[Location]:
        """Up to `limit` locations matching `query`, in id order after its cursor."""
        found: Select[Any] = select(locations).order_by(locations.c.id).limit(limit)
        if query.type is not None:
            found = found.where(locations.c.type == str(query.type))
        if query.country is not None:
            found = found.where(locations.c.country == query.country)
        if query.pickup is not None:
            found = found.where(locations.c.pickup == query.pickup)
        if query.ships is not None:
            found = found.where(locations.c.ships == query.ships)
        if query.after is not None:
            found = found.where(locations.c.id > query.after)
        return [_location(row) for row in self.connection.execute(found)]


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
