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
