"""initial schema: kiosks, batches, usage counts, search terms, heartbeats

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kiosk",
        sa.Column("id", sa.String(length=64), primary_key=True),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
    )
    op.create_table(
        "batch",
        sa.Column("batch_id", sa.String(length=32), primary_key=True),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.String(length=32), nullable=False),
    )
    op.create_table(
        "usage_count",
        sa.Column("kiosk_id", sa.String(length=64), primary_key=True),
        sa.Column("period", sa.String(length=13), primary_key=True),
        sa.Column("metric", sa.String(length=32), primary_key=True),
        sa.Column("dim1", sa.String(length=80), primary_key=True),
        sa.Column("dim2", sa.String(length=80), primary_key=True),
        sa.Column("value", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "search_term",
        sa.Column("kiosk_id", sa.String(length=64), primary_key=True),
        sa.Column("month", sa.String(length=7), primary_key=True),
        sa.Column("lang", sa.String(length=16), primary_key=True),
        sa.Column("term", sa.String(length=40), primary_key=True),
        sa.Column("sessions", sa.BigInteger(), nullable=False),
        sa.Column("zero", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "heartbeat",
        sa.Column("kiosk_id", sa.String(length=64), primary_key=True),
        sa.Column("received_at", sa.String(length=32), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("gate", sa.String(length=64), nullable=False),
        sa.Column("content_revision", sa.Integer(), nullable=False),
        sa.Column("revisions", sa.Text(), nullable=False),
        sa.Column("last_sync", sa.String(length=40), nullable=True),
        sa.Column("last_outcome", sa.String(length=32), nullable=True),
        sa.Column("disk_free", sa.BigInteger(), nullable=False),
        sa.Column("audit_head", sa.String(length=64), nullable=False),
    )


def downgrade() -> None:
    for table in ("heartbeat", "search_term", "usage_count", "batch", "kiosk"):
        op.drop_table(table)
