"""import mappings (导入模板)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('import_mappings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('table_id', sa.String(length=32), nullable=False),
    sa.Column('header_row', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('headers', sa.Text(), nullable=False),
    sa.Column('columns', sa.Text(), nullable=False),
    sa.Column('rewrites', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mappings')),
    sa.UniqueConstraint('fingerprint', name=op.f('uq_import_mappings_fingerprint')),
    sa.UniqueConstraint('name', name=op.f('uq_import_mappings_name')),
    comment='导入模板（列对应与取值改写）'
    )


def downgrade() -> None:
    op.drop_table('import_mappings')
