"""archived teams and boards; a school's BRIN code

Revision ID: 5c4b3a2f1e0d
Revises: a1c2e3f4b5d6
Create Date: 2026-11-30 03:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '5c4b3a2f1e0d'
down_revision: str | None = 'a1c2e3f4b5d6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.add_column(sa.Column('brin', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_school_brin'), ['brin'])
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    with op.batch_alter_table('board', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('board', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_school_brin'), type_='unique')
        batch_op.drop_column('brin')
