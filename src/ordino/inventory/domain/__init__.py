"""Inventory's pure model: plain Python, no I/O, no framework."""

from ordino.inventory.domain.feeds import Adjustment, MovementKind, Source, plan_adjustments
from ordino.inventory.domain.positions import Floor, Reservation, StockAtLocation
from ordino.inventory.domain.supply import CreateSupply, InboundLine, SupplyKind
from ordino.inventory.domain.views import AvailabilityView

__all__ = [
    "Adjustment",
    "AvailabilityView",
    "CreateSupply",
    "Floor",
    "InboundLine",
    "MovementKind",
    "Reservation",
    "Source",
    "StockAtLocation",
    "SupplyKind",
    "plan_adjustments",
]
