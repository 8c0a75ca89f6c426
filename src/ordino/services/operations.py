"""Settings use cases: how a location works (calendar, cut-offs, processing times,
capacity, carrier collection days), the carrier services and their rate cards. Each is one document
with a version: send the version read to be refused if someone changed it since."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ordino.domain.carriers import CarrierService, service_document
from ordino.domain.costs import LocationCosts, RateCard, location_costs_document, rate_card_document
from ordino.domain.operations import (
    default_operations,
    operations_document,
    operations_from_document,
)
from ordino.errors import NotFound
from ordino.services.answers import refuse_changed
from ordino.services.retry import with_retries
from ordino.services.unit_of_work import UnitOfWork


def put_operations(
    location_id: str,
    document: dict[str, Any],
    uow: UnitOfWork,
    now: datetime,
    version: int | None = None,
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
            created = uow.operations.put(location_id, operations_document(operations), now)
            uow.commit()
        return created, _operations_answer(
            location_id, operations_document(operations), version_after(stored)
        )

    return with_retries(attempt)


def get_operations(location_id: str, uow: UnitOfWork) -> dict[str, Any]:
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


def put_carrier_service(
    service: CarrierService, uow: UnitOfWork, now: datetime, version: int | None = None
) -> tuple[bool, dict[str, Any]]:
    def attempt(_: int) -> tuple[bool, dict[str, Any]]:
        with uow:
            stored = uow.carriers.get(service.code)
            refuse_changed(f"carrier service {service.code}", stored and stored[1], version)
            created = uow.carriers.put(service, now)
            uow.commit()
        return created, carrier_answer(service, version_after(stored))

    return with_retries(attempt)


def get_carrier_service(code: str, uow: UnitOfWork) -> dict[str, Any]:
    with uow:
        stored = uow.carriers.get(code)
    if stored is None:
        raise NotFound(f"no carrier service {code}", extra={"code": code})
    return carrier_answer(*stored)


def list_carrier_services(uow: UnitOfWork) -> list[dict[str, Any]]:
    with uow:
        return [carrier_answer(service, version) for service, version in uow.carriers.all()]


def delete_carrier_service(code: str, uow: UnitOfWork) -> None:
    with uow:
        if not uow.carriers.remove(code):
            raise NotFound(f"no carrier service {code}", extra={"code": code})
        uow.commit()


def version_after(stored: tuple[Any, int] | None) -> int:
    return 1 if stored is None else stored[1] + 1


def carrier_answer(service: CarrierService, version: int) -> dict[str, Any]:
    return {"code": service.code, **service_document(service), "version": version}


def _operations_answer(location_id: str, document: dict[str, Any], version: int) -> dict[str, Any]:
    return {"location_id": location_id, **document, "version": version}


def put_rate_card(
    card: RateCard, uow: UnitOfWork, now: datetime, version: int | None = None
) -> tuple[bool, dict[str, Any]]:
    def attempt(_: int) -> tuple[bool, dict[str, Any]]:
        with uow:
            stored = uow.rate_cards.get(card.service)
            refuse_changed(f"rate card {card.service}", stored and stored[1], version)
            created = uow.rate_cards.put(card, now)
            uow.commit()
        return created, rate_card_answer(card, version_after(stored))

    return with_retries(attempt)


def get_rate_card(service: str, uow: UnitOfWork) -> dict[str, Any]:
    with uow:
        stored = uow.rate_cards.get(service)
    if stored is None:
        raise NotFound(f"no rate card for {service}", extra={"service": service})
    return rate_card_answer(*stored)


def list_rate_cards(uow: UnitOfWork) -> list[dict[str, Any]]:
    with uow:
        return [rate_card_answer(card, version) for card, version in uow.rate_cards.all()]


def delete_rate_card(service: str, uow: UnitOfWork) -> None:
    with uow:
        if not uow.rate_cards.remove(service):
            raise NotFound(f"no rate card for {service}", extra={"service": service})
        uow.commit()


def rate_card_answer(card: RateCard, version: int) -> dict[str, Any]:
    return {"service": card.service, **rate_card_document(card), "version": version}


def put_location_costs(
    location_id: str,
    costs: LocationCosts,
    uow: UnitOfWork,
    now: datetime,
    version: int | None = None,
) -> tuple[bool, dict[str, Any]]:
    """What a location spends to fulfil: per order, per unit, store labour, markdown."""

    def attempt(_: int) -> tuple[bool, dict[str, Any]]:
        with uow:
            if uow.network.get(location_id) is None:
                raise NotFound(f"no location {location_id}", extra={"location_id": location_id})
            stored = uow.location_costs.get(location_id)
            refuse_changed(f"location {location_id}'s costs", stored and stored[1], version)
            created = uow.location_costs.put(location_id, costs, now)
            uow.commit()
        return created, _costs_answer(location_id, costs, version_after(stored))

    return with_retries(attempt)


def get_location_costs(location_id: str, uow: UnitOfWork) -> dict[str, Any]:
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
