"""the dashboard reads returns, their receipts, refunds and goodwill by when they
happened; a return knows whether its goods ever travelled (an unused label is
voided when it closes)

Revision ID: 0048_return_facts
Revises: 0047_returns
Create Date: 2026-12-07 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0048_return_facts"
down_revision: str | None = "0047_returns"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_returns_created_at", "returns", "created_at"),
    ("ix_return_receipts_received_at", "return_receipts", "received_at"),
    ("ix_return_refunds_at", "return_refunds", "at"),
    ("ix_appeasements_at", "appeasements", "at"),
)


def upgrade() -> None:
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])
    op.add_column("returns", sa.Column("travelled_at", sa.DateTime(timezone=True)))
    # Returns whose goods travelled before: on their way or received, and closed with
    # a label (lost on its way, or kept: its label is left as it was, never voided).
    op.execute(
        "UPDATE returns SET travelled_at = updated_at"
        " WHERE status IN ('in_transit', 'received_in_part', 'received')"
        " OR id IN (SELECT return_id FROM return_receipts)"
        " OR (status = 'closed' AND id IN (SELECT return_id FROM return_labels))"
    )


def downgrade() -> None:
    op.drop_column("returns", "travelled_at")  # SQLite 3.35+: in place, its rows kept
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
