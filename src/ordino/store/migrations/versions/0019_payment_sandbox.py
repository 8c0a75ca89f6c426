"""the sandbox payment gateway's authorisations and operations

Revision ID: 0019_payment_sandbox
Revises: 0018_fulfillments
Create Date: 2026-11-27 21:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_payment_sandbox"
down_revision: str | None = "0018_fulfillments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sandbox_authorisations",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("token_last4", sa.String(length=4), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("authorised_minor", sa.BigInteger(), nullable=False),
        sa.Column("captured_minor", sa.BigInteger(), nullable=False),
        sa.Column("refunded_minor", sa.BigInteger(), nullable=False),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("declines_captures", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "authorised_minor > 0", name=op.f("ck_sandbox_authorisations_authorised_positive")
        ),
        sa.CheckConstraint(
            "captured_minor >= 0 AND captured_minor <= authorised_minor",
            name=op.f("ck_sandbox_authorisations_captured_within_authorised"),
        ),
        sa.CheckConstraint(
            "refunded_minor >= 0 AND refunded_minor <= captured_minor",
            name=op.f("ck_sandbox_authorisations_refunded_within_captured"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_authorisations")),
    )
    op.create_table(
        "sandbox_operations",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("authorisation_id", sa.String(length=32), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=True),
        sa.Column("message", sa.String(length=200), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["authorisation_id"],
            ["sandbox_authorisations.id"],
            name=op.f("fk_sandbox_operations_authorisation_id_sandbox_authorisations"),
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sandbox_operations")),
    )


def downgrade() -> None:
    op.drop_table("sandbox_operations")
    op.drop_table("sandbox_authorisations")
