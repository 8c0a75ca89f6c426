"""the self-service policy: what customers may change of their orders, one document

Revision ID: 0025_self_service
Revises: 0024_users
Create Date: 2026-11-28 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0025_self_service"
down_revision: str | None = "0024_users"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "self_service_policies",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("document", DOCUMENT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_self_service_policies")),
    )


def downgrade() -> None:
    op.drop_table("self_service_policies")
