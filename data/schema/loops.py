"""Tables of the loops that reach people: early warning and the 督办 loop (urgings,
contacts, deliveries, joint meetings and their decisions), cases handled in the product
(steps, handling, public feedback) and screening signals turned into cases."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from data.schema.base import metadata

# ---------------------------------------------------------------- early warning and the 督办 loop (issue 16)

urgings = Table(
    "urgings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # metrics.lights kind: application | task | decision | ...
    Column("item_id", String(128), nullable=False),
    Column("dept_code", String(128), ForeignKey("departments.dept_code"), nullable=False),
    Column("user_name", String(64), nullable=False),
    Column("at", DateTime, nullable=False),  # local time (Asia/Shanghai)
    Column("note", Text, nullable=False),
    comment="催办记录",
)
Index("ix_urgings_item", urgings.c.kind, urgings.c.item_id)
Index("ix_urgings_dept_code", urgings.c.dept_code)

contacts = Table(
    "contacts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dept_code", String(128), ForeignKey("departments.dept_code"), nullable=True),  # NULL: district leaders
    Column("name", String(64), nullable=False),
    Column("email", String(254), nullable=True),
    Column("wecom_url", Text, nullable=True),  # 企业微信群机器人
    Column("dingtalk_url", Text, nullable=True),  # 钉钉群机器人
    Column("dingtalk_secret", String(128), nullable=True),  # 钉钉加签密钥
    Column("feishu_url", Text, nullable=True),  # 飞书群机器人
    Column("feishu_secret", String(128), nullable=True),  # 飞书签名校验密钥
    Column("active", Boolean, nullable=False, default=True),
    Column("updated_by", String(64), nullable=False),
    Column("updated_at", DateTime, nullable=False),
    comment="提醒联系人",
)
Index("ix_contacts_dept_code", contacts.c.dept_code)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("digest_key", String(32), nullable=False),  # daily:2026-12-01 | monthly:2026-11
    Column("recipient_key", String(200), nullable=False),  # contact, channel and a hash of the address
    Column("contact_id", Integer, nullable=True),  # no foreign key: the history outlives a deleted contact
    Column("dept_code", String(128), nullable=True),
    Column("channel", String(16), nullable=False),  # email | wecom | dingtalk | feishu
    Column("item_keys", Text, nullable=False),  # JSON list of kind:item_id the digest covered
    Column("item_count", Integer, nullable=False),
    Column("outcome", String(8), nullable=False),  # 成功 | 失败
    Column("error", Text, nullable=True),
    Column("attempted_at", DateTime, nullable=False),
    comment="提醒发送记录",
)
Index("ix_deliveries_digest", deliveries.c.digest_key, deliveries.c.recipient_key)

meetings = Table(
    "meetings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("held_on", Date, nullable=False),
    Column("convener", String(64), nullable=False),
    Column("units", Text, nullable=False),  # JSON list of attending member units' dept codes
    Column("period_from", Date, nullable=False),
    Column("period_to", Date, nullable=False),
    Column("as_of", Date, nullable=False),
    Column("deck_format", String(8), nullable=False),
    Column("deck", LargeBinary, nullable=False),  # the deck file as presented
    Column("figures", Text, nullable=False),  # JSON of the figures behind it (metrics JSON)
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    comment="联席会议",
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("content", Text, nullable=False),
    Column("dept_code", String(128), ForeignKey("departments.dept_code"), nullable=False),
    Column("deadline", Date, nullable=False),
    Column("task_id", Integer, ForeignKey("rectification_tasks.id"), nullable=False),  # tracked as a task
    comment="联席会议议定事项",
)
Index("ix_decisions_meeting_id", decisions.c.meeting_id)

# ---------------------------------------------------------------- cases handled in the product

case_steps = Table(
    "case_steps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(128), ForeignKey("cases.case_id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime, nullable=False),  # local time (Asia/Shanghai)
    Column("user_name", String(64), nullable=False),
    Column("step", String(16), nullable=False),  # 受理 | 转办 | 开始核查 | 核查 | 整改 | 反馈 | 办结 | 发布答复
    Column("from_status", String(16), nullable=True),
    Column("to_status", String(16), nullable=False),
    Column("note", Text, nullable=True),
    comment="线索办理步骤（系统内记录）",
)
Index("ix_case_steps_case_id", case_steps.c.case_id)

case_handling = Table(
    "case_handling",
    metadata,
    Column("case_id", String(128), ForeignKey("cases.case_id", ondelete="CASCADE"), primary_key=True),
    Column("handling_deadline", Date, nullable=True),  # 办理时限 set when transferred (转办)
    Column("facts", Text, nullable=True),  # 核查情况
    Column("measures", Text, nullable=True),  # 处理及整改情况
    Column("task_id", Integer, ForeignKey("rectification_tasks.id"), nullable=True),
    Column("reported_at", DateTime, nullable=True),  # the unit reported back (反馈办理结果)
    Column("reported_by", String(64), nullable=True),
    comment="线索办理情况",
)

feedback = Table(
    "feedback",
    metadata,
    Column("case_id", String(128), ForeignKey("cases.case_id", ondelete="CASCADE"), primary_key=True),
    Column("submitted_at", DateTime, nullable=False),
    Column("reporter", String(100), nullable=False),  # 企业或个人名称
    Column("uscc", String(18), nullable=True),
    Column("phone", String(20), nullable=False),
    Column("problem_type", String(32), nullable=False),
    Column("sub_type", String(32), nullable=True),
    Column("item_concerned", String(200), nullable=True),
    Column("description", Text, nullable=False),
    Column("lookup_hash", String(64), nullable=False),  # sha256 of the 查询码; the code itself is never stored
    Column("reply", Text, nullable=True),
    Column("reply_published", Boolean, nullable=False, default=False),
    Column("published_at", DateTime, nullable=True),
    comment="经营主体意见反馈",
)

feedback_attachments = Table(
    "feedback_attachments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(128), ForeignKey("feedback.case_id", ondelete="CASCADE"), nullable=False),
    Column("stored_name", String(64), nullable=False, unique=True),  # random file name under the data dir
    Column("original_name", String(200), nullable=False),
    Column("mime", String(100), nullable=False),  # sniffed from the content
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    comment="意见反馈附件",
)
Index("ix_feedback_attachments_case_id", feedback_attachments.c.case_id)

feedback_challenges = Table(
    "feedback_challenges",
    metadata,
    Column("nonce", String(64), primary_key=True),  # the one-time form token's id
    Column("answer", String(16), nullable=False),  # the CAPTCHA text, kept server-side only
    Column("created_at", DateTime, nullable=False),
    Column("used_at", DateTime, nullable=True),
    comment="意见反馈表单令牌与验证码",
)
Index("ix_feedback_challenges_created_at", feedback_challenges.c.created_at)

feedback_hits = Table(
    "feedback_hits",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # 提交-地址 | 提交-电话 | 查询-地址 | 表单-地址
    Column("key_hash", String(64), nullable=False),  # keyed hash of the address or phone
    Column("at", DateTime, nullable=False),
    comment="意见反馈频率限制记录",
)
Index("ix_feedback_hits_kind_key", feedback_hits.c.kind, feedback_hits.c.key_hash, feedback_hits.c.at)

screening_cases = Table(
    "screening_cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("signal_key", String(200), nullable=False),  # kind|item_code|from|to (data.screening_cases)
    Column("case_id", String(128), nullable=False, unique=True),  # two creations racing for one id: one fails
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    comment="筛查线索转为问题线索的记录",
)
Index("ix_screening_cases_signal_key", screening_cases.c.signal_key)
