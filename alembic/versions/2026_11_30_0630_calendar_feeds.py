"""calendar feeds: a user's private iCal links, of their own agenda or of one board

Revision ID: 6c1d4e8a2b57
Revises: 8f2d4c6a1b37
Create Date: 2026-11-30 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "6c1d4e8a2b57"
down_revision: str | None = "8f2d4c6a1b37"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=True),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["board_id"], ["board.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index(op.f("ix_calendar_feed_board_id"), "calendar_feed", ["board_id"])
    op.create_index(op.f("ix_calendar_feed_user_id"), "calendar_feed", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_calendar_feed_user_id"), table_name="calendar_feed")
    op.drop_index(op.f("ix_calendar_feed_board_id"), table_name="calendar_feed")
    op.drop_table("calendar_feed")
