"""The fulfilment network: warehouses, stores and suppliers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ordino.domain.geo import Point


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
