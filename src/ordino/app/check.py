"""`ordino check`: the invariants of inventory, verified over the whole database,
and the payments against the gateway's own record."""

from __future__ import annotations

from datetime import datetime

from ordino.app.unit_of_work import UnitOfWork
from ordino.inventory.domain.positions import Discrepancy, Position
from ordino.payments.domain.ledger import PaymentDiscrepancy, discrepancies, held
from ordino.payments.domain.payments import PaymentGateway


def check_inventory(uow: UnitOfWork) -> list[Discrepancy]:
    """Every broken invariant: reserved against the ledger, on hand against movements."""
    with uow:
        return uow.audit.discrepancies()


def shortages(uow: UnitOfWork) -> list[Position]:
    """Positions whose on hand fell below reserved after a count: not broken, but the
    orders holding them must be served elsewhere."""
    with uow:
        return uow.audit.shortages()


def check_payments(
    uow: UnitOfWork, gateway: PaymentGateway, now: datetime, page: int = 500
) -> list[PaymentDiscrepancy]:
    """Every card payment against the gateway's record of its authorisations: what
    each authorised, captured, refunded and voided, orphans still holding money, and
    calls left without their answer."""
    found: list[PaymentDiscrepancy] = []
    after: str | None = None
    while True:
        with uow:
            batch = uow.payments.by_card(after, page)
            ops = {payment.id: uow.payments.operations(payment.id) for payment in batch}
        for payment in batch:
            references = held(ops[payment.id])
            at_gateway = {reference: gateway.authorisation(reference) for reference in references}
            found += discrepancies(payment, ops[payment.id], at_gateway, now)
        if len(batch) < page:
            return found
        after = batch[-1].id
