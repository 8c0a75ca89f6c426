"""The names of the order types there are, built in or configured: what the
configuration of the capabilities below orders (a sourcing profile) may name."""

from __future__ import annotations

from sqlalchemy import Connection, select

from ordino.orders.domain.pipelines import BUILT_IN
from ordino.orders.store.tables import order_types


class SqlOrderTypeNames:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def names(self) -> set[str]:
        configured = self.connection.execute(select(order_types.c.name)).scalars()
        return set(BUILT_IN) | set(configured)
