"""a kiosk's gate fixed at registration; trust state and audit chain positions in heartbeats

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("kiosk") as batch_op:
        batch_op.add_column(sa.Column("gate", sa.String(length=64), nullable=True))
    # Kiosks registered before gates were fixed keep the gate their last heartbeat named (the
    # gate the report already counted them under); one that never sent any gets its gate from
    # its first heartbeat.
    op.execute(
        "UPDATE kiosk SET gate = (SELECT heartbeat.gate FROM heartbeat"
        " WHERE heartbeat.kiosk_id = kiosk.id AND heartbeat.gate <> '')"
    )
    with op.batch_alter_table("heartbeat") as batch_op:
        batch_op.add_column(sa.Column("trust", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("audit_count", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("audit_alarm", sa.Text(), nullable=True))
    op.create_table(
        "audit_mark",
        sa.Column("kiosk_id", sa.String(length=64), primary_key=True),
        sa.Column("count", sa.BigInteger(), primary_key=True),
        sa.Column("head", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.String(length=32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_mark")
    with op.batch_alter_table("heartbeat") as batch_op:
        batch_op.drop_column("audit_alarm")
        batch_op.drop_column("audit_count")
        batch_op.drop_column("trust")
    with op.batch_alter_table("kiosk") as batch_op:
        batch_op.drop_column("gate")
