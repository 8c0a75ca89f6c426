"""`ordino check`: the invariants of inventory, verified over the whole database."""

from __future__ import annotations

from ordino.domain.inventory import Discrepancy
from ordino.services.unit_of_work import UnitOfWork


def check_inventory(uow: UnitOfWork) -> list[Discrepancy]:
    """Every position whose reserved differs from its ledger or exceeds its on hand."""
    with uow:
        return uow.inventory.discrepancies()
