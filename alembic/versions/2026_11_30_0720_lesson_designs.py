"""Gezamenlijk lesontwerp: lesson designs, the visits that observe them, and kwaliteitskaarten

Revision ID: 4b8e2f6a1c37
Revises: 5c1e9a7d3f20
Create Date: 2026-11-30 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "4b8e2f6a1c37"
down_revision: str | None = "5c1e9a7d3f20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    moment = sqlmodel.sql.sqltypes.UTCDateTime
    op.create_table(
        "lesson_design",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", moment(), nullable=False),
        sa.Column("updated_at", moment(), nullable=False),
        sa.Column("deleted_at", moment(), nullable=True),
        sa.Column("deleted_by_id", sa.Integer(), nullable=True),
        sa.Column("archived_at", moment(), nullable=True),
        sa.Column("title", text(length=200), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("lesson_goal", text(length=2000), nullable=False),
        sa.Column("structure", text(length=2000), nullable=False),
        sa.Column("watch_for", text(length=2000), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("group", text(length=30), nullable=False),
        sa.Column("worked", text(length=2000), nullable=True),
        sa.Column("to_change", text(length=2000), nullable=True),
        sa.Column("evaluated_at", moment(), nullable=True),
        sa.ForeignKeyConstraint(["board_id"], ["board.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["deleted_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["goal_id"], ["goal.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["teacher_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_lesson_design_board_id", "lesson_design", ["board_id"])
    op.create_table(
        "lesson_design_visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("design_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["design_id"], ["lesson_design.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("design_id", "visit_id"),
    )
    op.create_index("ix_lesson_design_visit_design_id", "lesson_design_visit", ["design_id"])
    op.create_index("ix_lesson_design_visit_visit_id", "lesson_design_visit", ["visit_id"])
    op.create_table(
        "quality_card",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("design_id", sa.Integer(), nullable=True),
        sa.Column("subject", text(length=120), nullable=False),
        sa.Column("works", text(length=2000), nullable=False),
        sa.Column("watch_for", text(length=2000), nullable=False),
        sa.Column("lesson_goal", text(length=2000), nullable=False),
        sa.Column("team", text(length=120), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", moment(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["school.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["design_id"], ["lesson_design.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("design_id"),
    )
    op.create_index("ix_quality_card_school_id", "quality_card", ["school_id"])
    op.create_index("ix_quality_card_created_at", "quality_card", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_quality_card_created_at", table_name="quality_card")
    op.drop_index("ix_quality_card_school_id", table_name="quality_card")
    op.drop_table("quality_card")
    op.drop_index("ix_lesson_design_visit_visit_id", table_name="lesson_design_visit")
    op.drop_index("ix_lesson_design_visit_design_id", table_name="lesson_design_visit")
    op.drop_table("lesson_design_visit")
    op.drop_index("ix_lesson_design_board_id", table_name="lesson_design")
    op.drop_table("lesson_design")
