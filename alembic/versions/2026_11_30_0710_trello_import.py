"""trello import: an action's notes, and the card an action, success or idea came from

Revision ID: 5c1e9a7d3f20
Revises: 9e3a7c5d2b14
Create Date: 2026-11-30 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "5c1e9a7d3f20"
down_revision: str | None = "9e3a7c5d2b14"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("action", "success", "idea")


def upgrade() -> None:
    with op.batch_alter_table("action") as batch:
        batch.add_column(
            sa.Column(
                "notes",
                sqlmodel.sql.sqltypes.AutoString(length=4000),
                nullable=False,
                server_default="",
            )
        )
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
            )
            batch.create_unique_constraint(
                f"uq_{table}_board_external", ["board_id", "external_id"]
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"uq_{table}_board_external", type_="unique")
            batch.drop_column("external_id")
    with op.batch_alter_table("action") as batch:
        batch.drop_column("notes")
