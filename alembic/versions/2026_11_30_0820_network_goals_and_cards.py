"""Leernetwerken: a practice adopted as a goal, a practice shared from a kwaliteitskaart

Revision ID: 5c1a7e2d9b40
Revises: 5c2d7e9a1b30
Create Date: 2026-11-30 08:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c1a7e2d9b40"
down_revision: str | None = "5c2d7e9a1b30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("adoption") as batch:
        batch.add_column(sa.Column("goal_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_adoption_goal_id_goal", "goal", ["goal_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("practice") as batch:
        batch.add_column(sa.Column("card_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_practice_card_id_quality_card",
            "quality_card",
            ["card_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("practice") as batch:
        batch.drop_constraint("fk_practice_card_id_quality_card", type_="foreignkey")
        batch.drop_column("card_id")
    with op.batch_alter_table("adoption") as batch:
        batch.drop_constraint("fk_adoption_goal_id_goal", type_="foreignkey")
        batch.drop_column("goal_id")
