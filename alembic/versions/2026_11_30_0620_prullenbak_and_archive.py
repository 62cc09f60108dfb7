"""prullenbak and archive: every board item can wait in its board's prullenbak or its archive

Revision ID: 8f2d4c6a1b37
Revises: 3e6a1d2c8b90
Create Date: 2026-11-30 06:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "8f2d4c6a1b37"
down_revision: str | None = "3e6a1d2c8b90"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "success",
    "goal",
    "action",
    "plan_item",
    "idea",
    "help_request",
    "care_case",
    "agreement",
)


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("deleted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
            )
            batch.add_column(sa.Column("deleted_by_id", sa.Integer(), nullable=True))
            batch.add_column(
                sa.Column("archived_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
            )
            batch.create_foreign_key(
                f"fk_{table}_deleted_by_id_user",
                "user",
                ["deleted_by_id"],
                ["id"],
                ondelete="SET NULL",
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"fk_{table}_deleted_by_id_user", type_="foreignkey")
            batch.drop_column("archived_at")
            batch.drop_column("deleted_by_id")
            batch.drop_column("deleted_at")
