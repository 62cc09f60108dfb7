"""one check-in vote per person per session

Revision ID: 7d1e9c0b4a62
Revises: 5c4b3a2f1e0d
Create Date: 2026-11-30 04:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '7d1e9c0b4a62'
down_revision: str | None = '5c4b3a2f1e0d'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('checkin_vote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voter_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_checkin_vote_voter_id_user', 'user', ['voter_id'], ['id'], ondelete='SET NULL'
        )
        batch_op.create_unique_constraint(
            'uq_checkin_vote_stand_up_id_voter_id', ['stand_up_id', 'voter_id']
        )


def downgrade() -> None:
    with op.batch_alter_table('checkin_vote', schema=None) as batch_op:
        batch_op.drop_constraint('uq_checkin_vote_stand_up_id_voter_id', type_='unique')
        batch_op.drop_constraint('fk_checkin_vote_voter_id_user', type_='foreignkey')
        batch_op.drop_column('voter_id')
