"""school time zone

Revision ID: 5c8d1e2f3a4b
Revises: e7f8a9b0c1d2
Create Date: 2026-11-30 03:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '5c8d1e2f3a4b'
down_revision: str | None = 'e7f8a9b0c1d2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'time_zone',
                sqlmodel.sql.sqltypes.AutoString(length=64),
                server_default='Europe/Amsterdam',
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
