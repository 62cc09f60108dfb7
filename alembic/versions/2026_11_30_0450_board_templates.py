"""board templates: a school's own templates, and the agenda a board started with

Revision ID: 5b7e2c9d1f30
Revises: 5b8e2f4a9c17
Create Date: 2026-11-30 04:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql


revision: str = "5b7e2c9d1f30"
down_revision: str | None = "5b8e2f4a9c17"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "board_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        # the board's own enum type, which exists already
        sa.Column(
            "kind",
            postgresql.ENUM(
                "team", "care", "klas", "leadership", name="boardkind", create_type=False
            ),
            nullable=False,
        ),
        sa.Column("agenda", sa.JSON(), nullable=False),
        sa.Column("goals", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["school.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_board_template_school_id"), "board_template", ["school_id"], unique=False
    )
    with op.batch_alter_table("board") as batch_op:
        batch_op.add_column(sa.Column("agenda", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("board") as batch_op:
        batch_op.drop_column("agenda")
    op.drop_index(op.f("ix_board_template_school_id"), table_name="board_template")
    op.drop_table("board_template")
