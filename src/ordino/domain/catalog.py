"""Products: what can be sold, identified by the caller's SKU."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    weight_kg: Decimal | None = None
    prices: dict[str, Decimal] = field(default_factory=dict)  # currency -> unit price
