"""Accounts and roles: hashed passwords (argon2), the password policy, throttled sign-in and
server-side sessions.

Roles (product.md): 领导 reads every department; 管理员 reads everything and imports data,
manages users and indicator settings; 部门用户 sees one department's (or street's) own
records and updates its own tasks; 展示 is a read-only account for the meeting screen.

Sign-in (:func:`authenticate`) is throttled per account and per client address by
:mod:`data.throttle` and opens a server-side session (:mod:`data.sessions`) whose token the
dashboard keeps in an HttpOnly cookie and checks on every run (:func:`resume`); sign-out
(:func:`sign_out`), a password reset and disabling an account end sessions in the same
transaction as the change.  Unknown user names and wrong passwords get one message.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.orm import Session

from data import audit, sessions, throttle
from data.clock import epoch, from_epoch, local_now
from data.passwords import MIN_LENGTH, PasswordRefused
from data.passwords import check as check_password
from data.schema import CONTRACT, sign_in_throttle, users

LEADER, ADMIN, DEPT_USER, DISPLAY = "领导", "管理员", "部门用户", "展示"
ROLES = (LEADER, ADMIN, DEPT_USER, DISPLAY)
MAX_FAILURES = throttle.ACCOUNT_RULE.free + 1  # the failure that starts the first delay
MIN_PASSWORD = MIN_LENGTH
WRONG = "用户名或密码错误。"
DISABLED = "该账户已停用，请联系管理员。"
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


def _dept_exists(session: Session, dept: str) -> bool:
    t = CONTRACT["departments"]
    return session.execute(select(t.c.dept_code).where(t.c.dept_code == dept)).first() is not None


def add_user(session: Session, username: str, password: str, role: str, *, display_name: str | None = None,
             dept: str | None = None, actor: str = "系统") -> None:
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
    _check_password(password, username)
    if session.execute(select(users.c.id).where(users.c.username == username)).first():
        raise AccountError(f"用户名 {username} 已存在。")
    now = local_now()
    session.execute(insert(users).values(
        username=username, display_name=display_name or username, role=role, dept_code=dept,
        password_hash=_hasher.hash(password), active=True, failed_attempts=0, created_at=now,
        password_changed_at=now,
    ))
    audit.record(session, actor, "新增用户", username, role=role, dept=dept)


def _check_password(password: str, username: str) -> None:
    try:
        check_password(password, username)
    except PasswordRefused as err:
        raise AccountError(str(err)) from err


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: the principal and its session token, or the Chinese
    reason it was refused."""

    principal: Principal | None
    message: str | None = None
    token: str | None = None

    @property
    def ok(self) -> bool:
        return self.principal is not None


def _minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


def _locked(seconds: int) -> str:
    return f"密码错误次数过多，账户已锁定，请 {_minutes(seconds)} 分钟后再试。"


def authenticate(session: Session, username: str, password: str, now: datetime | None = None, *,
                 address: str | None = None) -> SignIn:
    """Check credentials, count the attempt (per account and per ``address``) and open a session.

    Refusals are returned, not raised, so that the caller's transaction commits the counts.
    The throttle policy is :mod:`data.throttle`'s; the account's delay is skipped for an
    address the user signed in from before.  An unknown user name and a wrong password get
    the same message, the same work (one argon2 operation) and the same throttling; that an
    account is disabled is said only to whoever knows its password.
    """
    now = (now or local_now()).replace(microsecond=0)
    at = epoch(now)
    name = username.strip()
    if address:
        by_address = throttle.reserve(session, throttle.ADDRESS, address, at)
        if not by_address.admitted:
            return SignIn(None, f"登录尝试过于频繁，请 {_minutes(by_address.wait)} 分钟后再试。")
    row = session.execute(select(users).where(users.c.username == name)).first() if name else None
    by_account: throttle.Reservation | None = None
    if row is None or not sessions.known_address(session, row.id, address, now):
        by_account = throttle.reserve(session, throttle.ACCOUNT, name, at)
        if not by_account.admitted:
            return SignIn(None, _locked(by_account.wait))
    failed = SignIn(None, _locked(by_account.delay) if by_account and by_account.delay else WRONG)
    if row is None:
        _hasher.hash(password)  # same work whether or not the user exists
        return failed
    try:
        _hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        audit.record(session, row.username, "登录失败", row.username, address=address,
                     locked=bool(by_account and by_account.delay))
        return failed
    if not row.active:
        return SignIn(None, DISABLED)
    throttle.clear(session, throttle.ACCOUNT, name)
    if address:
        throttle.clear(session, throttle.ADDRESS, address)
    throttle.purge(session, at)
    session.execute(update(users).where(users.c.id == row.id).values(
        failed_attempts=0, locked_until=None, last_login_at=now))
    token = sessions.create(session, row.id, now, address)
    audit.record(session, row.username, "登录", row.username, address=address)
    return SignIn(Principal(row.username, row.display_name, row.role, row.dept_code), token=token)


