"""a store's queue finds the parcels to be collected there (shipped to it from a
warehouse) by their store, as it finds its own by their location

Revision ID: 0034_storequeue
Revises: 0033_search_accents
Create Date: 2026-12-06 11:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0034_storequeue"
down_revision: str | None = "0033_search_accents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_fulfillments_store_id_status_id", "fulfillments", ["store_id", "status", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_fulfillments_store_id_status_id", table_name="fulfillments")
