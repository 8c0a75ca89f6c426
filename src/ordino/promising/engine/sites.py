"""Promises handed to sourcing: the locations that keep a promise as sourcing's
candidates (with the day each ships), and the record of an order whose source the
customer chose."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ordino.promising.domain.promises import PromiseOption
from ordino.promising.engine.reach import Delivery
from ordino.sourcing.domain import CAPTURE, SourcingPlan, SourcingRecord
from ordino.sourcing.engine import Candidate, SourcingSite


def delivery_sites(
    deliveries: Sequence[Delivery],
) -> tuple[tuple[SourcingSite, ...], dict[str, date]]:
    """The locations that keep a promise, as candidates, and the day each ships."""
    sites, ship_dates = [], {}
    for d in deliveries:
        origin = d.site.location
        sites.append(SourcingSite(origin, Candidate(origin.id, d.lane, d.site.available)))
        ship_dates[origin.id] = d.ship_date
    return tuple(sites), ship_dates


def chosen_by_customer(option: PromiseOption, plan: SourcingPlan) -> SourcingRecord:
    """The record of an order whose source the customer chose (a pickup store, or
    the store a ship-to-store order goes to, supplied as the promise planned)."""
    allocations = [
        {"line_no": a.line_no, "location_id": a.location_id, "quantity": a.quantity}
        for a in plan.allocations
    ]
    explanation = {
        "profile": None,
        "strategy": f"customer's choice: {option.id}",
        "outcome": "sourced",
        "chosen": {"allocations": allocations, "cost": None, "method": "promise"},
        "promise_option": option.id,
    }
    strategy = f"customer's choice: {option.id}"
    return SourcingRecord(CAPTURE, "-", 0, strategy, "sourced", explanation)
