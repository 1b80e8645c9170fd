"""screening_cases: hidden-barrier signals turned into cases

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('screening_cases',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('signal_key', sa.String(length=200), nullable=False),
    sa.Column('case_id', sa.String(length=128), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_cases')),
    sa.UniqueConstraint('case_id', name=op.f('uq_screening_cases_case_id')),
    comment='筛查线索转为问题线索的记录'
    )
    with op.batch_alter_table('screening_cases', schema=None) as batch_op:
        batch_op.create_index('ix_screening_cases_signal_key', ['signal_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('screening_cases', schema=None) as batch_op:
        batch_op.drop_index('ix_screening_cases_signal_key')
    op.drop_table('screening_cases')
