"""Settings use cases: how a location works (calendar, cut-offs, processing times,
capacity, carrier collection days), the carrier services and their rate cards. Each is one document
with a version: send the version read to be refused if someone changed it since. Each
change is recorded, with its author, in the unit of work that makes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from ordino.kernel.domain import ConfigurationKind, NotFound
from ordino.kernel.services import (
    ORDINO,
    Changed,
    NamedDocuments,
    record,
    refuse_changed,
    with_retries,
)
from ordino.network.domain.carriers import CarrierService, service_document
from ordino.network.domain.costs import (
    LocationCosts,
    RateCard,
    location_costs_document,
    rate_card_document,
)
from ordino.network.domain.operations import (
    default_operations,
    operations_document,
    operations_from_document,
)
from ordino.network.services.ports import NetworkWork

T = TypeVar("T")


def put_operations(
    location_id: str,
    document: dict[str, Any],
    uow: NetworkWork,
    now: datetime,
    version: int | None = None,
    by: str = ORDINO,
) -> tuple[bool, dict[str, Any]]:
    """Describe how a location works (replacing what was described)."""

    def attempt(_: int) -> tuple[bool, dict[str, Any]]:
        with uow:
            location = uow.network.get(location_id)
            if location is None:
                raise NotFound(f"no location {location_id}", extra={"location_id": location_id})
            stored = uow.operations.document(location_id)
            refuse_changed(f"location {location_id}'s operations", stored and stored[1], version)
            operations = operations_from_document(location_id, location.time_zone, document)
            after = operations_document(operations)
            created = uow.operations.put(location_id, after, now)
            what = (ConfigurationKind.LOCATION_OPERATIONS, location_id, version_after(stored))
            record(uow, what, None if stored is None else stored[0], after, Changed(by, now))
            uow.commit()
        return created, _operations_answer(location_id, after, version_after(stored))

    return with_retries(attempt)


def get_operations(location_id: str, uow: NetworkWork) -> dict[str, Any]:
    """How a location works; one nobody described works always, at once, unlimited
    (version 0)."""
    with uow:
        location = uow.network.get(location_id)
        stored = uow.operations.document(location_id)
    if location is None:
        raise NotFound(f"no location {location_id}", extra={"location_id": location_id})
    if stored is None:
        default = operations_document(default_operations(location_id, location.time_zone))
        return _operations_answer(location_id, default, 0)
    return _operations_answer(location_id, stored[0], stored[1])


@dataclass(frozen=True)
class Named(Generic[T]):
    """A kind of setting kept by name: what it is called, the key its answer names
    it by, and where the unit of work keeps it."""

    what: str
    kind: ConfigurationKind
    key: str
    name_of: Callable[[T], str]
    document: Callable[[T], dict[str, Any]]
    kept: Callable[[NetworkWork], NamedDocuments[T]]

    def answer(self, item: T, version: int) -> dict[str, Any]:
        return {self.key: self.name_of(item), **self.document(item), "version": version}


CARRIER_SERVICES: Named[CarrierService] = Named(
    "carrier service",
    ConfigurationKind.CARRIER_SERVICE,
    "code",
    lambda s: s.code,
    service_document,
    lambda uow: uow.carriers,
)
RATE_CARDS: Named[RateCard] = Named(
    "rate card",
    ConfigurationKind.RATE_CARD,
    "service",
    lambda c: c.service,
    rate_card_document,
    lambda uow: uow.rate_cards,
)


def put_named(
    kind: Named[T],
    item: T,
    uow: NetworkWork,
    now: datetime,
    version: int | None = None,
    by: str = ORDINO,
) -> tuple[bool, dict[str, Any]]:
    """Create or replace; with `version` (the one read), refused if it changed since."""
    name = kind.name_of(item)

    def attempt(_: int) -> tuple[bool, dict[str, Any]]:
        with uow:
            stored = kind.kept(uow).get(name)
            refuse_changed(f"{kind.what} {name}", stored and stored[1], version)
            created = kind.kept(uow).put(item, now)
            before = None if stored is None else kind.document(stored[0])
            what = (kind.kind, name, version_after(stored))
            record(uow, what, before, kind.document(item), Changed(by, now))
            uow.commit()
        return created, kind.answer(item, version_after(stored))

    return with_retries(attempt)


def get_named(kind: Named[T], name: str, uow: NetworkWork) -> dict[str, Any]:
    with uow:
        stored = kind.kept(uow).get(name)
    if stored is None:
        raise NotFound(f"no {kind.what} {name}", extra={kind.key: name})
    return kind.answer(*stored)


def list_named(kind: Named[T], uow: NetworkWork) -> list[dict[str, Any]]:
    with uow:
        return [kind.answer(item, version) for item, version in kind.kept(uow).all()]


def delete_named(
    kind: Named[T], name: str, uow: NetworkWork, now: datetime, by: str = ORDINO
) -> None:
    with uow:
        stored = kind.kept(uow).get(name)
        if stored is None or not kind.kept(uow).remove(name):
            raise NotFound(f"no {kind.what} {name}", extra={kind.key: name})
        what = (kind.kind, name, None)
        record(uow, what, kind.document(stored[0]), None, Changed(by, now))
        uow.commit()


def version_after(stored: tuple[Any, int] | None) -> int:
    return 1 if stored is None else stored[1] + 1


def _operations_answer(location_id: str, document: dict[str, Any], version: int) -> dict[str, Any]:
    return {"location_id": location_id, **document, "version": version}


def put_location_costs(
    location_id: str,
    costs: LocationCosts,
    uow: NetworkWork,
    now: datetime,
    version: int | None = None,
    by: str = ORDINO,
) -> tuple[bool, dict[str, Any]]:
    """What a location spends to fulfil: per order, per unit, store labour, markdown."""

    def attempt(_: int) -> tuple[bool, dict[str, Any]]:
        with uow:
            if uow.network.get(location_id) is None:
                raise NotFound(f"no location {location_id}", extra={"location_id": location_id})
            stored = uow.location_costs.get(location_id)
            refuse_changed(f"location {location_id}'s costs", stored and stored[1], version)
            created = uow.location_costs.put(location_id, costs, now)
            before = None if stored is None else location_costs_document(stored[0])
            what = (ConfigurationKind.LOCATION_COSTS, location_id, version_after(stored))
            record(uow, what, before, location_costs_document(costs), Changed(by, now))
            uow.commit()
        return created, _costs_answer(location_id, costs, version_after(stored))

    return with_retries(attempt)


def get_location_costs(location_id: str, uow: NetworkWork) -> dict[str, Any]:
    """A location's costs; one nobody described costs nothing (version 0)."""
    with uow:
        location = uow.network.get(location_id)
        stored = uow.location_costs.get(location_id)
    if location is None:
        raise NotFound(f"no location {location_id}", extra={"location_id": location_id})
    costs, version = stored if stored is not None else (LocationCosts(), 0)
    return _costs_answer(location_id, costs, version)


def _costs_answer(location_id: str, costs: LocationCosts, version: int) -> dict[str, Any]:
    return {"location_id": location_id, **location_costs_document(costs), "version": version}
