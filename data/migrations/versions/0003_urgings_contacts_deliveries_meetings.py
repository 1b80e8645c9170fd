"""urgings, contacts, deliveries, meetings, decisions (early warning and the 督办 loop)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('urgings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('item_id', sa.String(length=128), nullable=False),
    sa.Column('dept_code', sa.String(length=128), nullable=False),
    sa.Column('user_name', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['dept_code'], ['departments.dept_code'], name=op.f('fk_urgings_dept_code_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_urgings')),
    comment='催办记录'
    )
    with op.batch_alter_table('urgings', schema=None) as batch_op:
        batch_op.create_index('ix_urgings_item', ['kind', 'item_id'], unique=False)
        batch_op.create_index('ix_urgings_dept_code', ['dept_code'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('dept_code', sa.String(length=128), nullable=True),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('wecom_url', sa.Text(), nullable=True),
    sa.Column('dingtalk_url', sa.Text(), nullable=True),
    sa.Column('dingtalk_secret', sa.String(length=128), nullable=True),
    sa.Column('feishu_url', sa.Text(), nullable=True),
    sa.Column('feishu_secret', sa.String(length=128), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['dept_code'], ['departments.dept_code'], name=op.f('fk_contacts_dept_code_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    comment='提醒联系人'
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index('ix_contacts_dept_code', ['dept_code'], unique=False)

    op.create_table('deliveries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('digest_key', sa.String(length=32), nullable=False),
    sa.Column('recipient_key', sa.String(length=200), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('dept_code', sa.String(length=128), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('item_keys', sa.Text(), nullable=False),
    sa.Column('item_count', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=8), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('attempted_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
    comment='提醒发送记录'
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_deliveries_digest', ['digest_key', 'recipient_key'], unique=False)

    op.create_table('meetings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('convener', sa.String(length=64), nullable=False),
    sa.Column('units', sa.Text(), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('deck_format', sa.String(length=8), nullable=False),
    sa.Column('deck', sa.LargeBinary(), nullable=False),
    sa.Column('figures', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings')),
    comment='联席会议'
    )
    op.create_table('decisions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('dept_code', sa.String(length=128), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_decisions_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dept_code'], ['departments.dept_code'], name=op.f('fk_decisions_dept_code_departments')),
    sa.ForeignKeyConstraint(['task_id'], ['rectification_tasks.id'], name=op.f('fk_decisions_task_id_rectification_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    comment='联席会议议定事项'
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index('ix_decisions_meeting_id', ['meeting_id'], unique=False)


def downgrade() -> None:
    op.drop_table('decisions')
    op.drop_table('meetings')
    op.drop_table('deliveries')
    op.drop_table('contacts')
    op.drop_table('urgings')
