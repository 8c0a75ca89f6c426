"""the order of the outbox's events, for the relay

Revision ID: 0016_outbox_seq
Revises: 0015_jobs
Create Date: 2026-11-27 19:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_outbox_seq"
down_revision: str | None = "0015_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNPUBLISHED = "published_at IS NULL"


def upgrade() -> None:
    op.add_column("outbox", sa.Column("seq", sa.BigInteger(), nullable=True))
    postgresql = op.get_bind().dialect.name == "postgresql"
    order = "occurred_at, id" if postgresql else "rowid"
    op.execute(
        "UPDATE outbox SET seq = numbered.n FROM (SELECT id, row_number() OVER "  # noqa: S608
        f"(ORDER BY {order}) AS n FROM outbox) AS numbered WHERE outbox.id = numbered.id"
    )
    if postgresql:
        op.execute("CREATE SEQUENCE outbox_seq_seq OWNED BY outbox.seq")
        op.execute(
            "SELECT setval('outbox_seq_seq', COALESCE((SELECT MAX(seq) FROM outbox), 0) + 1, false)"
        )
        op.execute("ALTER TABLE outbox ALTER COLUMN seq SET DEFAULT nextval('outbox_seq_seq')")
    op.create_index(
        "ix_outbox_unpublished_seq",
        "outbox",
        ["seq"],
        postgresql_where=sa.text(UNPUBLISHED),
        sqlite_where=sa.text(UNPUBLISHED),
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_unpublished_seq", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("seq")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE IF EXISTS outbox_seq_seq")
