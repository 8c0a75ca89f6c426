"""Customs declarations of the parcels that cross a customs border
(`ordino.pricing.domain.customs`): made as the parcel is shipped, in the transaction
its goods leave in, from its invoice, the products' customs facts, the channel's
terms of delivery (DAP, DDP) and the rates loaded; before then, shown as they would
be (a preview the packer prints the papers from)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ordino.kernel.domain import NotFound
from ordino.network.domain import address_fields
from ordino.orchestration.services.ports import OrchestrationWork
from ordino.orders.domain import Fulfillment, FulfillmentStatus, Order
from ordino.pricing.domain import (
    TAX_SETTINGS,
    BilledPart,
    Crossing,
    CustomsFacts,
    Incoterm,
    billed_charge,
    billed_units,
    crosses_border,
    declaration_document,
    declare,
)
from ordino.promising.domain import Method

_NO_PARCEL = {FulfillmentStatus.CANCELLED, FulfillmentStatus.REJECTED}
# The tax treatments under which the Union's VAT was charged to a consumer at the sale.
_CONSUMERS_VAT = ("domestic", "destination")


def declare_shipment(
    uow: OrchestrationWork,
    order: Order,
    fo: Fulfillment,
    parts: tuple[BilledPart, ...],
    now: datetime,
) -> dict[str, Any] | None:
    """In the caller's transaction: the declaration of a parcel shipped across a
    customs border (`parts`: what its invoice bills), written; None when it crosses
    none."""
    document = _declaration(uow, order, fo, parts)
    if document is None:
        return None
    declared = document | {"status": "declared", "declared_at": now.isoformat()}
    uow.declarations.add(fo.id, order.id, declared, now)
    return declared


def customs_of(uow: OrchestrationWork, order: Order, fo: Fulfillment) -> dict[str, Any]:
    """In an entered unit of work: the parcel's declaration as made when it shipped,
    or, before, as it would be made now (`status` `declared` or `preview`); NotFound
    when it crosses no customs border."""
    kept = uow.declarations.of_fulfillment(fo.id)
    if kept is not None:
        return kept
    if fo.status in _NO_PARCEL or fo.left:  # no parcel will leave; or it left undeclared
        raise NotFound(f"fulfillment order {fo.id} has no customs declaration")
    document = _declaration(uow, order, fo, _parts_of(order, fo))
    if document is None:
        raise NotFound(f"fulfillment order {fo.id} crosses no customs border")
    return document | {"status": "preview", "declared_at": None}


def order_customs(uow: OrchestrationWork, order: Order) -> dict[str, dict[str, Any]]:
    """In an entered unit of work: the declaration of each of the order's parcels
    that crosses a customs border (as made, or a preview), by fulfillment order."""
    found = {}
    for fo in order.fulfillments:
        try:
            found[fo.id] = customs_of(uow, order, fo)
        except NotFound:
            continue
    return found


def _parts_of(order: Order, fo: Fulfillment) -> tuple[BilledPart, ...]:
    """What the parcel's invoice will bill: its units next to leave, and the order's
    charges when nothing left before it."""
    taken: dict[int, int] = {}
    for other in order.fulfillments:
        for fl in other.lines:
            if fl.first_unit is not None:
                taken[fl.line_no] = max(taken.get(fl.line_no, 0), fl.first_unit + fl.quantity)
    parts = [
        billed_units(order.line(fl.line_no).price, fl.first_unit
                     if fl.first_unit is not None else taken.get(fl.line_no, 0), fl.quantity)
        for fl in fo.lines
        if fl.quantity
    ]  # fmt: skip
    if not taken:
        parts += [billed_charge(charge, k) for k, charge in enumerate(order.charges)]
    return tuple(parts)


def _declaration(
    uow: OrchestrationWork, order: Order, fo: Fulfillment, parts: tuple[BilledPart, ...]
) -> dict[str, Any] | None:
    if fo.method is Method.PICKUP:  # collected where it is: it goes nowhere
        return None
    leaving = uow.network.get(fo.location_id)
    store = (
        uow.network.get(fo.store_id) if fo.method is Method.SHIP_TO_STORE and fo.store_id else None
    )
    if leaving is None:
        return None
    origin = leaving.address.country
    destination = store.address.country if store is not None else order.ship_to.country
    if not crosses_border(origin, destination):
        return None
    channel = uow.channels.get(order.channel)
    incoterm = Incoterm(channel[0].pricing.incoterm) if channel else Incoterm.DAP
    found = uow.tax_settings.get(TAX_SETTINGS)
    seller = found[0] if found else None
    skus = [p.sku for p in parts if p.sku]
    weights = {
        sku: facts.weight_kg
        for sku, facts in uow.catalog.facts(skus).items()
        if facts.weight_kg is not None
    }
    facts = CustomsFacts(uow.catalog.customs(skus), weights, uow.customs_rates.of([destination]))
    to = store.address if store is not None else order.ship_to
    crossing = Crossing(
        incoterm,
        origin,
        destination,
        order.currency,
        parts,
        {
            "name": seller.name if seller else None,
            "country": seller.seller_country if seller else None,
            "eori": seller.eori if seller else None,
        },
        {"name": to.name or order.customer.name, "address": address_fields(to)},
        _in_euros(order, parts),
        seller.ioss if seller else None,
        order.tax_treatment in _CONSUMERS_VAT and any(p.tax for p in parts),
    )
    declared = declaration_document(declare(crossing, facts))
    return {"fulfillment_id": fo.id, "order_id": order.id, **declared}


def _in_euros(order: Order, parts: tuple[BilledPart, ...]) -> Decimal | None:
    """The parcel's goods' value in euros: as it is, or at the order's rate when it
    settles in euros; None when neither tells."""
    goods = sum((p.base for p in parts if p.sku), Decimal(0))
    if order.currency == "EUR":
        return goods
    exchange = order.exchange
    if exchange is not None and exchange.settlement == "EUR":
        return exchange.settle(goods)
    return None
