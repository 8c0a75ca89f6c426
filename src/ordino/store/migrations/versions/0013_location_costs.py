"""what each location spends to fulfil

Revision ID: 0013_location_costs
Revises: 0012_rate_cards
Create Date: 2026-11-27 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013_location_costs"
down_revision: str | None = "0012_rate_cards"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "location_costs",
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column(
            "document", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_location_costs_location_id_locations")
        ),
        sa.PrimaryKeyConstraint("location_id", name=op.f("pk_location_costs")),
    )


def downgrade() -> None:
    op.drop_table("location_costs")
