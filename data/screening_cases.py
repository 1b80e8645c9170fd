"""Hidden-barrier signals turned into cases (问题线索), once per open signal.

A signal of the screen (``metrics.screening``) is a lead: one click makes it a case with
category 违规设置隐性壁垒, source 其他 and a summary naming the signal, the item's department
as responsible unit and status 待转办, received today (Asia/Shanghai); mechanism 5 then
transfers and verifies it like any other case.  ``screening_cases`` links the signal's key
(kind, item, period) to the case, so that the same signal is refused while its case is
still open (status other than 已办结 and 不属实).  Everything happens in the caller's
transaction: the case, the link and the audit record are written together or not at all.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data import audit
from data.accounts import Principal
from data.case_rows import reasons, store_cases
from data.importer import local_now
from data.schema import CONTRACT, screening_cases

CATEGORY = "违规设置隐性壁垒"
SOURCE = "其他"
STATUS_NEW = "待转办"
CLOSED_STATUSES = frozenset({"已办结", "不属实"})
CASE_PREFIX = "SCR"
AUDIT_ACTION = "筛查线索转问题线索"


class ScreeningCaseError(ValueError):
    """A refused case creation; ``str(err)`` is a Chinese message."""


@dataclass(frozen=True)
class SignalCase:
    """What the case says: the signal's key, the responsible department and the summary."""

    key: str
    dept_code: str
    summary: str


def signal_key(kind: str, item_code: str, date_from: dt.date, date_to: dt.date) -> str:
    """The identity of a signal: its kind, item and period (``kind|item|from|to``)."""
    return f"{kind}|{item_code}|{date_from.isoformat()}|{date_to.isoformat()}"


def linked_cases(session: Session, keys: list[str] | None = None) -> dict[str, list[tuple[str, str | None]]]:
    """Per signal key, its cases oldest first as (case_id, current status or None if the case
    is gone); every key when ``keys`` is None."""
    link, cases = screening_cases.c, CONTRACT["cases"].c
    stmt = (
        select(link.signal_key, link.case_id, cases.status)
        .select_from(screening_cases.outerjoin(CONTRACT["cases"], cases.case_id == link.case_id))
        .order_by(link.id)
    )
    if keys is not None:
        if not keys:
            return {}
        stmt = stmt.where(link.signal_key.in_(keys))
    out: dict[str, list[tuple[str, str | None]]] = {}
    for key, case_id, status in session.execute(stmt).all():
        out.setdefault(key, []).append((case_id, status))
    return out


def open_case(session: Session, key: str) -> tuple[str, str] | None:
    """The (case_id, status) of the signal's case that is still open, if any."""
    for case_id, status in linked_cases(session, [key]).get(key, []):
        if status is not None and status not in CLOSED_STATUSES:
            return case_id, status
    return None


def _next_case_id(session: Session, year: int) -> str:
    prefix = f"{CASE_PREFIX}-{year}-"
    cases = CONTRACT["cases"].c
    taken = session.execute(select(cases.case_id).where(cases.case_id.like(prefix + "%"))).scalars().all()
    linked = session.execute(
        select(screening_cases.c.case_id).where(screening_cases.c.case_id.like(prefix + "%"))
    ).scalars().all()
    numbers = [int(m.group(1)) for c in (*taken, *linked) if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", c))]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def create_case(session: Session, actor: Principal, request: SignalCase, today: dt.date | None = None) -> str:
    """Turn a signal into a case and link it; returns the case id (e.g. ``SCR-2026-0001``).

    Refused (Chinese message) for a display account, for another department's signal, and
    while a case made from the same signal is still open.
    """
    if actor.read_only:
        raise ScreeningCaseError("展示账号不能创建问题线索。")
    if not actor.may_see(request.dept_code):
        raise ScreeningCaseError("只能将本部门事项的筛查线索转为问题线索。")
    if not request.summary.strip():
        raise ScreeningCaseError("问题摘要不能为空。")
    existing = open_case(session, request.key)
    if existing is not None:
        raise ScreeningCaseError(
            f"该筛查线索已转为问题线索 {existing[0]}（{existing[1]}），办结或核实不属实前不能重复转办。"
        )
    day = today or local_now().date()
    case_id = _next_case_id(session, day.year)
    report = store_cases(session, [{
        "case_id": case_id, "received_date": day.isoformat(), "source": SOURCE, "category": CATEGORY,
        "dept_code": request.dept_code, "summary": request.summary.strip(), "status": STATUS_NEW,
        "dept_reported": "否", "key_case": "否",
    }], user=actor.username)
    if not report.ok:
        raise ScreeningCaseError("问题线索未能保存：" + "；".join(reasons(report)[:5]))
    try:
        with session.begin_nested():
            session.execute(insert(screening_cases).values(
                signal_key=request.key, case_id=case_id, created_by=actor.username,
                created_at=local_now().replace(microsecond=0),
            ))
    except IntegrityError as err:  # another creation took the same id meanwhile: the caller rolls back
        raise ScreeningCaseError(f"线索编号 {case_id} 已被同时创建的线索占用，请重试。") from err
    audit.record(session, actor.username, AUDIT_ACTION, case_id, signal=request.key, dept=request.dept_code)
    return case_id
