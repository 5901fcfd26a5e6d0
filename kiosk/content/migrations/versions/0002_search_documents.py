"""search documents

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The per-language FTS5 tables are made by kiosk.content.index for the languages the content
    # has; this table maps their row ids to items.
    op.create_table(
        "search_doc",
        sa.Column("docid", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("lang", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("docid"),
    )
    with op.batch_alter_table("search_doc", schema=None) as batch_op:
        batch_op.create_index("ix_search_doc_item", ["item_id", "lang"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("search_doc", schema=None) as batch_op:
        batch_op.drop_index("ix_search_doc_item")
    op.drop_table("search_doc")
