"""personal data and the record of configuration: configuration changes (who, when,
before, after), the author of each sourcing profile version, the record of erasures

Revision ID: 0027_privacy
Revises: 0026_payment_records
Create Date: 2026-12-01 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0027_privacy"
down_revision: str | None = "0026_payment_records"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "configuration_changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("before", DOCUMENT, nullable=True),
        sa.Column("after", DOCUMENT, nullable=True),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_configuration_changes")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_configuration_changes_kind_name_id",
        "configuration_changes",
        ["kind", "name", "id"],
        unique=False,
    )
    with op.batch_alter_table("sourcing_profile_versions") as batch_op:
        batch_op.add_column(sa.Column("created_by", sa.String(length=100), nullable=True))
    op.create_table(
        "erasures",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("erased_by", sa.String(length=100), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("orders", DOCUMENT, nullable=False),
        sa.Column("records", DOCUMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasures")),
    )
    op.create_index("ix_erasures_erased_at", "erasures", ["erased_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_erasures_erased_at", table_name="erasures")
    op.drop_table("erasures")
    with op.batch_alter_table("sourcing_profile_versions") as batch_op:
        batch_op.drop_column("created_by")
    op.drop_index("ix_configuration_changes_kind_name_id", table_name="configuration_changes")
    op.drop_table("configuration_changes")
