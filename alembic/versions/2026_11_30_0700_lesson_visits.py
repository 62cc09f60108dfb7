"""Lesson visits (lesbezoek) with the visitor's feedback and the visited teacher's reflection

Revision ID: 9e3a7c5d2b14
Revises: 7c4d2a9e5b61
Create Date: 2026-11-30 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "9e3a7c5d2b14"
down_revision: str | None = "7c4d2a9e5b61"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("deleted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("deleted_by_id", sa.Integer(), nullable=True),
        sa.Column("archived_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("visitor_id", sa.Integer(), nullable=False),
        sa.Column("visited_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("group", text(length=30), nullable=False),
        sa.Column("question", text(length=2000), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("seen", text(length=2000), nullable=True),
        sa.Column("effect", text(length=2000), nullable=True),
        sa.Column("tip", text(length=2000), nullable=True),
        sa.Column("top", text(length=2000), nullable=True),
        sa.Column("feedback_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("reflection", text(length=2000), nullable=True),
        sa.Column("reflected_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["board_id"], ["board.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["deleted_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["visitor_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["visited_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["goal_id"], ["goal.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["action_id"], ["action.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_visit_board_id", "visit", ["board_id"])
    op.create_index("ix_visit_visitor_id", "visit", ["visitor_id"])
    op.create_index("ix_visit_visited_id", "visit", ["visited_id"])
    op.create_index("ix_visit_feedback_at", "visit", ["feedback_at"])


def downgrade() -> None:
    op.drop_index("ix_visit_feedback_at", table_name="visit")
    op.drop_index("ix_visit_visited_id", table_name="visit")
    op.drop_index("ix_visit_visitor_id", table_name="visit")
    op.drop_index("ix_visit_board_id", table_name="visit")
    op.drop_table("visit")
