"""The dashboard's reads: narrow rows of the facts its figures count, one per order or
per rejection, each with the time of its event. Per-order sums are taken in SQL
(correlated subqueries on the orders' own indexes); days are grouped by the caller,
since a UTC date of a timestamp has no expression common to SQLite and PostgreSQL
(PostgreSQL's `date()` follows the session's time zone)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, case, distinct, func, select

from ordino.analytics.domain.kpis import PlacedOrder
from ordino.network.domain import LocationType
from ordino.network.store import locations
from ordino.orders.domain import FulfillmentStatus, OrderStatus
from ordino.orders.store import fulfillments, order_lines, order_promises, orders

# A rejected or cancelled fulfillment order ships nothing from its location.
_NOT_SHIPPING = (str(FulfillmentStatus.REJECTED), str(FulfillmentStatus.CANCELLED))


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
