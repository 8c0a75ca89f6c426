"""The fulfilment network: warehouses, stores and suppliers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ordino.kernel.domain import Point


class LocationType(StrEnum):
    WAREHOUSE = "warehouse"
    STORE = "store"
    SUPPLIER = "supplier"


@dataclass(frozen=True)
class Address:
    line1: str
    city: str
    postal_code: str
    country: str
    line2: str | None = None
    region: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Location:
    id: str
    name: str
    type: LocationType
    address: Address
    point: Point | None
    time_zone: str
    ships: bool
    pickup: bool
    returns: bool


@dataclass(frozen=True)
class LocationQuery:
    """Locations of a type, in a country, that take pickups, that ship (each when
    given), after the id `after` (the cursor), in id order."""

    type: LocationType | None = None
    country: str | None = None
    pickup: bool | None = None
    ships: bool | None = None
    after: str | None = None


def address_fields(a: Address) -> dict[str, Any]:
    """An address's fields as documents and rows hold them."""
    return {
        "line1": a.line1,
        "line2": a.line2,
        "city": a.city,
        "region": a.region,
        "postal_code": a.postal_code,
        "country": a.country,
    }


def address_from_fields(fields: dict[str, Any]) -> Address:
    """An address back from `address_fields`."""
    return Address(
        fields["line1"],
        fields["city"],
        fields["postal_code"],
        fields["country"],
        fields.get("line2"),
        fields.get("region"),
    )


def ship_to_document(a: Address, point: Point | None) -> dict[str, Any]:
    """Where an order goes: the address with its name, and the point when known."""
    return {
        "name": a.name,
        **address_fields(a),
        "latitude": point.latitude if point else None,
        "longitude": point.longitude if point else None,
    }


def location_document(location: Location) -> dict[str, Any]:
    """A location as the API reads and writes it."""
    a, point = location.address, location.point
    return {
        "id": location.id,
        "name": location.name,
        "type": str(location.type),
        "address": address_fields(a),
        "latitude": point.latitude if point else None,
        "longitude": point.longitude if point else None,
        "time_zone": location.time_zone,
        "ships": location.ships,
        "pickup": location.pickup,
        "returns": location.returns,
    }


@dataclass(frozen=True)
class PromiseDestination:
    country: str
    point: Point | None
    postal_code: str | None = None
