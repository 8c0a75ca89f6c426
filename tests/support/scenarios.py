"""A tiny sourcing scenario as a JSON document, with deterministic defaults: a
warehouse in Hamburg and a store in Berlin, one parcel service delivering the next
day within 400 km and in two days beyond, customers in Berlin, Friday 2026-11-27."""

from __future__ import annotations

from typing import Any

ALL_WEEK = {
    day: [{"opens": "00:00", "closes": "24:00"}]
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}


def a_location_document(id: str, type: str, latitude: float, longitude: float) -> dict[str, Any]:
    return {
        "id": id,
        "name": f"Location {id}",
        "type": type,
        "address": {"line1": "Str. 1", "city": "Ort", "postal_code": "10115", "country": "DE"},
        "latitude": latitude,
        "longitude": longitude,
        "time_zone": "Europe/Berlin",
        "ships": True,
        "pickup": type == "store",
        "returns": True,
    }


def an_order_document(n: int, lines: dict[str, int], **overrides: Any) -> dict[str, Any]:
    return {
        "id": f"O-{n}",
        "placed_at": f"2026-11-27T{8 + n % 10:02d}:00:00+01:00",
        "service": "parcel",
        "deliver_by": "2026-11-30",
        "ship_to": {"country": "DE", "postal_code": "10117", "latitude": 52.52, "longitude": 13.4},
        "lines": [{"sku": sku, "quantity": q} for sku, q in lines.items()],
    } | overrides


def a_profile_document(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "web",
        "strategies": [
            {"name": "one package", "max_packages": 1},
            {"name": "two packages", "max_packages": 2},
            {"name": "backorder", "kind": "backorder", "cancel_after_days": 14},
        ],
        "weights": {"per_extra_package": "2.00", "per_day_late": "5.00"},
    } | overrides


def a_scenario_document(**overrides: Any) -> dict[str, Any]:
    return {
        "scenario": "tiny",
        "profile": a_profile_document(),
        "carrier_services": [
            {
                "code": "parcel",
                "level": "standard",
                "transit": [
                    {"min_days": 1, "max_days": 1, "max_km": 400},
                    {"min_days": 2, "max_days": 2},
                ],
            }
        ],
        "rate_cards": [
            {
                "service": "parcel",
                "currency": "EUR",
                "zones": [
                    {"breaks": [{"up_to_kg": "10", "price": "5.00"}], "per_extra_kg": "0.50"}
                ],
            }
        ],
        "locations": [
            a_location_document("DC-HAM", "warehouse", 53.55, 9.99),
            a_location_document("ST-BER", "store", 52.53, 13.38),
        ],
        "operations": [
            {"location_id": "DC-HAM", "opening_hours": ALL_WEEK, "capacity": {"limit": 100}},
            {"location_id": "ST-BER", "opening_hours": ALL_WEEK, "capacity": {"limit": 100}},
        ],
        "location_costs": [
            {"location_id": "DC-HAM", "per_order": "1.00"},
            {"location_id": "ST-BER", "per_order": "1.00", "store_labour_per_unit": "0.50"},
        ],
        "products": [
            {"sku": "A", "weight_kg": "1", "prices": {"EUR": "20.00"}},
            {"sku": "B", "weight_kg": "1", "prices": {"EUR": "30.00"}},
        ],
        "stock": {"DC-HAM": {"A": 2, "B": 5}, "ST-BER": {"A": 3, "B": 0}},
        "orders": [an_order_document(n, {"A": 1}) for n in range(1, 4)],
    } | overrides
