"""The dashboard's reads: narrow rows of the facts its figures count, one per order or
per rejection, each with the time of its event. Per-order sums are taken in SQL
(correlated subqueries on the orders' own indexes); days are grouped by the caller,
since a UTC date of a timestamp has no expression common to SQLite and PostgreSQL
(PostgreSQL's `date()` follows the session's time zone)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, case, distinct, func, select

from ordino.analytics.domain.kpis import (
    PlacedOrder,
    RefundGiven,
    ReturnReceived,
    ReturnStarted,
    UnitsOf,
)
from ordino.kernel.domain import to_minor
from ordino.network.domain import LocationType
from ordino.network.store import locations
from ordino.orders.domain import FulfillmentStatus, OrderStatus
from ordino.orders.store import fulfillments, order_lines, order_promises, orders
from ordino.returns.store import (
    appeasements,
    return_lines,
    return_receipts,
    return_refunds,
    returns,
)

# A rejected or cancelled fulfillment order ships nothing from its location.
_NOT_SHIPPING = (str(FulfillmentStatus.REJECTED), str(FulfillmentStatus.CANCELLED))
# A return declined or withdrawn returned nothing (ordino.returns.domain.ReturnStatus).
_RETURNED_NOTHING = ("declined", "cancelled")
_HOUR = 3600.0


class SqlAnalytics:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def placed_orders(
        self, since: datetime, until: datetime, channel: str | None
    ) -> list[PlacedOrder]:
        """Orders placed from `since` until before `until` (of `channel`, if given)."""
        units_cancelled = (
            select(func.coalesce(func.sum(order_lines.c.cancelled), 0))
            .where(order_lines.c.order_id == orders.c.id)
            .scalar_subquery()
        )
        shipping_from = case(
            (fulfillments.c.status.not_in(_NOT_SHIPPING), fulfillments.c.location_id)
        )
        locations_used = (
            select(func.count(distinct(shipping_from)))
            .where(fulfillments.c.order_id == orders.c.id)
            .scalar_subquery()
        )
        query = (
            select(
                orders.c.created_at,
                orders.c.settlement_currency,
                orders.c.settlement_revenue_minor,
                orders.c.settlement_shipping_minor,
                orders.c.status,
                units_cancelled.label("units_cancelled"),
                locations_used.label("locations"),
                order_promises.c.cost_minor,
                order_promises.c.currency.label("cost_currency"),
            )
            .select_from(orders.outerjoin(order_promises))
            .where(orders.c.created_at >= since, orders.c.created_at < until)
        )
        if channel is not None:
            query = query.where(orders.c.channel == channel)
        return [
            PlacedOrder(
                row.created_at,
                row.settlement_currency,
                row.settlement_revenue_minor,
                row.status == OrderStatus.CANCELLED,
                int(row.units_cancelled),
                int(row.locations),
                row.cost_minor,
                row.cost_currency,
                row.settlement_shipping_minor,
            )
            for row in self.connection.execute(query)
        ]

    def store_rejections(
        self, since: datetime, until: datetime, channel: str | None
    ) -> list[datetime]:
        """When each fulfillment order rejected at a store was rejected (a rejected one
        changes no more, so its last update is the rejection)."""
        at = fulfillments.join(locations, fulfillments.c.location_id == locations.c.id)
        if channel is not None:
            at = at.join(orders, fulfillments.c.order_id == orders.c.id)
        query = (
            select(fulfillments.c.updated_at)
            .select_from(at)
            .where(
                fulfillments.c.status == str(FulfillmentStatus.REJECTED),
                locations.c.type == str(LocationType.STORE),
                fulfillments.c.updated_at >= since,
                fulfillments.c.updated_at < until,
            )
        )
        if channel is not None:
            query = query.where(orders.c.channel == channel)
        return [row.updated_at for row in self.connection.execute(query)]

    def returns_started(
        self, since: datetime, until: datetime, channel: str | None
    ) -> list[ReturnStarted]:
        """Returns started from `since` until before `until`, with their units (none
        for one declined or withdrawn)."""
        units = (
            select(func.coalesce(func.sum(return_lines.c.quantity), 0))
            .where(return_lines.c.return_id == returns.c.id)
            .scalar_subquery()
        )
        query = select(returns.c.created_at, returns.c.status, units.label("units")).where(
            returns.c.created_at >= since, returns.c.created_at < until
        )
        return [
            ReturnStarted(row.created_at, 0 if row.status in _RETURNED_NOTHING else int(row.units))
            for row in self.connection.execute(_of_channel(query, returns.c.order_id, channel))
        ]

    def returned_units(
        self, since: datetime, until: datetime, channel: str | None
    ) -> list[UnitsOf]:
        """The units of the returns started in the range (not declined or withdrawn),
        by channel, SKU and reason."""
        units = func.sum(return_lines.c.quantity)
        query = (
            select(orders.c.channel, return_lines.c.sku, return_lines.c.reason, units)
            .select_from(return_lines.join(returns).join(orders, orders.c.id == returns.c.order_id))
            .where(
                returns.c.created_at >= since,
                returns.c.created_at < until,
                returns.c.status.not_in(_RETURNED_NOTHING),
            )
            .group_by(orders.c.channel, return_lines.c.sku, return_lines.c.reason)
        )
        if channel is not None:
            query = query.where(orders.c.channel == channel)
        return [
            UnitsOf(row.channel, row.sku, int(row[3]), row.reason)
            for row in self.connection.execute(query)
        ]

    def sold_units(self, since: datetime, until: datetime, channel: str | None) -> list[UnitsOf]:
        """The units of the orders placed in the range, less those cancelled, by
        channel and SKU."""
        units = func.sum(order_lines.c.quantity - order_lines.c.cancelled)
        query = (
            select(orders.c.channel, order_lines.c.sku, units)
            .select_from(order_lines.join(orders, orders.c.id == order_lines.c.order_id))
            .where(orders.c.created_at >= since, orders.c.created_at < until)
            .group_by(orders.c.channel, order_lines.c.sku)
        )
        if channel is not None:
            query = query.where(orders.c.channel == channel)
        return [
            UnitsOf(row.channel, row.sku, int(row[2])) for row in self.connection.execute(query)
        ]

    def return_receipts(
        self, since: datetime, until: datetime, channel: str | None
    ) -> list[ReturnReceived]:
        """Each receipt of returned goods in the range: its units, and those restocked."""
        query = (
            select(return_receipts.c.received_at, return_receipts.c.document)
            .select_from(return_receipts.join(returns, returns.c.id == return_receipts.c.return_id))
            .where(return_receipts.c.received_at >= since, return_receipts.c.received_at < until)
        )
        found = self.connection.execute(_of_channel(query, returns.c.order_id, channel))
        return [_received(row.received_at, row.document) for row in found]

    def refunds_given(
        self, since: datetime, until: datetime, channel: str | None
    ) -> list[RefundGiven]:
        """The returns' refunds given in the range, each with the hours since its
        return's last receipt before it; and the goodwill refunds."""
        received = (
            select(func.max(return_receipts.c.received_at))
            .where(
                return_receipts.c.return_id == return_refunds.c.return_id,
                return_receipts.c.received_at <= return_refunds.c.at,
            )
            .scalar_subquery()
        )
        refunds = (
            select(
                return_refunds.c.at,
                return_refunds.c.document,
                orders.c.currency,
                received.label("received_at"),
            )
            .select_from(return_refunds.join(orders, orders.c.id == return_refunds.c.order_id))
            .where(return_refunds.c.at >= since, return_refunds.c.at < until)
        )
        goodwill = (
            select(appeasements.c.at, appeasements.c.document, orders.c.currency)
            .select_from(appeasements.join(orders, orders.c.id == appeasements.c.order_id))
            .where(appeasements.c.at >= since, appeasements.c.at < until)
        )
        if channel is not None:
            refunds = refunds.where(orders.c.channel == channel)
            goodwill = goodwill.where(orders.c.channel == channel)
        given = [
            RefundGiven(
                row.at,
                row.currency,
                to_minor(Decimal(row.document["amount"]), row.currency),
                hours_since_receipt=None
                if row.received_at is None
                else (row.at - row.received_at).total_seconds() / _HOUR,
            )
            for row in self.connection.execute(refunds)
        ]
        given += [
            RefundGiven(
                row.at, row.currency, to_minor(Decimal(row.document["amount"]), row.currency), True
            )
            for row in self.connection.execute(goodwill)
        ]
        return given


def _of_channel(query: Select[Any], order_id: Any, channel: str | None) -> Select[Any]:
    """The query's facts of one channel's orders only, when given."""
    if channel is None:
        return query
    return query.join(orders, orders.c.id == order_id).where(orders.c.channel == channel)


def _received(at: datetime, document: dict[str, Any]) -> ReturnReceived:
    lines = document.get("lines", [])
    restocked = sum(line["quantity"] for line in lines if line["disposition"] == "restock")
    return ReturnReceived(at, sum(line["quantity"] for line in lines), restocked)
