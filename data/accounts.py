"""Accounts and roles: hashed passwords (argon2), lockout after repeated failures.

Roles (product.md): 领导 reads every department; 管理员 reads everything and imports data,
manages users and indicator settings; 部门用户 sees one department's (or street's) own
records and updates its own tasks; 展示 is a read-only account for the meeting screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from data import audit
from data.schema import CONTRACT, users

LEADER, ADMIN, DEPT_USER, DISPLAY = "领导", "管理员", "部门用户", "展示"
ROLES = (LEADER, ADMIN, DEPT_USER, DISPLAY)
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 8
_hasher = PasswordHasher()


class AccountError(ValueError):
    """A refused account operation; ``str(err)`` is a Chinese message."""


@dataclass(frozen=True)
class Principal:
    """Who is asking: what every scoped query is restricted by."""

    username: str
    display_name: str
    role: str
    dept: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def is_department(self) -> bool:
        return self.role == DEPT_USER

    @property
    def can_edit_tasks(self) -> bool:
        """Create tasks, return them (退回): the administrator and leaders."""
        return self.role in (ADMIN, LEADER)

    @property
    def read_only(self) -> bool:
        return self.role == DISPLAY

    def may_see(self, dept_code: str | None) -> bool:
        """Whether this principal may see records of ``dept_code``."""
        return not self.is_department or dept_code == self.dept


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 位。")
    if password.isdigit() or password.isalpha():
        raise AccountError("密码须同时包含字母和数字。")


def _dept_exists(session: Session, dept: str) -> bool:
    t = CONTRACT["departments"]
    return session.execute(select(t.c.dept_code).where(t.c.dept_code == dept)).first() is not None


def add_user(session: Session, username: str, password: str, role: str, *, display_name: str | None = None,
             dept: str | None = None, actor: str = "system") -> None:
    """Create an account; a 部门用户 must name an existing department or street."""
    username = username.strip()
    if not username:
        raise AccountError("用户名不能为空。")
    if role not in ROLES:
        raise AccountError(f"角色“{role}”无效，应为：{'、'.join(ROLES)}。")
    if role == DEPT_USER:
        if not dept:
            raise AccountError("部门用户必须指定所属部门编码。")
        if not _dept_exists(session, dept):
            raise AccountError(f"部门编码 {dept} 不存在，请先导入部门数据。")
    elif dept:
        raise AccountError("只有部门用户才指定所属部门。")
    _check_password(password)
    if session.execute(select(users.c.id).where(users.c.username == username)).first():
        raise AccountError(f"用户名 {username} 已存在。")
    now = datetime.now().replace(microsecond=0)
    session.execute(insert(users).values(
        username=username, display_name=display_name or username, role=role, dept_code=dept,
        password_hash=_hasher.hash(password), active=True, failed_attempts=0, created_at=now,
        password_changed_at=now,
    ))
    audit.record(session, actor, "新增用户", username, role=role, dept=dept)


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: the principal, or the Chinese reason it was refused."""

    principal: Principal | None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.principal is not None


def authenticate(session: Session, username: str, password: str, now: datetime | None = None) -> SignIn:
    """Check credentials and record the attempt (failure count, lockout, audit).

    Refusals are returned, not raised, so that the caller's transaction commits the failure
    count.  After MAX_FAILURES wrong passwords in a row the account is locked for LOCKOUT;
    the message does not say whether the user name exists.
    """
    now = now or datetime.now()
    row = session.execute(select(users).where(users.c.username == username.strip())).first()
    wrong = SignIn(None, "用户名或密码错误。")
    if row is None:
        _hasher.hash(password)  # same work whether or not the user exists
        return wrong
    if not row.active:
        return SignIn(None, "该账户已停用，请联系管理员。")
    if row.locked_until is not None and row.locked_until > now:
        minutes = max(1, int((row.locked_until - now).total_seconds() // 60) + 1)
        return SignIn(None, f"密码错误次数过多，账户已锁定，请 {minutes} 分钟后再试。")
    try:
        _hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        failures = (row.failed_attempts or 0) + 1
        locked = now + LOCKOUT if failures >= MAX_FAILURES else None
        session.execute(update(users).where(users.c.id == row.id).values(
            failed_attempts=0 if locked else failures, locked_until=locked))
        audit.record(session, row.username, "登录失败", row.username, locked=locked is not None)
        if locked:
            return SignIn(None, f"密码连续错误 {MAX_FAILURES} 次，账户已锁定 {int(LOCKOUT.total_seconds() // 60)} 分钟。")
        return wrong
    session.execute(update(users).where(users.c.id == row.id).values(
        failed_attempts=0, locked_until=None, last_login_at=now.replace(microsecond=0)))
    audit.record(session, row.username, "登录", row.username)
    return SignIn(Principal(row.username, row.display_name, row.role, row.dept_code))


def principal(session: Session, username: str) -> Principal | None:
    """The current principal of an active account (re-read so a disabled account stops at once)."""
    row = session.execute(select(users).where(users.c.username == username)).first()
    if row is None or not row.active:
        return None
    return Principal(row.username, row.display_name, row.role, row.dept_code)


def set_active(session: Session, username: str, active: bool, actor: str = "system") -> None:
    res = session.execute(update(users).where(users.c.username == username).values(active=active))
    if res.rowcount == 0:  # type: ignore[attr-defined]
        raise AccountError(f"用户 {username} 不存在。")
    audit.record(session, actor, "启用用户" if active else "停用用户", username)


def reset_password(session: Session, username: str, password: str, actor: str = "system") -> None:
    _check_password(password)
    res = session.execute(update(users).where(users.c.username == username).values(
        password_hash=_hasher.hash(password), failed_attempts=0, locked_until=None,
        password_changed_at=datetime.now().replace(microsecond=0)))
    if res.rowcount == 0:  # type: ignore[attr-defined]
        raise AccountError(f"用户 {username} 不存在。")
    audit.record(session, actor, "重置密码", username)


def list_users(session: Session) -> pd.DataFrame:
    c = users.c
    rows = session.execute(select(c.username, c.display_name, c.role, c.dept_code, c.active, c.locked_until,
                                  c.last_login_at, c.created_at).order_by(c.id)).all()
    return pd.DataFrame(rows, columns=["username", "display_name", "role", "dept_code", "active", "locked_until",
                                       "last_login_at", "created_at"])


def user_count(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(users)).scalar() or 0)
