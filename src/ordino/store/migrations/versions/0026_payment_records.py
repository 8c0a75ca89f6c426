"""each payment operation keeps the authorisation it acts on and what the gateway did

Revision ID: 0026_payment_records
Revises: 0025_self_service
Create Date: 2026-12-06 09:00:00

An operation's answer and its effect on the payment are now written together, so
the payment's amounts are the sums of what its operations did. Operations answered
before keep what can be known of them: an approved one did what it asked, and acted
on the payment's authorisation (an authorise: on the one it made).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026_payment_records"
down_revision: str | None = "0025_self_service"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("payment_operations") as batch:
        batch.add_column(sa.Column("authorisation", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column("done_minor", sa.BigInteger(), nullable=False, server_default="0")
        )
    op.execute(
        "UPDATE payment_operations SET authorisation = reference "
        "WHERE kind = 'authorise' AND outcome = 'approved'"
    )
    op.execute(
        "UPDATE payment_operations SET authorisation = (SELECT p.authorisation FROM payments p "
        "WHERE p.id = payment_operations.payment_id) WHERE kind <> 'authorise'"
    )
    op.execute("UPDATE payment_operations SET done_minor = amount_minor WHERE outcome = 'approved'")
    with op.batch_alter_table("payment_operations") as batch:
        batch.alter_column("done_minor", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("payment_operations") as batch:
        batch.drop_column("done_minor")
        batch.drop_column("authorisation")
