"""The carrier's label of a return sent back by carrier: booked by the worker once
the return is authorised (a job, written with the authorisation), kept with the
return, and told (`return.label_created`); voided with the carrier when the return
ends (withdrawn, declined, closed) before the parcel travelled (the same job,
written then).

Invariants:
  * the carrier is never called inside a database transaction; it is asked under
    the return's key, so asked again after a crash it answers the same label and
    books no second parcel;
  * a return keeps one label: kept under the order's lock, a second worker's finds
    the first's and keeps nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from ordino.kernel.domain import label_job
from ordino.kernel.services import with_retries
from ordino.network.domain import CarrierLabels, Label, LabelRequest
from ordino.orders.domain import Order
from ordino.returns.domain import BY_CARRIER, ReturnAuthorization, ReturnLabel, labelled
from ordino.returns.services.lookup import locked_return
from ordino.returns.services.policy import policy_of
from ordino.returns.services.ports import ReturnsWork


def after_authorised(uow: ReturnsWork, ra: ReturnAuthorization, now: datetime) -> None:
    """A return to travel by carrier gets its label booked by the worker."""
    if ra.needs_label:
        uow.jobs.add(label_job(ra.id, now), now)


def after_withdrawn(uow: ReturnsWork, ra: ReturnAuthorization, now: datetime) -> None:
    """A return ended (withdrawn, declined, or closed) before its parcel travelled,
    with its label booked (or being booked): the worker voids it with the carrier."""
    if ra.method in BY_CARRIER and ra.travelled_at is None:
        uow.jobs.add(label_job(ra.id, now), now)


def settle_label(return_id: str, uow: ReturnsWork, carrier: CarrierLabels, now: datetime) -> None:
    """Book the return's label with the carrier and keep it, or void the one it has
    when the return was withdrawn or declined (nothing when neither is needed)."""
    key = f"return:{return_id}"
    with uow:
        ra = uow.returns.get(return_id)
        order = None if ra is None else uow.orders.get(ra.order_id)
        request = None
        if ra is not None and order is not None and ra.needs_label:
            request = _request(uow, order, ra)
    if ra is not None and ra.label_to_void:
        carrier.void_label(key, now)
        with_retries(lambda _: _void(return_id, uow, now))
    if request is None:
        return
    label = carrier.return_label(key, request, now)
    if not with_retries(lambda _: _keep(return_id, label, uow, now)):
        carrier.void_label(key, now)  # withdrawn while it was booked


def _keep(return_id: str, label: Label, uow: ReturnsWork, now: datetime) -> bool:
    """Whether the label was kept (or had been): False when the return no longer
    goes by carrier."""
    with uow:
        order, ra = locked_return(uow, return_id)
        if not ra.needs_label:
            return ra.label is not None
        labelled(order, ra, ReturnLabel(label.carrier, label.tracking_number, now), now)
        uow.returns.add_label(ra.id, label)
        uow.returns.save(ra)
        uow.orders.save(order)
        uow.commit()
    return True


def _void(return_id: str, uow: ReturnsWork, now: datetime) -> None:
    with uow:
        _order, ra = locked_return(uow, return_id)
        if ra.label_to_void:
            uow.returns.void_label(ra.id, now)
            uow.commit()


def _request(uow: ReturnsWork, order: Order, ra: ReturnAuthorization) -> LabelRequest | None:
    """From the customer's address to where most of its units go."""
    going = sorted((line for line in ra.lines if line.destination), key=lambda line: -line.open)
    destination = uow.network.get(going[0].destination) if going and going[0].destination else None
    if destination is None:
        return None
    carrier = policy_of(uow).routing.carrier
    ship_to = replace(destination.address, name=destination.address.name or destination.name)
    return LabelRequest(carrier, order.ship_to, ship_to, ra.code)
