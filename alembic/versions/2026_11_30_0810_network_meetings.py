"""Bijeenkomsten of a leernetwerk: meetings, what members bring and fetch, agreements

Revision ID: 5c2d7e9a1b30
Revises: 4b8e1f6a9c27
Create Date: 2026-11-30 08:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "5c2d7e9a1b30"
down_revision: str | None = "4b8e1f6a9c27"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DATETIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "network_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("start_time", text(length=5), nullable=False),
        sa.Column("host_school_id", sa.Integer(), nullable=True),
        sa.Column("theme", text(length=200), nullable=False),
        sa.Column("status", text(length=8), nullable=False),
        sa.Column("part_minutes", sa.Integer(), nullable=False),
        sa.Column("current_part", sa.Integer(), nullable=False),
        sa.Column("part_started_at", DATETIME(), nullable=True),
        sa.Column("started_at", DATETIME(), nullable=True),
        sa.Column("ended_at", DATETIME(), nullable=True),
        sa.Column("agenda_sent_at", DATETIME(), nullable=True),
        sa.Column("notes", text(length=2000), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", DATETIME(), nullable=False),
        sa.ForeignKeyConstraint(["network_id"], ["network.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["host_school_id"], ["school.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_network_meeting_network_id", "network_meeting", ["network_id"])
    op.create_table(
        "meeting_contribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("kind", text(length=5), nullable=False),
        sa.Column("text", text(length=2000), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=True),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("covered", sa.Boolean(), nullable=False),
        sa.Column("note", text(length=2000), nullable=False),
        sa.Column("created_at", DATETIME(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["network_meeting.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["practice_id"], ["practice.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["question_id"], ["question.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_meeting_contribution_meeting_id", "meeting_contribution", ["meeting_id"])
    op.create_table(
        "meeting_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("text", text(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("adoptions", sa.Integer(), nullable=False),
        sa.Column("created_at", DATETIME(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["network_meeting.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_meeting_agreement_meeting_id", "meeting_agreement", ["meeting_id"])


def downgrade() -> None:
    op.drop_table("meeting_agreement")
    op.drop_table("meeting_contribution")
    op.drop_table("network_meeting")
