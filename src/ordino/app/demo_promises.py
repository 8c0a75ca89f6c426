"""What the demo promises from: how its warehouses and stores work, and three carrier
services (German and Austrian parcels, express)."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from ordino.kernel.domain.calendar import DeliveryCalendar, OpeningHours, WorkingCalendar
from ordino.kernel.domain.money import Money
from ordino.network.domain.carriers import CarrierService, LaneMatch, ServiceLevel, TransitRule
from ordino.network.domain.locations import Location, LocationType
from ordino.network.domain.operations import Capacity, LocationOperations

_HOLIDAYS = {
    "DE": frozenset({date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1)}),
    "AT": frozenset({date(2026, 12, 8), date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1)}),
}
_WEEKDAYS = frozenset(range(5))


def _hours(opens: int, closes: int) -> tuple[OpeningHours, ...]:
    return (OpeningHours(time(opens), time(closes)),)


def demo_operations(location: Location) -> LocationOperations:
    holidays = _HOLIDAYS.get(location.address.country, frozenset())
    if location.type is LocationType.WAREHOUSE:
        week = (_hours(6, 22),) * 5 + (_hours(8, 14), ())
        return LocationOperations(
            location.id,
            WorkingCalendar(location.time_zone, week, holidays),
            {"standard": time(16), "express": time(13)},
            ship_processing_hours=2,
            capacity=Capacity(2_000),
            carrier_pickup_days=_WEEKDAYS,
        )
    week = (_hours(10, 20),) * 6 + ((),)
    return LocationOperations(
        location.id,
        WorkingCalendar(location.time_zone, week, holidays),
        {"standard": time(15), "express": time(12), "pickup": time(19)},
        ship_processing_hours=3,
        pickup_processing_hours=1,
        capacity=Capacity(80),
        carrier_pickup_days=_WEEKDAYS,
    )


def demo_carriers() -> list[CarrierService]:
    de, at = frozenset({"DE"}), frozenset({"AT"})
    de_at = de | at
    return [
        CarrierService(
            "dhl-paket",
            "DHL",
            "DHL Paket",
            ServiceLevel.STANDARD,
            Money(Decimal("4.90"), "EUR"),
            (
                TransitRule(1, 2, LaneMatch(de, de, max_km=400)),
                TransitRule(2, 3, LaneMatch(de, de)),
                TransitRule(2, 4, LaneMatch(de_at, de_at)),
            ),
            DeliveryCalendar(frozenset(range(6)), _HOLIDAYS["DE"]),
        ),
        CarrierService(
            "post-at",
            "Österreichische Post",
            "Post Paket Österreich",
            ServiceLevel.STANDARD,
            Money(Decimal("3.90"), "EUR"),
            (TransitRule(1, 2, LaneMatch(at, at)),),
            DeliveryCalendar(_WEEKDAYS, _HOLIDAYS["AT"]),
        ),
        CarrierService(
            "dhl-express",
            "DHL",
            "DHL Express",
            ServiceLevel.EXPRESS,
            Money(Decimal("12.90"), "EUR"),
            (TransitRule(1, 1, LaneMatch(de_at, de_at)),),
            DeliveryCalendar(_WEEKDAYS, _HOLIDAYS["DE"]),
        ),
        CarrierService(  # across the customs border to Switzerland and Liechtenstein
            "dhl-ch",
            "DHL",
            "DHL Paket Schweiz",
            ServiceLevel.STANDARD,
            Money(Decimal("9.90"), "EUR"),
            (TransitRule(2, 4, LaneMatch(de_at, frozenset({"CH", "LI"}))),),
            DeliveryCalendar(_WEEKDAYS, _HOLIDAYS["DE"]),
        ),
    ]
