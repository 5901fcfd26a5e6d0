"""item channel

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Which signed channel (feed role) owns an item: a provincial channel may only touch its
    # own items. Content imported before channels existed came from the national publisher.
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("channel", sa.String(length=64), nullable=False, server_default="national")
        )
        batch_op.create_index("ix_item_channel", ["channel"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_index("ix_item_channel")
        batch_op.drop_column("channel")