def principal(session: Session, username: str) -> Principal | None:
    """The current principal of an active account (re-read so a disabled account stops at once)."""
    row = session.execute(select(users).where(users.c.username == username)).first()
    if row is None or not row.active:
        return None
    return Principal(row.username, row.display_name, row.role, row.dept_code)


def resume(session: Session, token: str | None, now: datetime | None = None) -> Principal | None:
    """The principal signed in with session ``token`` (from the cookie), re-read on every run;
    None when the session is unknown, ended or expired or the account disabled."""
    live = sessions.validate(session, token, (now or local_now()).replace(microsecond=0))
    return None if live is None else principal(session, live.username)


def sign_out(session: Session, token: str | None, now: datetime | None = None) -> None:
    """End the session of ``token`` and log it (nothing happens for an unknown token)."""
    username = sessions.revoke(session, token, (now or local_now()).replace(microsecond=0))
    if username is not None:
        audit.record(session, username, "退出登录", username)


def _user_id(session: Session, username: str) -> int:
    user_id = session.execute(select(users.c.id).where(users.c.username == username)).scalar()
    if user_id is None:
        raise AccountError(f"用户 {username} 不存在。")
    return int(user_id)


def set_active(session: Session, username: str, active: bool, actor: str = "系统") -> None:
    """Enable or disable an account; disabling ends all its sessions in the same transaction."""
    user_id = _user_id(session, username)
    session.execute(update(users).where(users.c.id == user_id).values(active=active))
    ended = 0 if active else sessions.revoke_all(session, user_id, local_now())
    audit.record(session, actor, "启用用户" if active else "停用用户", username, sessions_ended=ended)


def reset_password(session: Session, username: str, password: str, actor: str = "系统") -> None:
    """Set a new password (policy checked), lift the account's sign-in delay and end every
    session of the user, in one transaction."""
    user_id = _user_id(session, username)
    _check_password(password, username)
    now = local_now()
    session.execute(update(users).where(users.c.id == user_id).values(
        password_hash=_hasher.hash(password), failed_attempts=0, locked_until=None, password_changed_at=now))
    throttle.clear(session, throttle.ACCOUNT, username)
    ended = sessions.revoke_all(session, user_id, now)
    audit.record(session, actor, "重置密码", username, sessions_ended=ended)


def list_users(session: Session) -> pd.DataFrame:
    """Every account; ``locked_until`` is the end of a sign-in delay still running (local time)."""
    c, t = users.c, sign_in_throttle.c
    now = epoch(local_now())
    joined = users.outerjoin(sign_in_throttle, and_(t.kind == throttle.ACCOUNT, t.key == c.username))
    rows = session.execute(select(c.username, c.display_name, c.role, c.dept_code, c.active, t.blocked_until,
                                  c.last_login_at, c.created_at).select_from(joined).order_by(c.id)).all()
    records = [(*r[:5], from_epoch(int(r[5])) if r[5] and r[5] > now else None, *r[6:]) for r in rows]
    return pd.DataFrame(records, columns=["username", "display_name", "role", "dept_code", "active", "locked_until",
                                          "last_login_at", "created_at"])


def user_count(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(users)).scalar() or 0)
