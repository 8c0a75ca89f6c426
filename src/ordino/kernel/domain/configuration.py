"""The record of configuration: every change of a rule or policy, kept with who made
it, when, and its document before and after.

Invariants: a change names its kind and the thing's name; `before` is None only for a
creation and `after` only for a removal; `version` is the version the thing has
after the change (None once removed). Changes are never updated or deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

# The author of the configuration `ordino serve --demo` loads.
DEMO_AUTHOR = "demo"


class ConfigurationKind(StrEnum):
    HOLD_RULE = "hold_rule"
    AVAILABILITY_VIEW = "availability_view"
    ORDER_TYPE = "order_type"
    SELF_SERVICE_POLICY = "self_service_policy"
    RETURN_POLICY = "return_policy"  # windows, reasons, methods, auto-approval
    SOURCING_PROFILE = "sourcing_profile"
    CHANNEL = "channel"
    API_KEY = "api_key"  # who may call Ordino (never the key or its hash)
    WEBHOOK = "webhook"  # where every order's events go (never its secret)
    USER = "user"  # who signs in to the console (never a password or its hash)
    LOCATION = "location"  # what and where it is, whether it ships, takes pickups
    LOCATION_OPERATIONS = "location_operations"  # hours, cut-offs, capacity
    LOCATION_COSTS = "location_costs"  # what a location spends to fulfil
    CARRIER_SERVICE = "carrier_service"
    RATE_CARD = "rate_card"  # what a carrier service charges a package
    TAX_SETTINGS = "tax_settings"  # who the seller is, for the tax it owes
    TAX_RATES = "tax_rates"  # VAT rates loaded from a file (how many, of which countries)
    PROMOTION = "promotion"  # what it gives, to which lines, when, to whom
    EXCHANGE_RATES = "exchange_rates"  # rates loaded from a file (which days, currencies)
    CUSTOMS_RATES = "customs_rates"  # duty and import VAT rates loaded from a file


class ConfigurationAction(StrEnum):
    CREATED = "created"
    CHANGED = "changed"
    REMOVED = "removed"


@dataclass(frozen=True)
class ConfigurationChange:
    kind: ConfigurationKind
    name: str
    version: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    by: str  # `key:<id>`, `user:<name>`, or `demo` (DEMO_AUTHOR: what the demo loads)
    at: datetime
    id: int | None = None  # its place in the record, once kept

    @property
    def action(self) -> ConfigurationAction:
        if self.before is None:
            return ConfigurationAction.CREATED
        if self.after is None:
            return ConfigurationAction.REMOVED
        return ConfigurationAction.CHANGED


def differences(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """What a change changed, leaf by leaf (`slas.pickup_days`), in the order of the
    paths; none for a creation or a removal (the whole document is the change).
    Lists are compared whole: a list of steps or strategies is one setting."""
    if before is None or after is None:
        return []
    found: list[dict[str, Any]] = []
    _compare("", before, after, found)
    return sorted(found, key=lambda change: str(change["path"]))


def _compare(path: str, before: Any, after: Any, found: list[dict[str, Any]]) -> None:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in before.keys() | after.keys():
            _compare(f"{path}.{key}" if path else str(key), before.get(key), after.get(key), found)
    elif before != after:
        found.append({"path": path, "before": before, "after": after})


def change_document(change: ConfigurationChange) -> dict[str, Any]:
    """A change as the API and the console show it."""
    return {
        "id": change.id,
        "kind": str(change.kind),
        "name": change.name,
        "action": str(change.action),
        "version": change.version,
        "by": change.by,
        "at": change.at.isoformat(),
        "before": change.before,
        "after": change.after,
        "changes": differences(change.before, change.after),
    }
