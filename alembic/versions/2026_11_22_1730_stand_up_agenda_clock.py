"""stand-up agenda clock: the part being discussed and when it began

Revision ID: a5b6c7d8e9f0
Revises: c3e9f4a7d2b8
Create Date: 2026-11-22 17:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'a5b6c7d8e9f0'
down_revision: str | None = 'c3e9f4a7d2b8'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('stand_up') as batch:
        batch.add_column(sa.Column('current_part', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('part_started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('stand_up') as batch:
        batch.drop_column('part_started_at')
        batch.drop_column('current_part')
