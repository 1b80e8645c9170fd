"""The database schema: contract tables generated from :mod:`data.contract`, plus the
tables the product keeps itself.

Alembic owns the schema in a database (``data/migrations``); this metadata is what
migrations are generated from and what queries are written against.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeEngine

from data import contract
from data.contract import Kind

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

ROW_HASH = "row_hash"
"""Extra column on every contract table: a hash of the row's contract values, so that an
import can tell added, replaced and unchanged rows without reading whole rows back."""
BATCH_ID = "batch_id"
"""Extra column on every contract table: the import batch that last wrote the row."""


def _sql_type(col: contract.Column) -> TypeEngine[object]:
    kind = col.kind
    if kind in (Kind.TEXT,):
        return Text() if col.id in ("summary", "rectify_tasks", "measures", "url", "name", "item_name") else String(128)  # type: ignore[return-value]
    mapping: dict[Kind, TypeEngine[object]] = {
        Kind.ENUM: String(32),  # type: ignore[dict-item]
        Kind.BOOL: Boolean(),  # type: ignore[dict-item]
        Kind.INT: Integer(),  # type: ignore[dict-item]
        Kind.NUMBER: Float(),  # type: ignore[dict-item]
        Kind.DATE: Date(),  # type: ignore[dict-item]
        Kind.DATETIME: DateTime(),  # type: ignore[dict-item]
        Kind.RATING: SmallInteger(),  # type: ignore[dict-item]
        Kind.USCC: String(18),  # type: ignore[dict-item]
    }
    return mapping[kind]


# Foreign keys the database enforces: single-column references to a single-column key.
_FOREIGN_KEYS = {"departments": "departments.dept_code", "service_items": "service_items.item_code"}


def _contract_table(spec: contract.Table) -> Table:
    cols: list[Column[object]] = []
    for col in spec.columns:
        args: list[object] = []
        if col.ref in _FOREIGN_KEYS:
            args.append(ForeignKey(_FOREIGN_KEYS[col.ref]))
        cols.append(
            Column(
                col.id,
                _sql_type(col),
                *args,  # type: ignore[arg-type]
                primary_key=col.id in spec.key,
                nullable=not (col.id in spec.key or col.required or col.default is not None),
            )
        )
    cols.append(Column(ROW_HASH, BigInteger, nullable=False))
    cols.append(Column(BATCH_ID, Integer, nullable=True))
    return Table(spec.id, metadata, *cols, comment=spec.zh)


CONTRACT: dict[str, Table] = {spec.id: _contract_table(spec) for spec in contract.TABLES}

Index("ix_applications_submitted_at", CONTRACT["applications"].c.submitted_at)
Index("ix_applications_completed_at", CONTRACT["applications"].c.completed_at)
Index("ix_applications_dept_code", CONTRACT["applications"].c.dept_code)
Index("ix_applications_item_code", CONTRACT["applications"].c.item_code)
Index("ix_cases_received_date", CONTRACT["cases"].c.received_date)
Index("ix_cases_dept_code", CONTRACT["cases"].c.dept_code)
Index("ix_service_items_dept_code", CONTRACT["service_items"].c.dept_code)
Index("ix_credit_ratings_dept_code", CONTRACT["credit_ratings"].c.dept_code)

import_batches = Table(
    "import_batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=True),
    Column("user_name", String(64), nullable=True),
    Column("outcome", String(16), nullable=False),  # 成功 | 已拒绝 | 仅校验
    Column("problem_count", Integer, nullable=False, default=0),
    Column("message", Text, nullable=True),
    comment="导入批次",
)

import_files = Table(
    "import_files",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("import_batches.id", ondelete="CASCADE"), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("table_id", String(32), nullable=True),
    Column("sheet", String(64), nullable=True),
    Column("row_count", Integer, nullable=False, default=0),
    comment="导入文件",
)

import_counts = Table(
    "import_counts",
    metadata,
    Column("batch_id", Integer, ForeignKey("import_batches.id", ondelete="CASCADE"), primary_key=True),
    Column("table_id", String(32), primary_key=True),
    Column("added", Integer, nullable=False, default=0),
    Column("replaced", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    comment="导入批次各表行数",
)


# ---------------------------------------------------------------- kept by the product itself

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(64), nullable=False),
    Column("role", String(16), nullable=False),  # 领导 | 管理员 | 部门用户 | 展示
    Column("dept_code", String(128), ForeignKey("departments.dept_code"), nullable=True),
    Column("password_hash", String(255), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("failed_attempts", Integer, nullable=False, default=0),
    Column("locked_until", DateTime, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("password_changed_at", DateTime, nullable=True),
    Column("last_login_at", DateTime, nullable=True),
    comment="用户",
)

rectification_tasks = Table(
    "rectification_tasks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", String(200), nullable=False),
    Column("dept_code", String(128), ForeignKey("departments.dept_code"), nullable=False),
    Column("responsible", String(64), nullable=False),
    Column("deadline", Date, nullable=False),
    Column("requirement", Text, nullable=False),  # what must be done
    Column("status", String(16), nullable=False),  # 待整改 | 整改中 | 已完成 | 退回
    Column("progress", Integer, nullable=False, default=0),  # percent, as the department reports it
    Column("source_kind", String(16), nullable=False),  # 短板 | 重点案例 | 手工
    Column("source_ref", String(200), nullable=True),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("completed_at", DateTime, nullable=True),
    Column("version", Integer, nullable=False, default=1),  # optimistic lock
    comment="整改任务",
)
Index("ix_rectification_tasks_dept_code", rectification_tasks.c.dept_code)

task_events = Table(
    "task_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("task_id", Integer, ForeignKey("rectification_tasks.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("user_name", String(64), nullable=False),
    Column("from_status", String(16), nullable=True),
    Column("to_status", String(16), nullable=False),
    Column("progress", Integer, nullable=True),
    Column("note", Text, nullable=True),
    comment="整改任务进展",
)
Index("ix_task_events_task_id", task_events.c.task_id)

self_checks = Table(
    "self_checks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dept_code", String(128), ForeignKey("departments.dept_code"), nullable=False),
    Column("period", String(16), nullable=False),  # e.g. 2026Q3
    Column("submitted_by", String(64), nullable=False),
    Column("submitted_at", DateTime, nullable=False),
    Column("prohibited_approved", Boolean, nullable=False),  # 违规审批禁止准入类事项
    Column("licensed_violations", Boolean, nullable=False),  # 违规审批许可准入类事项
    Column("hidden_barriers", Boolean, nullable=False),  # 违规设置隐性壁垒
    Column("scope_note", Text, nullable=True),  # 排查范围与方法
    Column("case_ids", Text, nullable=True),  # cases created from the findings, comma separated
    comment="部门自查（排查）填报",
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("user_name", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("target", String(200), nullable=True),
    Column("detail", Text, nullable=True),
    comment="操作日志",
)
Index("ix_audit_log_at", audit_log.c.at)

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),  # JSON
    Column("updated_by", String(64), nullable=True),
    Column("updated_at", DateTime, nullable=True),
    comment="系统设置（指标阈值与权重等）",
)


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

import_mappings = Table(
    "import_mappings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("table_id", String(32), nullable=False),
    Column("header_row", Integer, nullable=False),
    Column("fingerprint", String(64), nullable=False, unique=True),  # SHA-256 of the normalised header
    Column("headers", Text, nullable=False),  # JSON list of the source's header cells
    Column("columns", Text, nullable=False),  # JSON [[source header, column id or null], ...]
    Column("rewrites", Text, nullable=False),  # JSON [[column id, exported value, contract value], ...]
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_by", String(64), nullable=True),
    Column("updated_at", DateTime, nullable=True),
    comment="导入模板（列对应与取值改写）",
)

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

auth_sessions = Table(
    "auth_sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 of the token; the token is never stored
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),  # absolute expiry
    Column("revoked_at", DateTime, nullable=True),  # sign-out, password reset, disabled account
    Column("address", String(64), nullable=True),  # client address at sign-in
    comment="登录会话",
)
Index("ix_auth_sessions_user_id", auth_sessions.c.user_id)

sign_in_throttle = Table(
    "sign_in_throttle",
    metadata,
    Column("kind", String(8), primary_key=True),  # 账户 account | 地址 address
    Column("key", String(255), primary_key=True),  # user name as typed, or the client address
    Column("failures", Integer, nullable=False, default=0),  # counted attempts since the last success
    Column("last_failure", BigInteger, nullable=False, default=0),  # epoch seconds
    Column("blocked_until", BigInteger, nullable=False, default=0),  # epoch seconds; no attempt before it
    comment="登录失败计数",
)
