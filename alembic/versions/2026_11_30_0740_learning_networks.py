"""Leernetwerken: networks, their members, shared practices, adoptions, and practice search

Revision ID: 4b8e1f6a9c27
Revises: 4b8e1d6a9c23
Create Date: 2026-11-30 07:10:00

Search: PostgreSQL reads `to_tsvector` at query time (no extra table); SQLite keeps an FTS5
table `practice_search` (rowid = the practice's id) of each practice's stemmed words.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "4b8e1f6a9c27"
down_revision: str | None = "4b8e1d6a9c23"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DATETIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "network",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", text(length=200), nullable=False),
        sa.Column("facilitator_id", sa.Integer(), nullable=True),
        sa.Column("created_at", DATETIME(), nullable=False),
        sa.ForeignKeyConstraint(["facilitator_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_network_facilitator_id", "network", ["facilitator_id"])
    op.create_table(
        "network_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", DATETIME(), nullable=False),
        sa.ForeignKeyConstraint(["network_id"], ["network.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["added_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("network_id", "user_id"),
    )
    op.create_index("ix_network_member_network_id", "network_member", ["network_id"])
    op.create_index("ix_network_member_user_id", "network_member", ["user_id"])
    op.create_table(
        "practice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("title", text(length=200), nullable=False),
        sa.Column("text", text(length=2000), nullable=False),
        sa.Column("strength", text(length=2000), nullable=False),
        sa.Column("needs", text(length=500), nullable=False),
        sa.Column("for_whom", text(length=120), nullable=False),
        sa.Column("sector", text(length=2), nullable=False),
        sa.Column("theme", text(length=120), nullable=False),
        sa.Column("contact", text(length=120), nullable=False),
        sa.Column("school", text(length=200), nullable=False),
        sa.Column("person", text(length=120), nullable=False),
        sa.Column("success_id", sa.Integer(), nullable=True),
        sa.Column("shared_by_id", sa.Integer(), nullable=True),
        sa.Column("adoptions", sa.Integer(), nullable=False),
        sa.Column("search_text", text(length=20000), nullable=False),
        sa.Column("created_at", DATETIME(), nullable=False),
        sa.ForeignKeyConstraint(["network_id"], ["network.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["success_id"], ["success.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["shared_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_practice_network_id", "practice", ["network_id"])
    op.create_table(
        "adoption",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("adopted_by_id", sa.Integer(), nullable=True),
        sa.Column("how_it_went", text(length=2000), nullable=False),
        sa.Column("created_at", DATETIME(), nullable=False),
        sa.ForeignKeyConstraint(["practice_id"], ["practice.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["board_id"], ["board.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["action_id"], ["action.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["adopted_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_adoption_practice_id", "adoption", ["practice_id"])
    op.create_index("ix_adoption_board_id", "adoption", ["board_id"])
    op.create_table(
        "question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("asked_by_id", sa.Integer(), nullable=True),
        sa.Column("text", text(length=2000), nullable=False),
        sa.Column("helpful_answer_id", sa.Integer(), nullable=True),
        sa.Column("created_at", DATETIME(), nullable=False),
        sa.ForeignKeyConstraint(["network_id"], ["network.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["asked_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_question_network_id", "question", ["network_id"])
    op.create_table(
        "answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("text", text(length=2000), nullable=False),
        sa.Column("created_at", DATETIME(), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["question.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["answered_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_answer_question_id", "answer", ["question_id"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE practice_search USING fts5(words)")
        op.execute(
            "CREATE TRIGGER practice_search_gone AFTER DELETE ON practice BEGIN "
            "DELETE FROM practice_search WHERE rowid = old.id; END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS practice_search_gone")
        op.execute("DROP TABLE IF EXISTS practice_search")
    op.drop_table("answer")
    op.drop_table("question")
    op.drop_table("adoption")
    op.drop_table("practice")
    op.drop_table("network_member")
    op.drop_table("network")
