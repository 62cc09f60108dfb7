"""The prullenbak and archive columns every board item has, on visit too

Revision ID: 2d6f9a3e8b50
Revises: 9e3a7c5d2b14
Create Date: 2026-11-30 07:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "2d6f9a3e8b50"
down_revision: str | None = "9e3a7c5d2b14"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("visit") as batch:
        batch.add_column(
            sa.Column("deleted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch.add_column(sa.Column("deleted_by_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("archived_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch.create_foreign_key(
            "fk_visit_deleted_by_id_user", "user", ["deleted_by_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("visit") as batch:
        batch.drop_constraint("fk_visit_deleted_by_id_user", type_="foreignkey")
        batch.drop_column("archived_at")
        batch.drop_column("deleted_by_id")
        batch.drop_column("deleted_at")
