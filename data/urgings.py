"""催办 (urging): a leader or the administrator presses a department on a red item.

Each urging is one row (who, when, note, the item's kind and id, its department) written
with its audit entry in the caller's transaction.  Whether the item is red is judged by
:func:`metrics.alerts.urge`, which calls :func:`add_urging`; this module enforces who may
urge and what a note must be, and answers the counts the ledger (催办次数) and deck show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from data import audit, clock
from data.accounts import ADMIN, LEADER, Principal
from data.schema import CONTRACT, urgings

LOCAL_TZ = clock.LOCAL_TZ
MAX_NOTE = 500


class UrgingError(ValueError):
    """A refused urging; ``str(err)`` is a Chinese message."""


@dataclass(frozen=True)
class Urging:
    id: int
    kind: str
    item_id: str
    dept_code: str
    user_name: str
    at: datetime  # local time, Asia/Shanghai
    note: str


def local_now() -> datetime:
    """Now in Asia/Shanghai, naive, to the second (how the product stores times)."""
    return clock.local_now()


def add_urging(session: Session, actor: Principal, *, kind: str, item_id: str, dept: str, note: str) -> int:
    """Record an urging of one item; returns its id.  Only 领导 and 管理员 may urge."""
    if actor.role not in (LEADER, ADMIN):
        raise UrgingError("只有领导或管理员可以催办。")
    text = note.strip()
    if not text:
        raise UrgingError("请填写催办意见。")
    if len(text) > MAX_NOTE:
        raise UrgingError(f"催办意见不超过 {MAX_NOTE} 字（现为 {len(text)} 字）。")
    t = CONTRACT["departments"]
    if session.execute(select(t.c.dept_code).where(t.c.dept_code == dept)).first() is None:
        raise UrgingError(f"部门编码 {dept} 不存在。")
    new_id = session.execute(insert(urgings).values(
        kind=kind, item_id=str(item_id), dept_code=dept, user_name=actor.username, at=local_now(), note=text,
    ).returning(urgings.c.id)).scalar_one()
    audit.record(session, actor.username, "催办", f"{kind}:{item_id}", dept=dept, note=text)
    return int(new_id)


def counts(session: Session, kinds: Iterable[str] | None = None) -> dict[tuple[str, str], int]:
    """Urgings per item, ``(kind, item_id) -> n`` (the ledger's 催办次数)."""
    u = urgings.c
    stmt = select(u.kind, u.item_id, func.count()).group_by(u.kind, u.item_id)
    if kinds is not None:
        stmt = stmt.where(u.kind.in_(list(kinds)))
    return {(k, i): int(n) for k, i, n in session.execute(stmt)}


def dept_counts(session: Session, since: datetime | None = None) -> dict[str, int]:
    """Urgings per department (for the deck), optionally only those at or after ``since``."""
    u = urgings.c
    stmt = select(u.dept_code, func.count()).group_by(u.dept_code)
    if since is not None:
        stmt = stmt.where(u.at >= since)
    return {d: int(n) for d, n in session.execute(stmt)}


def list_urgings(session: Session, actor: Principal, *, kind: str | None = None,
                 item_id: str | None = None) -> list[Urging]:
    """Urgings ``actor`` may see (a department only its own), newest first."""
    u = urgings.c
    stmt = select(urgings).order_by(u.id.desc())
    if actor.is_department:
        stmt = stmt.where(u.dept_code == actor.dept)
    if kind is not None:
        stmt = stmt.where(u.kind == kind)
    if item_id is not None:
        stmt = stmt.where(u.item_id == str(item_id))
    return [Urging(r.id, r.kind, r.item_id, r.dept_code, r.user_name, r.at, r.note) for r in session.execute(stmt)]
