"""`ordino check`: the invariants of inventory, verified over the whole database."""

from __future__ import annotations

from ordino.domain.inventory import Discrepancy, Position
from ordino.services.unit_of_work import UnitOfWork


def check_inventory(uow: UnitOfWork) -> list[Discrepancy]:
    """Every broken invariant: reserved against the ledger, on hand against movements."""
    with uow:
        return uow.audit.discrepancies()


def shortages(uow: UnitOfWork) -> list[Position]:
    """Positions whose on hand fell below reserved after a count: not broken, but the
    orders holding them must be served elsewhere."""
    with uow:
        return uow.audit.shortages()
