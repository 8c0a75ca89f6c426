"""`ordino check`: the invariants of inventory, verified over the whole database,
the card payments against the gateway's own record, the other tenders against their
operations, the balances and credit accounts against their entries, and the order
lines' returned and being-returned units against their returns."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from ordino.app.unit_of_work import UnitOfWork
from ordino.inventory.domain.positions import Discrepancy, Position
from ordino.payments.domain.ledger import PaymentDiscrepancy, discrepancies, held, summed
from ordino.payments.domain.payments import Payment, PaymentGateway, PaymentOperation


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
    for payment, ops in _paged(uow, "by_card", page):
        at_gateway = {reference: gateway.authorisation(reference) for reference in held(ops)}
        found += discrepancies(payment, ops, at_gateway, now)
    return found


def check_tenders(uow: UnitOfWork, page: int = 500) -> list[PaymentDiscrepancy]:
    """Every tender Ordino moves itself (gift card, store credit, on account,
    marketplace) whose amounts are not what its operations add up to."""
    found: list[PaymentDiscrepancy] = []
    for payment, ops in _paged(uow, "kept_by_ordino", page):
        derived = summed(payment, ops)
        for name in ("authorised", "captured", "voided", "refunded"):
            stored, added = getattr(payment, name), getattr(derived, name)
            if stored != added:
                problem = f"{payment.method} {name}: {stored}, its operations {added}"
                found.append(PaymentDiscrepancy(payment.order_id, payment.authorisation, problem))
    return found


def _paged(
    uow: UnitOfWork, finder: str, page: int
) -> Iterator[tuple[Payment, list[PaymentOperation]]]:
    """Each payment the payments' `finder` (`by_card`, `kept_by_ordino`) finds, a page
    at a time, each page read in its own unit of work, with its operations."""
    after: str | None = None
    while True:
        with uow:
            batch: list[Payment] = getattr(uow.payments, finder)(after, page)
            ops = {payment.id: uow.payments.operations(payment.id) for payment in batch}
        for payment in batch:
            yield payment, ops[payment.id]
        if len(batch) < page:
            return
        after = batch[-1].id


def check_balances(uow: UnitOfWork) -> list[tuple[str, str]]:
    """Every gift card, store credit and credit account whose amount or count of
    entries is not what its entries add up to: (account, what disagrees)."""
    with uow:
        return uow.balances.disagreeing()


def check_returns(uow: UnitOfWork) -> list[tuple[str, int, str]]:
    """Every order line whose returned or being-returned units are not what its
    returns hold: (order, line, what disagrees)."""
    with uow:
        return uow.returns.disagreeing()
