"""The shapes of a scenario's documents (`ordino.kernel.domain.documents.Shape`): which
keys each part has, and the defaults of those that may be left out. The defaults
are the API's, so a part the API accepts reads the same here; a part copied from
a `GET` answer carries `version` (and the like), which is ignored."""

from __future__ import annotations

from typing import Any

from ordino.kernel.domain import WEEKDAYS, Shape

ANY_LANE: dict[str, Any] = {
    "origin_countries": [],
    "destination_countries": [],
    "postal_prefixes": [],
}

PROFILE = Shape(
    required=frozenset({"strategies"}),
    optional={
        "name": "scenario",
        "version": 1,
        "channels": ["web"],
        "order_types": [],
        "services": [],
        "filters": {},
        "weights": {},
    },
    lists=frozenset({"strategies", "channels", "order_types", "services"}),
    nested={
        "filters": Shape(
            optional={
                "location_types": [],
                "countries": [],
                "include": [],
                "exclude": [],
                "radius_km": None,
                "min_stock_left": 0,
                "ship_from_store": True,
            }
        ),
        "strategies": Shape(
            required=frozenset({"name"}),
            optional={
                "kind": "source",
                "location_types": [],
                "radius_km": None,
                "max_packages": None,
                "split_lines": True,
                "cancel_after_days": None,
            },
        ),
        "weights": Shape(
            optional={
                "shipping": "1",
                "handling": "1",
                "labour": "1",
                "margin": "1",
                "per_extra_package": "0",
                "per_day_late": None,
            }
        ),
    },
)

SERVICE = Shape(
    required=frozenset({"code", "transit"}),
    optional={
        "carrier": "",
        "name": "",
        "level": "standard",
        "price": {"amount": "0", "currency": "EUR"},
        "delivery_days": list(WEEKDAYS[:6]),
        "holidays": [],
    },
    ignored=frozenset({"version"}),
    lists=frozenset({"transit"}),
    nested={
        "transit": Shape(
            required=frozenset({"min_days", "max_days"}),
            optional={**ANY_LANE, "max_km": None},
        ),
        "price": Shape(required=frozenset({"amount", "currency"})),
    },
)

RATE_CARD = Shape(
    required=frozenset({"service", "currency", "zones"}),
    optional={"base_per_package": "0", "minimum_charge": "0"},
    ignored=frozenset({"version"}),
    lists=frozenset({"zones"}),
    nested={
        "zones": Shape(
            required=frozenset({"breaks"}),
            optional={**ANY_LANE, "max_km": None, "per_extra_kg": None},
            lists=frozenset({"breaks"}),
            nested={"breaks": Shape(required=frozenset({"up_to_kg", "price"}))},
        )
    },
)

LOCATION = Shape(
    required=frozenset({"id", "type", "address", "time_zone"}),
    optional={
        "name": "",
        "latitude": None,
        "longitude": None,
        "ships": True,
        "pickup": False,
        "returns": False,
    },
    nested={
        "address": Shape(
            required=frozenset({"country"}),
            optional={"line1": "", "city": "", "postal_code": ""},
            ignored=frozenset({"line2", "region", "name"}),
        )
    },
)

_HOURS = Shape(required=frozenset({"opens", "closes"}))

OPERATIONS = Shape(
    required=frozenset({"location_id", "opening_hours"}),
    optional={
        "holidays": [],
        "cut_offs": {},
        "ship_processing_hours": 0,
        "pickup_processing_hours": 0,
        "capacity": None,
        "carrier_pickup_days": list(WEEKDAYS),
    },
    ignored=frozenset({"version"}),
    nested={
        "opening_hours": Shape(
            optional={day: [] for day in WEEKDAYS}, nested={day: _HOURS for day in WEEKDAYS}
        ),
        "capacity": Shape(required=frozenset({"limit"}), optional={"unit": "orders"}),
    },
)

COSTS = Shape(
    required=frozenset({"location_id"}),
    optional={"per_order": "0", "per_unit": "0", "store_labour_per_unit": "0", "markdown": {}},
    ignored=frozenset({"version"}),
)

PRODUCT = Shape(required=frozenset({"sku"}), optional={"name": "", "weight_kg": None, "prices": {}})

ORDER = Shape(
    required=frozenset({"id", "placed_at", "service", "deliver_by", "ship_to", "lines"}),
    lists=frozenset({"lines"}),
    nested={
        "ship_to": Shape(
            required=frozenset({"country"}),
            optional={"postal_code": None, "latitude": None, "longitude": None},
        ),
        "lines": Shape(required=frozenset({"sku", "quantity"})),
    },
)

SCENARIO = Shape(
    required=frozenset({"profile", "carrier_services", "rate_cards", "locations", "orders"}),
    optional={
        "format": "ordino-scenario/1",
        "scenario": "scenario",
        "description": "",
        "operations": [],
        "location_costs": [],
        "products": [],
        "stock": {},
    },
    lists=frozenset({"carrier_services", "rate_cards", "locations", "orders"}),
)
