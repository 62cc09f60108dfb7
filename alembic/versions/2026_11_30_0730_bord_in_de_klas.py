"""Bord in de Klas: class goals linked to team goals, klasscherm links, pupils' first names

Revision ID: 4b8e1d6a9c23
Revises: 4b8e2f6a1c37
Create Date: 2026-11-30 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "4b8e1d6a9c23"
down_revision: str | None = "4b8e2f6a1c37"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("goal") as batch:
        batch.add_column(sa.Column("team_goal_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_goal_team_goal_id_goal", "goal", ["team_goal_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("screen_link") as batch:
        batch.add_column(
            sa.Column(
                "audience",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="display",
            )
        )
    op.create_table(
        "class_pupils",
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["board_id"], ["board.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("board_id"),
    )


def downgrade() -> None:
    op.drop_table("class_pupils")
    with op.batch_alter_table("screen_link") as batch:
        batch.drop_column("audience")
    with op.batch_alter_table("goal") as batch:
        batch.drop_constraint("fk_goal_team_goal_id_goal", type_="foreignkey")
        batch.drop_column("team_goal_id")
