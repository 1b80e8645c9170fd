"""Tables the product keeps itself: import batches and mappings, users and sign-in,
rectification tasks, self-checks, the audit log and settings."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from data.schema.base import metadata

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
