"""An order's money as JSON-ready documents (amounts as decimal strings, a rate as
its fraction), for its answer, its events and its store alike, and back."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ordino.kernel.domain import UnitAmounts
from ordino.pricing.domain.order_money import (
    Adjustment,
    AdjustmentSource,
    Charge,
    Discount,
    OrderMoney,
    PricedLine,
    TaxLine,
    zero,
)


def line_money_document(line: PricedLine) -> dict[str, Any]:
    """A line's money as its answer shows it."""
    return {
        "list_price": str(line.list_price),
        "unit_price": str(line.sale_price),
        "gross": str(line.gross),
        "discount": str(line.discount),
        "net": str(line.net),
        "tax": str(line.tax),
        "total": str(line.total),
    } | parts_document(line.discounts, line.taxes)


def parts_document(discounts: Sequence[Discount], taxes: Sequence[TaxLine]) -> dict[str, Any]:
    return {
        "discounts": [discount_document(d) for d in discounts],
        "taxes": [tax_document(t) for t in taxes],
    }


def discount_document(discount: Discount) -> dict[str, Any]:
    a = discount.adjustment
    return {
        "source": str(a.source),
        "reference": a.reference,
        "reason": a.reason,
        "amount": str(discount.amount),
        "per_unit": _runs(discount.per_unit),
    }


def tax_document(tax: TaxLine) -> dict[str, Any]:
    return {
        "jurisdiction": tax.jurisdiction,
        "rate": str(tax.rate),
        "inclusive": tax.inclusive,
        "amount": str(tax.amount),
        "per_unit": _runs(tax.per_unit),
        "base": None if tax.base is None else str(tax.base),
    }


def charge_document(charge: Charge) -> dict[str, Any]:
    return {
        "kind": charge.kind,
        "price": str(charge.price),
        "net": str(charge.net),
        "total": str(charge.total),
    } | parts_document(charge.discounts, charge.taxes)


def money_document(money: OrderMoney) -> dict[str, Any]:
    """The order's totals, each derived from its parts."""
    goods = sum((line.gross for line in money.lines), zero(money.currency))
    return {
        "goods": str(goods),
        "discount": str(money.discount),
        "charges": str(sum((c.price for c in money.charges), zero(money.currency))),
        "tax": str(money.tax),
        "total": str(money.total),
    }


def discounts_from(documents: Sequence[dict[str, Any]]) -> tuple[Discount, ...]:
    return tuple(
        Discount(
            Adjustment(AdjustmentSource(d["source"]), d["reference"], d["reason"]),
            _unit_amounts(d["per_unit"]),
        )
        for d in documents
    )


def taxes_from(documents: Sequence[dict[str, Any]]) -> tuple[TaxLine, ...]:
    return tuple(
        TaxLine(
            t["jurisdiction"],
            Decimal(t["rate"]),
            _unit_amounts(t["per_unit"]),
            t["inclusive"],
            None if t.get("base") is None else Decimal(t["base"]),
        )
        for t in documents
    )


def charge_from(document: dict[str, Any], currency: str) -> Charge:
    return Charge(
        document["kind"],
        Decimal(document["price"]),
        currency,
        discounts_from(document["discounts"]),
        taxes_from(document["taxes"]),
    )


def _runs(amounts: UnitAmounts) -> list[dict[str, Any]]:
    return [{"amount": str(amount), "units": units} for amount, units in amounts.runs]


def _unit_amounts(runs: Sequence[dict[str, Any]]) -> UnitAmounts:
    return UnitAmounts(tuple((Decimal(run["amount"]), run["units"]) for run in runs))
