"""wt-matrix: an idea's place in the impact matrix (impact x effort)

Revision ID: 5b8e2f4a9c17
Revises: 0d1c5e9a7b42
Create Date: 2026-11-30 04:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '5b8e2f4a9c17'
down_revision: str | None = '0d1c5e9a7b42'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('idea') as batch:
        batch.add_column(sa.Column('impact', sa.Enum('high', 'low', name='level', native_enum=False, length=4), nullable=True))
        batch.add_column(sa.Column('effort', sa.Enum('high', 'low', name='level', native_enum=False, length=4), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('idea') as batch:
        batch.drop_column('effort')
        batch.drop_column('impact')
