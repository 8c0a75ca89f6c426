"""Erasing a customer's personal data from their orders, and from every document
written about them (events, webhook bodies, stored answers), keeping what
accounting needs.

What goes, replaced by a tombstone: the e-mail (`ERASED_EMAIL`), names, phone,
street lines, city and coordinates of the delivery and billing addresses, and free
text people wrote about the order (notes, reasons of holds, cancellations and
rejections), since it may name the customer; the distances from locations to the
customer that sourcing explanations show (from three they place the customer). What
stays: amounts, currencies,
lines (SKUs, quantities, prices), dates, statuses, the country, the region and the
postal area (the first `POSTAL_AREA` characters of the postal code: a region for
reports and tax, not a street), a business buyer's VAT id (a reverse-charge invoice
must show it, and the law keeps invoices for years) and the customer's group,
locations, carriers and tracking numbers, who did
what (keys, users). A name, e-mail or phone goes by its key wherever the code
writes one (`customer_name`, `customer_email`, ...), whatever its length; any value
of the customer's found in other text (a note that quotes their phone) is replaced
as well, except in identifiers and codes (SKUs, location ids, order numbers,
tracking numbers), of which a one-word name may be a part.

Pure: the use case loads, erases with these functions, and writes back.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ordino.kernel.domain import Event
from ordino.network.domain import Address
from ordino.orders.domain import ERASED_EMAIL, Customer, Order

ERASED = "[erased]"
POSTAL_AREA = 3
# Values shorter than this are not searched for in text: "Al" would match inside
# other words. Such a value in a structured field goes all the same.
_SHORTEST = 4
_ADDRESSES = ("ship_to", "bill_to")
_FREE_TEXT = ("reason", "note")
# Every key the code writes a person's name, e-mail or phone under, outside the
# customer and the addresses (the release's `customer_name`, the pickup's
# `customer_email`), and the distances to the customer (from three known places
# they would place them): replaced whatever their length, short names included.
_BY_KEY: dict[str, Any] = {
    "customer_name": ERASED,
    "customer_email": ERASED_EMAIL,
    "email": ERASED_EMAIL,
    "customer_phone": None,
    "phone": None,
    "distance_km": None,
}
# Identifiers and codes (SKUs, locations, order numbers, event types): never the
# customer's words, but a one-word name may be part of one ("IKEA-STORE-1").
_IDENTIFIERS = frozenset(
    {"id", "sku", "skus", "subject", "type", "status", "currency", "channel", "service"}
    | {"carrier", "tracking_number", "pickup_code", "external_id", "order_number"}
    | {"locations", "orders", "rule", "method", "step", "profile", "strategy"}
)


def _identifier(key: str) -> bool:
    return key in _IDENTIFIERS or key.endswith(("_id", "_ids"))


@dataclass(frozen=True)
class PersonalData:
    """What identifies a customer, as their orders hold it (`values`: e-mail, names,
    phone, street lines), searched for in any text about them; and what people wrote
    about the orders (`writings`: notes and reasons), searched for only in other
    free text (a stock movement's reason that copies a cancellation's), since a
    short reason ("late") may well be a word of Ordino's own elsewhere."""

    values: tuple[str, ...]
    writings: tuple[str, ...] = ()

    @classmethod
    def of(cls, orders: Iterable[Order], events: Iterable[Event] = ()) -> PersonalData:
        """From the orders and the orders' `events`."""
        values: set[str] = set()
        writings: set[str] = set()
        for order in orders:
            customer = order.customer
            values.update(v for v in (customer.email, customer.name, customer.phone) if v)
            for address in (order.ship_to, order.bill_to):
                if address is not None:
                    values.update(v for v in (address.name, address.line1, address.line2) if v)
            writings.update(h.reason for h in order.holds)
            writings.update(h.note for h in order.holds if h.note)
            writings.update(fo.reason for fo in order.fulfillments if fo.reason)
        for event in events:
            writings.update(_free_texts(event.data))
        return cls(_longest_first(values), _longest_first(writings))

    def text(self, value: str) -> str:
        """`value` with every one of the customer's values in it replaced (any case)."""
        return _replaced(value, self.values)

    def key(self, value: str) -> str:
        """An idempotency key without the customer: one that holds a value of theirs
        (`ann@example.org-1`) becomes a random one, unique (it is part of a primary
        key: two customers' keys must not become one) and not to be traced back to
        them; any other stays, so a retry under it still gets its answer."""
        if self.text(value) == value:
            return value
        return f"{ERASED}:{secrets.token_hex(16)}"

    def free_text(self, value: str) -> str:
        """Free text (`text`), with what people wrote about the orders replaced too."""
        return _replaced(self.text(value), self.writings)

    def document(self, value: Any) -> Any:
        """A JSON document (an event's data, a stored answer) without the customer:
        addresses, the customer, names, e-mails, phones and free texts by their keys,
        anything else by value but identifiers."""
        if isinstance(value, dict):
            return {key: self._member(key, member) for key, member in value.items()}
        if isinstance(value, list):
            return [self.document(member) for member in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def _member(self, key: str, value: Any) -> Any:
        if key in _ADDRESSES and isinstance(value, dict):
            return erased_address_document(value)
        if key == "customer" and isinstance(value, dict):
            return {
                **self.document(value),
                "email": ERASED_EMAIL,
                "name": _erased(value.get("name")),
            }
        if key in _BY_KEY and value is not None:
            return _BY_KEY[key]
        if key in _FREE_TEXT and isinstance(value, str):
            return ERASED
        if _identifier(key):
            return value
        return self.document(value)


def _longest_first(found: set[str]) -> tuple[str, ...]:
    return tuple(sorted((v for v in found if len(v) >= _SHORTEST), key=lambda v: (-len(v), v)))


def _replaced(value: str, searched: tuple[str, ...]) -> str:
    for personal in searched:
        value = re.sub(re.escape(personal), ERASED, value, flags=re.IGNORECASE)
    return value


def _free_texts(value: Any) -> set[str]:
    """Every note and reason in a document, at any depth."""
    if isinstance(value, dict):
        found = {v for k, v in value.items() if k in _FREE_TEXT and isinstance(v, str) and v}
        return found.union(*(_free_texts(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_free_texts(v) for v in value))
    return set()


def postal_area(postal_code: str) -> str:
    return postal_code[:POSTAL_AREA]


def erased_address(address: Address) -> Address:
    return Address(
        ERASED,
        ERASED,
        postal_area(address.postal_code),
        address.country,
        None,
        address.region,
        _erased(address.name),
    )


def erased_address_document(document: dict[str, Any]) -> dict[str, Any]:
    """An address as documents hold it (`ship_to_document`), erased alike."""
    postal_code = document.get("postal_code")
    return {
        **document,
        "name": _erased(document.get("name")),
        "line1": ERASED,
        "line2": None,
        "city": ERASED,
        "postal_code": postal_area(postal_code) if isinstance(postal_code, str) else None,
        "latitude": None,
        "longitude": None,
    }


def erase_order(order: Order) -> None:
    """The order without its customer: what stays is what accounting and the
    order's history need (see the module's docstring)."""
    c = order.customer
    order.customer = Customer(ERASED_EMAIL, _erased(c.name), None, c.vat_id, c.group)
    order.ship_to, order.ship_to_point = erased_address(order.ship_to), None
    if order.bill_to is not None:
        order.bill_to = erased_address(order.bill_to)
    for hold in order.holds:
        hold.reason, hold.note = ERASED, _erased(hold.note)
    for fo in order.fulfillments:
        fo.reason = _erased(fo.reason)


def _erased(value: str | None) -> str | None:
    return None if value is None else ERASED


@dataclass(frozen=True)
class Erasure:
    """An erasure as recorded: who asked, when, the orders it erased, and how many
    records of each kind it rewrote. It holds no personal data itself."""

    id: str
    by: str
    at: datetime
    orders: tuple[str, ...]
    records: dict[str, int]


@dataclass(frozen=True)
class Export:
    """An export of a customer's data as recorded: who asked, when, whose orders (by
    id: the record holds no personal data, and outlives an erasure)."""

    id: str
    by: str
    at: datetime
    orders: tuple[str, ...]


def export_document(export: Export) -> dict[str, Any]:
    return {
        "id": export.id,
        "by": export.by,
        "at": export.at.isoformat(),
        "orders": list(export.orders),
    }


def erasure_document(erasure: Erasure) -> dict[str, Any]:
    return {
        "id": erasure.id,
        "by": erasure.by,
        "at": erasure.at.isoformat(),
        "orders": list(erasure.orders),
        "records": erasure.records,
    }
