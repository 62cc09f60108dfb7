"""event sections: the sections of the board a change touched, stored with its event

Revision ID: 3e6a1d2c8b90
Revises: 5b7e2c9d1f30
Create Date: 2026-11-30 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3e6a1d2c8b90"
down_revision: str | None = "5b7e2c9d1f30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # null for the events recorded before: a catch-up past one of them sends the whole board
    with op.batch_alter_table("board_event") as batch:
        batch.add_column(sa.Column("sections", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("board_event") as batch:
        batch.drop_column("sections")
