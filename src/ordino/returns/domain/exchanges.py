"""Exchanges: a return's line may ask for another SKU (another size or colour) instead
of its money. What the returned units are worth pays for a linked exchange order of
the same channel, customer and address (type `exchange`), placed by the worker:

    regular   placed when the units come back (received, or kept: returnless). What
              they paid, less what the policy keeps of them (`value`), is given to
              the customer as store credit and pays the exchange order at once; a
              dearer exchange's difference is charged to the original order's card,
              a cheaper one's given back with the return (to where its refunds go).
    advanced  placed when the return is authorised: the exchange order is paid by
              the original order's card (authorised now: the deposit; captured as
              it ships); the returned units are refunded as any return's when they
              come back, so the card pays only the difference in the end, and all
              of it when they never do.

The policy's terms (`ExchangeTerms`): whether exchanges are offered, `advanced` or
`regular`, and the product attribute whose value another size or colour shares
(`group_attribute`, "style" by default).

Invariants:
  * the money of a regular exchange balances to the cent: `credit + refund == value`
    and `credit + charge == total` (the exchange order's total), none negative
    (`split`);
  * a unit is exchanged once: each exchange names the units it took of each line;
    those of an exchange refused (the SKU out of stock, the card declined at once)
    are refunded as money instead;
  * every refusal of an exchange asked names its line and the rule (`exchanges`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ordino.kernel.domain import FieldError, InvalidInput, NotAllowed
from ordino.network.domain import Product
from ordino.orders.domain import Order


class ExchangeMode(StrEnum):
    REGULAR = "regular"  # placed when the units come back
    ADVANCED = "advanced"  # placed when the return is authorised


@dataclass(frozen=True)
class ExchangeTerms:
    allowed: bool = False
    mode: ExchangeMode = ExchangeMode.REGULAR
    group_attribute: str = "style"  # the products another size or colour of one share

    def problems(self) -> list[FieldError]:
        if not self.group_attribute.strip():
            return [FieldError("exchanges.group_attribute", "name a product attribute")]
        return []


def exchange_terms_document(terms: ExchangeTerms) -> dict[str, Any]:
    return {
        "allowed": terms.allowed,
        "mode": str(terms.mode),
        "group_attribute": terms.group_attribute,
    }


def exchange_terms_from_document(document: dict[str, Any] | None) -> ExchangeTerms:
    if document is None:  # a policy stored before 2026-12-07: none offered
        return ExchangeTerms()
    return ExchangeTerms(
        document["allowed"], ExchangeMode(document["mode"]), document["group_attribute"]
    )


class ExchangeStatus(StrEnum):
    PLACED = "placed"  # the exchange order is placed
    REFUSED = "refused"  # it could not be (its units are refunded as money instead)
    CANCELLED = "cancelled"  # the return was withdrawn: the exchange order cancelled


@dataclass(frozen=True)
class ExchangedUnits:
    line_no: int  # the original order's line returned
    sku: str  # what it is exchanged for
    quantity: int


@dataclass(frozen=True)
class ExchangeMoney:
    """How a regular exchange is paid: `value` (what the returned units are worth)
    given as store `credit` toward the exchange order's `total`, the `charge` on the
    card for what the credit leaves, the `refund` of what the total leaves."""

    value: Decimal
    total: Decimal
    credit: Decimal
    charge: Decimal
    refund: Decimal


def split(value: Decimal, total: Decimal) -> ExchangeMoney:
    """A regular exchange's money: the credit is what both allow; the card pays the
    rest of the total, the rest of the value is refunded."""
    credit = min(value, total)
    return ExchangeMoney(value, total, credit, total - credit, value - credit)


@dataclass
class Exchange:
    """An exchange order of a return (the `seq`-th), or why it could not be placed.
    The order's number is `exchange_number` of the return's code and `seq`."""

    id: str
    return_id: str
    seq: int
    mode: ExchangeMode
    units: tuple[ExchangedUnits, ...]
    status: ExchangeStatus
    at: datetime
    order_id: str | None = None  # the exchange order, once placed
    money: ExchangeMoney | None = None  # a regular one's
    reason: str | None = None  # why it was refused or cancelled


def exchange_number(code: str, seq: int) -> str:
    """The exchange order's id in its channel (its number): the return's code and the
    exchange's place among the return's. Placed twice, the channel's ids refuse the
    second."""
    return f"exchange-{code}-{seq}"


def exchange_document(exchange: Exchange) -> dict[str, Any]:
    money = exchange.money
    return {
        "id": exchange.id,
        "return_id": exchange.return_id,
        "seq": exchange.seq,
        "mode": str(exchange.mode),
        "status": str(exchange.status),
        "order_id": exchange.order_id,
        "lines": [
            {"line_no": u.line_no, "sku": u.sku, "quantity": u.quantity} for u in exchange.units
        ],
        "money": None
        if money is None
        else {
            "value": str(money.value),
            "total": str(money.total),
            "credit": str(money.credit),
            "charge": str(money.charge),
            "refund": str(money.refund),
        },
        "reason": exchange.reason,
        "at": exchange.at.isoformat(),
    }


def exchange_from_document(document: dict[str, Any]) -> Exchange:
    money = document["money"]
    return Exchange(
        document["id"],
        document["return_id"],
        document["seq"],
        ExchangeMode(document["mode"]),
        tuple(ExchangedUnits(u["line_no"], u["sku"], u["quantity"]) for u in document["lines"]),
        ExchangeStatus(document["status"]),
        datetime.fromisoformat(document["at"]),
        document["order_id"],
        None
        if money is None
        else ExchangeMoney(*(Decimal(money[k]) for k in ExchangeMoney.__dataclass_fields__)),
        document["reason"],
    )


def exchanged(exchanges: Sequence[Exchange], *, refused: bool = False) -> dict[int, int]:
    """Units of each line the exchanges took (placed, or cancelled with the return);
    `refused`: those of the exchanges refused (refunded as money instead)."""
    taken: dict[int, int] = {}
    for exchange in exchanges:
        if (exchange.status is ExchangeStatus.REFUSED) == refused:
            for u in exchange.units:
                taken[u.line_no] = taken.get(u.line_no, 0) + u.quantity
    return taken


def refuse_exchanges(
    order: Order,
    asked: Sequence[tuple[int, str | None]],
    products: Mapping[str, Product],
    terms: ExchangeTerms,
    card: bool,
) -> None:
    """`asked`: each return line's (line_no, the SKU it asks in exchange or None).
    NotAllowed (rule `exchanges`) when the policy offers none, or the order has no
    card to charge a difference; InvalidInput naming `lines[i].exchange_sku` for an
    SKU unknown, the line's own, of another style, or without a price in the
    order's currency. `products`: the lines' SKUs and those asked."""
    wanted = [(i, no, sku) for i, (no, sku) in enumerate(asked) if sku is not None]
    if not wanted:
        return
    field = f"lines[{wanted[0][0]}].exchange_sku"
    if not terms.allowed:
        raise NotAllowed(
            "exchanges are not offered: return the goods for their money",
            extra={"field": field, "rule": "exchanges"},
        )
    if not card:
        raise NotAllowed(
            "an exchange needs the order's card (to charge a difference): the order has none",
            extra={"field": field, "rule": "exchanges"},
        )
    errors = []
    for i, line_no, sku in wanted:
        assert sku is not None
        why = _unexchangeable(order.line(line_no).sku, sku, order.currency, products, terms)
        if why is not None:
            errors.append(FieldError(f"lines[{i}].exchange_sku", why))
    if errors:
        raise InvalidInput("the return asks for exchanges that cannot be made", errors=errors)


def _unexchangeable(
    returned: str,
    sku: str,
    currency: str,
    products: Mapping[str, Product],
    terms: ExchangeTerms,
) -> str | None:
    attribute = terms.group_attribute
    asked, own = products.get(sku), products.get(returned)
    if asked is None:
        return f"no product {sku}"
    if sku == returned:
        return "the line's own SKU: ask for another size or colour"
    group = None if own is None else own.attributes.get(attribute)
    if group is None or asked.attributes.get(attribute) != group:
        return f"not another size or colour of {returned} (its {attribute})"
    if currency not in asked.prices:
        return f"{sku} has no price in {currency}"
    return None


def to_exchange(
    lines: Sequence[tuple[int, str | None]],
    basis: Mapping[int, int],
    exchanges: Sequence[Exchange],
) -> dict[int, int]:
    """Units of each line asking for an exchange (`lines`: line_no, the SKU asked or
    None) an exchange may take now: of the `basis` (what may be exchanged by now),
    those no exchange took or was refused."""
    taken, refused = exchanged(exchanges), exchanged(exchanges, refused=True)
    due = {
        no: basis.get(no, 0) - taken.get(no, 0) - refused.get(no, 0)
        for no, sku in lines
        if sku is not None
    }
    return {no: n for no, n in due.items() if n > 0}


def choices(
    returned: Product | None, found: Sequence[Product], currency: str, attribute: str
) -> list[Product]:
    """What the returned product may be exchanged for: the other products of its
    group with a price in the order's currency."""
    if returned is None or returned.attributes.get(attribute) is None:
        return []
    return [
        p
        for p in found
        if p.sku != returned.sku
        and p.attributes.get(attribute) == returned.attributes[attribute]
        and currency in p.prices
    ]
