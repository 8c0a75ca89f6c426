"""Inventory's pure model: plain Python, no I/O, no framework."""

from ordino.inventory.domain.feeds import Adjustment, MovementKind, Source, plan_adjustments
from ordino.inventory.domain.positions import Floor, Reservation, StockAtLocation
from ordino.inventory.domain.supply import InboundLine
from ordino.inventory.domain.views import AvailabilityView

__all__ = [
    "Adjustment",
    "AvailabilityView",
    "Floor",
    "InboundLine",
    "MovementKind",
    "Reservation",
    "Source",
    "StockAtLocation",
    "plan_adjustments",
]
