"""部门自查 (mechanism 5): a department's periodic 排查 and the cases its findings become.

Each finding becomes a case with source 部门自查 (the department reported it itself), stored
through the importer, so it is validated by the same contract rules, counted as an import
batch (the data version changes and every page sees it) and never half-written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from data import audit, contract
from data.accounts import Principal
from data.case_rows import reasons, store_cases, today_local
from data.clock import local_now
from data.schema import CONTRACT, self_checks

SOURCE_SELF = "部门自查"
FINDING_CATEGORIES = contract.CASE_CATEGORIES


class SelfCheckError(ValueError):
    """A refused submission; ``str(err)`` is a Chinese message."""


@dataclass(frozen=True)
class Finding:
    """One problem found: its category (问题类别) and a summary."""

    category: str
    summary: str


def _next_case_ids(session: Session, dept: str, period: str, n: int) -> list[str]:
    cases = CONTRACT["cases"]
    prefix = f"ZC-{dept}-{period}-"
    existing = session.execute(select(func.count()).where(cases.c.case_id.like(prefix + "%"))).scalar() or 0
    return [f"{prefix}{existing + i + 1:02d}" for i in range(n)]


def submit(
    session: Session, actor: Principal, *, dept: str, period: str, prohibited_approved: bool,
    licensed_violations: bool, hidden_barriers: bool, scope_note: str, findings: list[Finding],
    today: date | None = None,
) -> list[str]:
    """Record a department's 排查 for ``period`` and turn its findings into cases; returns the case ids."""
    if not actor.may_see(dept) or actor.read_only or actor.role not in ("部门用户", "管理员"):
        raise SelfCheckError("只能由本部门用户（或管理员代为）填报本部门自查。")
    flagged = prohibited_approved or licensed_violations or hidden_barriers
    kept = [f for f in findings if f.summary.strip()]
    if flagged and not kept:
        raise SelfCheckError("勾选了存在问题，请逐条填写发现的问题。")
    for f in kept:
        if f.category not in FINDING_CATEGORIES:
            raise SelfCheckError(f"问题类别“{f.category}”无效。")
    day = today or today_local()
    case_ids = _next_case_ids(session, dept, period, len(kept))
    if kept:
        _store_cases(session, actor, dept, day, list(zip(case_ids, kept, strict=True)))
    session.execute(insert(self_checks).values(
        dept_code=dept, period=period, submitted_by=actor.username,
        submitted_at=local_now(), prohibited_approved=prohibited_approved,
        licensed_violations=licensed_violations, hidden_barriers=hidden_barriers,
        scope_note=scope_note.strip() or None, case_ids=",".join(case_ids) or None,
    ))
    audit.record(session, actor.username, "提交部门自查", dept, period=period, cases=case_ids)
    return case_ids


def _store_cases(session: Session, actor: Principal, dept: str, day: date,
                 rows: list[tuple[str, Finding]]) -> None:
    report = store_cases(session, [
        {"case_id": case_id, "received_date": day.isoformat(), "source": SOURCE_SELF, "category": f.category,
         "dept_code": dept, "summary": f.summary.strip(), "status": "待转办", "dept_reported": "是", "key_case": "否"}
        for case_id, f in rows
    ], user=actor.username)
    if not report.ok:
        raise SelfCheckError("自查问题未能保存：" + "；".join(reasons(report)[:5]))


def submissions(session: Session, period: str, actor: Principal | None = None) -> pd.DataFrame:
    """Submissions for ``period`` (newest first); a department sees only its own."""
    c = self_checks.c
    stmt = select(c.id, c.dept_code, c.period, c.submitted_by, c.submitted_at, c.prohibited_approved,
                  c.licensed_violations, c.hidden_barriers, c.scope_note, c.case_ids).where(c.period == period)
    if actor is not None and actor.is_department:
        stmt = stmt.where(c.dept_code == actor.dept)
    return pd.DataFrame(session.execute(stmt.order_by(c.id.desc())).all(), columns=[
        "id", "dept_code", "period", "submitted_by", "submitted_at", "prohibited_approved",
        "licensed_violations", "hidden_barriers", "scope_note", "case_ids"])
