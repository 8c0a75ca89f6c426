"""An order's money in its rows: each line's list price beside its sale price (the
`unit_price_minor` it always had), its discounts and taxes as one document (none when
it has neither, as most lines), and the order's charges as one document on its head.
Written when the order is placed, and again only with an adjustment the order's events
tell (`Order.retax`, `Order.waive_shipping`)."""

from __future__ import annotations

from typing import Any

from ordino.kernel.domain import from_minor, to_minor
from ordino.pricing.domain import (
    Charge,
    PricedLine,
    charge_document,
    charge_from,
    discounts_from,
    parts_document,
    taxes_from,
)


def line_money_values(line: PricedLine) -> dict[str, Any]:
    parts = parts_document(line.discounts, line.taxes) if line.discounts or line.taxes else None
    return {
        "unit_price_minor": to_minor(line.sale_price, line.currency),
        "list_price_minor": to_minor(line.list_price, line.currency),
        "price_parts": parts,
    }


def priced_line(row: Any, currency: str) -> PricedLine:
    """A line's money from its row (a row written before lists prices were kept has
    its sale price for one)."""
    sale = from_minor(row.unit_price_minor, currency)
    listed = sale if row.list_price_minor is None else from_minor(row.list_price_minor, currency)
    parts = row.price_parts or {"discounts": [], "taxes": []}
    return PricedLine(
        row.line_no,
        row.sku,
        row.quantity,
        listed,
        sale,
        currency,
        discounts_from(parts["discounts"]),
        taxes_from(parts["taxes"]),
    )


def charges_value(charges: tuple[Charge, ...]) -> list[dict[str, Any]] | None:
    return [charge_document(c) for c in charges] or None


def charges_of(document: list[dict[str, Any]] | None, currency: str) -> tuple[Charge, ...]:
    return tuple(charge_from(c, currency) for c in document or ())
