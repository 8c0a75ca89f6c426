"""product search: products' attributes, and the words that find them

Revision ID: 0029_product_search
Revises: 0028_security
Create Date: 2026-12-06 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ordino.network.domain.products import Product, search_terms

revision: str = "0029_product_search"
down_revision: str | None = "0028_security"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TERM = sa.String(length=64).with_variant(sa.String(length=64, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "product_attributes",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["sku"], ["products.sku"], name=op.f("fk_product_attributes_sku_products")
        ),
        sa.PrimaryKeyConstraint("sku", "name", name=op.f("pk_product_attributes")),
    )
    op.create_index("ix_product_attributes_value", "product_attributes", ["name", "value", "sku"])
    terms = op.create_table(
        "product_terms",
        sa.Column("term", TERM, nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["sku"], ["products.sku"], name=op.f("fk_product_terms_sku_products")
        ),
        sa.PrimaryKeyConstraint("term", "sku", name=op.f("pk_product_terms")),
    )
    op.create_index("ix_product_terms_sku", "product_terms", ["sku", "term"])
    _terms_of_existing_products(terms)


def _terms_of_existing_products(terms: sa.Table) -> None:
    """The products there are (none has attributes yet) are found by SKU and name."""
    connection = op.get_bind()
    products = sa.table("products", sa.column("sku"), sa.column("name"))
    rows = connection.execute(sa.select(products.c.sku, products.c.name)).all()
    found = [
        {"term": term, "sku": row.sku}
        for row in rows
        for term in sorted(search_terms(Product(row.sku, row.name)))
    ]
    for start in range(0, len(found), 10_000):
        connection.execute(sa.insert(terms), found[start : start + 10_000])


def downgrade() -> None:
    op.drop_index("ix_product_terms_sku", table_name="product_terms")
    op.drop_table("product_terms")
    op.drop_index("ix_product_attributes_value", table_name="product_attributes")
    op.drop_table("product_attributes")
