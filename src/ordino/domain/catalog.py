"""Products: what can be sold, identified by the caller's SKU."""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from decimal import Decimal

from ordino.errors import FieldError, InvalidInput


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    weight_kg: Decimal | None = None
    prices: dict[str, Decimal] = field(default_factory=dict)  # currency -> unit price


def refuse_unknown_skus(skus: Sequence[str], known: Set[str], what: str) -> None:
    """InvalidInput naming each line (`lines[i].sku`) whose SKU is not `known`."""
    errors = [
        FieldError(f"lines[{i}].sku", f"unknown SKU {sku!r}")
        for i, sku in enumerate(skus)
        if sku not in known
    ]
    if errors:
        raise InvalidInput(f"{what} names unknown SKUs", errors=errors)
