"""Every capability's tables, for migrations and creating a database.

Each capability defines its tables beside its store, on the one `metadata` of
`ordino.store.tables`; importing them here is what puts every table on it. Alembic's
environment and whatever compares or creates the whole schema read `metadata` from
this module, so that none sees only the tables imported so far. A capability's
tables module not imported here is a table the migrations would drop: a test
(`tests/app/test_schema.py`) holds this list to the modules on disk.
"""

from __future__ import annotations

import ordino.access.store.tables
import ordino.events.store.tables
import ordino.inventory.store.tables
import ordino.network.adapters.sandbox_tables
import ordino.network.store.tables
import ordino.orders.store.tables
import ordino.payments.adapters.sandbox_tables
import ordino.payments.store.tables
import ordino.pricing.store.tables
import ordino.privacy.store.tables
import ordino.promising.store.tables
import ordino.returns.store.tables
import ordino.servicing.store.tables
import ordino.sourcing.store.tables
from ordino.store.tables import metadata

TABLE_MODULES = (
    ordino.access.store.tables,
    ordino.network.store.tables,
    ordino.network.adapters.sandbox_tables,
    ordino.inventory.store.tables,
    ordino.sourcing.store.tables,
    ordino.promising.store.tables,
    ordino.pricing.store.tables,
    ordino.orders.store.tables,
    ordino.payments.store.tables,
    ordino.payments.adapters.sandbox_tables,
    ordino.events.store.tables,
    ordino.returns.store.tables,
    ordino.servicing.store.tables,
    ordino.privacy.store.tables,
)

__all__ = ["TABLE_MODULES", "metadata"]
