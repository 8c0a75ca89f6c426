"""product search folds accents: every product's search terms are derived again
(`Crème` was stored as `crème`, and `creme` did not find it)

Revision ID: 0033_search_accents
Revises: 0032_securityfix
Create Date: 2026-12-06 10:30:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from ordino.network.domain.products import Product, search_terms

revision: str = "0033_search_accents"
down_revision: str | None = "0032_securityfix"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5_000  # products a round: the catalogue is never held whole

products = sa.table("products", sa.column("sku"), sa.column("name"))
attributes = sa.table("product_attributes", sa.column("sku"), sa.column("value"))
terms = sa.table("product_terms", sa.column("term"), sa.column("sku"))


def upgrade() -> None:
    connection = op.get_bind()
    after = ""
    while rows := connection.execute(
        sa.select(products.c.sku, products.c.name)
        .where(products.c.sku > after)
        .order_by(products.c.sku)
        .limit(BATCH)
    ).all():
        _derive_again(connection, rows)
        after = rows[-1].sku


def _derive_again(connection: sa.Connection, rows: Sequence[sa.Row[Any, Any]]) -> None:
    skus = [row.sku for row in rows]
    values: dict[str, dict[str, str]] = {sku: {} for sku in skus}
    chosen = sa.select(attributes.c.sku, attributes.c.value).where(attributes.c.sku.in_(skus))
    for n, attribute in enumerate(connection.execute(chosen)):
        values[attribute.sku][str(n)] = attribute.value
    found = [
        {"term": term, "sku": row.sku}
        for row in rows
        for term in sorted(search_terms(Product(row.sku, row.name, attributes=values[row.sku])))
    ]
    connection.execute(sa.delete(terms).where(terms.c.sku.in_(skus)))
    if found:
        connection.execute(sa.insert(terms), found)


def downgrade() -> None:
    """The folded terms stay (the code before folds nothing: a search with an accent
    then misses those products until they are sent again)."""
