"""Refunds of returns: the policy's terms, what a refund of a return is worked out
from, and what it gave back, kept.

The terms are part of the return policy's document (`ReturnPolicy.refunds`):

    refund_on            receipt: when the goods are received (the default);
                         drop_off: as soon as a carrier or a store has them
    return_shipping_fee  what the customer pays for sending goods back by carrier,
                         unless the reason is the merchant's fault; in the order's
                         currency, unless `return_shipping_fees` names the fee in it
                         (a fee of 2.95 is no fee in yen)
    refund_shipping      never; whole_order: the order's shipping when everything it
                         delivered came back; merchant_fault: when a line's reason
                         is the merchant's fault (each reason says whether it is,
                         and what restocking fee it keeps: `ReturnReason`)
    appeasement_limits   per role, the share of an order's total it may give back
                         as goodwill (`ordino.returns.domain.appeasements`)

Invariants of the refunds of an order's returns:
  * a returned unit is refunded once: a refund takes the lowest-numbered units the
    customer got of the line (delivered or collected) that no refund of the order's
    returns took, at what each paid (its price, less its discounts, plus its
    taxes); all of them, what the line's delivered units paid;
  * a refund never gives back more than the tenders captured less what they gave
    back or are giving back (`refundable`); the order's shipping is refunded once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ordino.kernel.domain import FieldError, quantize


class RefundOn(StrEnum):
    RECEIPT = "receipt"
    DROP_OFF = "drop_off"


class ShippingRefund(StrEnum):
    NEVER = "never"
    WHOLE_ORDER = "whole_order"
    MERCHANT_FAULT = "merchant_fault"


@dataclass(frozen=True)
class RefundTerms:
    refund_on: RefundOn = RefundOn.RECEIPT
    return_shipping_fee: Decimal = Decimal(0)
    refund_shipping: ShippingRefund = ShippingRefund.MERCHANT_FAULT
    # Role → the share of an order's total it may give back as goodwill on it
    # (`ordino.returns.domain.appeasements`).
    appeasement_limits: tuple[tuple[str, Decimal], ...] = (("agent", Decimal("0.20")),)
    # Currency → the return shipping fee in it, where it is not `return_shipping_fee`.
    return_shipping_fees: tuple[tuple[str, Decimal], ...] = ()

    def fee_in(self, currency: str) -> Decimal:
        """The return shipping fee an order in `currency` pays."""
        return dict(self.return_shipping_fees).get(currency, self.return_shipping_fee)

    def problems(self) -> list[FieldError]:
        problems = [
            FieldError(f"refunds.appeasement_limits.{role}", "a share: from 0 to 1")
            for role, share in self.appeasement_limits
            if not 0 <= share <= 1
        ]
        if self.return_shipping_fee < 0:
            problems.append(FieldError("refunds.return_shipping_fee", "must not be negative"))
        problems += [
            FieldError(
                f"refunds.return_shipping_fees.{currency}",
                "an amount of the currency, not negative, in its smallest unit at most",
            )
            for currency, fee in self.return_shipping_fees
            if fee < 0 or quantize(fee, currency) != fee
        ]
        return problems


@dataclass(frozen=True)
class RefundedUnits:
    """Units of an order line a return's refund gave back (the line's unit numbers,
    as they left: `FulfillmentLine.first_unit`), what they paid, and the restocking
    fee kept of them."""

    line_no: int
    units: tuple[int, ...]
    paid: Decimal
    restocking_fee: Decimal

    @property
    def count(self) -> int:
        return len(self.units)


@dataclass(frozen=True)
class ReturnRefund:
    """A refund of a return, as asked of the tenders (`refund_id`: the payments'
    refund, whose parts the worker makes)."""

    refund_id: str
    return_id: str
    lines: tuple[RefundedUnits, ...]
    shipping: Decimal  # the order's shipping given back with it
    return_shipping_fee: Decimal  # kept for sending the goods back
    amount: Decimal  # asked of the tenders
    at: datetime

    @property
    def restocking_fees(self) -> Decimal:
        return sum((line.restocking_fee for line in self.lines), Decimal(0))

    @property
    def goods_paid(self) -> Decimal:
        """What the units it refunded paid (before the fees kept)."""
        return sum((line.paid for line in self.lines), Decimal(0))


@dataclass(frozen=True)
class RefundQuestion:
    """What a refund of a return is worked out from."""

    units: Mapping[int, int]  # line_no → units of the return to refund now
    # line_no → the line's unit numbers its returns refunded
    refunded_before: Mapping[int, frozenset[int]]
    reasons: Mapping[int, str]  # line_no → the return line's reason code
    by_carrier: bool  # goods travel back by carrier (the return shipping fee applies)
    kept: frozenset[int]  # lines the customer keeps (returnless): no fee kept of them
    fee_charged: bool  # the return shipping fee was kept by an earlier refund of it
    shipping_refunded: bool  # an earlier return refund gave the order's shipping back
    refundable: Decimal  # what the order's tenders may still give back


@dataclass(frozen=True)
class RefundPreview:
    currency: str
    lines: tuple[RefundedUnits, ...]
    shipping: Decimal
    return_shipping_fee: Decimal
    total: Decimal  # the goods' paid, less fees, plus shipping (never below 0)
    refundable: Decimal
    amount: Decimal  # the total, at most what may be refunded

    @property
    def goods(self) -> Decimal:
        return sum((line.paid for line in self.lines), Decimal(0))

    @property
    def restocking_fees(self) -> Decimal:
        return sum((line.restocking_fee for line in self.lines), Decimal(0))


def terms_document(terms: RefundTerms) -> dict[str, Any]:
    return {
        "refund_on": str(terms.refund_on),
        "return_shipping_fee": str(terms.return_shipping_fee),
        "refund_shipping": str(terms.refund_shipping),
        "appeasement_limits": {role: str(share) for role, share in terms.appeasement_limits},
        "return_shipping_fees": {
            currency: str(fee) for currency, fee in terms.return_shipping_fees
        },
    }


def terms_from_document(document: dict[str, Any]) -> RefundTerms:
    return RefundTerms(
        RefundOn(document["refund_on"]),
        Decimal(document["return_shipping_fee"]),
        ShippingRefund(document["refund_shipping"]),
        tuple((role, Decimal(share)) for role, share in document["appeasement_limits"].items()),
        tuple(
            (currency, Decimal(fee))
            for currency, fee in document.get(
                "return_shipping_fees", {}
            ).items()  # before 2026-12-07: none
        ),
    )


def preview_document(preview: RefundPreview) -> dict[str, Any]:
    return {
        "currency": preview.currency,
        "lines": [_units_document(units) for units in preview.lines],
        "goods": str(preview.goods),
        "restocking_fees": str(preview.restocking_fees),
        "return_shipping_fee": str(preview.return_shipping_fee),
        "shipping": str(preview.shipping),
        "total": str(preview.total),
        "refundable": str(preview.refundable),
        "amount": str(preview.amount),
    }


def refund_document(refund: ReturnRefund) -> dict[str, Any]:
    return {
        "refund_id": refund.refund_id,
        "lines": [_units_document(units) for units in refund.lines],
        "shipping": str(refund.shipping),
        "return_shipping_fee": str(refund.return_shipping_fee),
        "restocking_fees": str(refund.restocking_fees),
        "amount": str(refund.amount),
        "at": refund.at.isoformat(),
    }


def refund_from_document(return_id: str, document: dict[str, Any]) -> ReturnRefund:
    return ReturnRefund(
        document["refund_id"],
        return_id,
        tuple(
            RefundedUnits(
                u["line_no"], tuple(u["units"]), Decimal(u["paid"]), Decimal(u["restocking_fee"])
            )
            for u in document["lines"]
        ),
        Decimal(document["shipping"]),
        Decimal(document["return_shipping_fee"]),
        Decimal(document["amount"]),
        datetime.fromisoformat(document["at"]),
    )


def _units_document(units: RefundedUnits) -> dict[str, Any]:
    return {
        "line_no": units.line_no,
        "units": list(units.units),
        "count": units.count,
        "paid": str(units.paid),
        "restocking_fee": str(units.restocking_fee),
    }
