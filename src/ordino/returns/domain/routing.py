"""Where returned goods go: what the routing engine is asked (the units of a return,
where they start, the locations that could take them) and answers (a destination
per line, or none: the customer keeps them), and the profile it weighs by.

The profile is part of the return policy's document (`ReturnPolicy.routing`):

    parcel_cost      what sending one parcel back from a customer costs
    cost_per_km      what moving one unit a kilometre costs (carrier or transfer)
    need_credit      the share of a unit's value credited to a place that needs it:
                     orders wait for the SKU (a location that ships), or it has
                     fewer available than `target_available` (one that sells it)
    returnless       whether goods worth less than sending them back are kept by
                     the customer (refunded without a return)
    vendor_reasons   reasons whose goods go back to their vendor (a supplier named
                     by the product's `vendor_attribute`), e.g. "damaged"
    carrier          who carries the returns sent by carrier (their labels)

Invariant: every line of what is asked is answered once, with its units; the same
question gets the same answer (ties by location id).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ordino.kernel.domain import FieldError, Point
from ordino.network.domain import Location


@dataclass(frozen=True)
class RoutingProfile:
    parcel_cost: Decimal = Decimal("4.90")
    cost_per_km: Decimal = Decimal("0.005")
    need_credit: Decimal = Decimal("0.25")
    target_available: int = 2
    returnless: bool = True
    vendor_reasons: tuple[str, ...] = ()
    vendor_attribute: str = "vendor"
    carrier: str = "dhl"

    def problems(self, where: str = "routing") -> list[FieldError]:
        problems = [
            FieldError(f"{where}.{name}", "must not be negative")
            for name in ("parcel_cost", "cost_per_km", "need_credit", "target_available")
            if getattr(self, name) < 0
        ]
        if self.need_credit > 1:
            problems.append(FieldError(f"{where}.need_credit", "a share: at most 1"))
        return problems


@dataclass(frozen=True)
class UnitsToRoute:
    """A return line's units: what each paid, why they come back, their product's
    vendor (a supplier's location id; None: none named)."""

    line_no: int
    sku: str
    quantity: int
    unit_value: Decimal
    reason: str
    vendor: str | None = None


@dataclass(frozen=True)
class Candidate:
    """A location that could take the units: what it has of the SKU (None: no
    position, it does not sell it), and how many units of it orders wait for (only
    counted where it ships)."""

    location: Location
    available: dict[str, int | None]
    waiting: dict[str, int]


@dataclass(frozen=True)
class RoutingSnapshot:
    """Where the goods start (a store they were dropped at, or the customer's
    address: `at` None), in which country, and the candidates."""

    origin: Point | None
    at: str | None
    candidates: tuple[Candidate, ...]
    country: str | None = None  # None: any (the goods may cross borders)


@dataclass(frozen=True)
class Route:
    line_no: int
    sku: str
    quantity: int
    destination: str | None  # None: the customer keeps the units (returnless)
    why: str  # returnless, vendor, stays, needed, cheapest, nowhere
    explanation: dict[str, Any]


def routing_document(profile: RoutingProfile) -> dict[str, Any]:
    return {
        "parcel_cost": str(profile.parcel_cost),
        "cost_per_km": str(profile.cost_per_km),
        "need_credit": str(profile.need_credit),
        "target_available": profile.target_available,
        "returnless": profile.returnless,
        "vendor_reasons": list(profile.vendor_reasons),
        "vendor_attribute": profile.vendor_attribute,
        "carrier": profile.carrier,
    }


def routing_from_document(document: dict[str, Any]) -> RoutingProfile:
    return RoutingProfile(
        parcel_cost=Decimal(document["parcel_cost"]),
        cost_per_km=Decimal(document["cost_per_km"]),
        need_credit=Decimal(document["need_credit"]),
        target_available=document["target_available"],
        returnless=document["returnless"],
        vendor_reasons=tuple(document["vendor_reasons"]),
        vendor_attribute=document["vendor_attribute"],
        carrier=document["carrier"],
    )
