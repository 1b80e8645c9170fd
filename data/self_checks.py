"""部门自查 (mechanism 5): a department's periodic 排查 and the cases its findings become.

Each finding becomes a case with source 部门自查 (the department reported it itself), stored
through the importer, so it is validated by the same contract rules, counted as an import
batch (the data version changes and every page sees it) and never half-written.

The three questions are the three focuses of mechanism 5 (重点排查: 违规审批禁止准入类、许可准入类
事项, 违规设置隐性壁垒), and the first three finding categories are the same three: a finding
of one of them needs its question answered 是, and a question answered 是 needs at least one
finding of its category (the violation the department states must be reported, policy
mechanism 5: 违规事实清晰 … 及时报送).  A finding of category 其他 needs no question.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

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



@dataclass(frozen=True)
class Question:
    """One of the three 排查 questions: its answer's column, its text and the finding
    category that reports what it asks about."""

    field: str
    text: str
    category: str


QUESTIONS = (
    Question("prohibited_approved", "是否存在违规审批市场准入负面清单禁止准入类事项", "违规审批禁止准入事项"),
    Question("licensed_violations", "是否存在违规审批许可准入类事项", "违规审批许可准入事项"),
    Question("hidden_barriers", "是否存在违规设置市场准入隐性壁垒", "违规设置隐性壁垒"),
)
assert all(q.category in FINDING_CATEGORIES for q in QUESTIONS)


class SelfCheckError(ValueError):
    """A refused submission; ``str(err)`` is a Chinese message."""


@dataclass(frozen=True)
class Finding:
    """One problem found: its category (问题类别) and a summary."""

    category: str
    summary: str


@dataclass(frozen=True)
class FoundCase:
    """A submitted finding as stored: the case it became, its category and summary."""

    case_id: str
    category: str | None  # None when the case is no longer in the database
    summary: str | None


@dataclass(frozen=True)
class Submission:
    """One stored 排查 of a department for a period: the answers, the scope note and the
    findings with the cases they became."""

    dept: str
    period: str
    submitted_by: str
    submitted_at: datetime
    answers: tuple[bool, bool, bool]  # in the order of QUESTIONS
    scope_note: str | None
    findings: tuple[FoundCase, ...]


def check_findings(answers: tuple[bool, bool, bool], findings: list[Finding]) -> list[Finding]:
    """The findings to store (rows with an empty summary are blank rows and dropped), or
    :class:`SelfCheckError` naming the row (第 N 行, as the form numbers them) and reason
    when a category is unknown or does not match the answers."""
    kept: list[Finding] = []
    for n, f in enumerate(findings, start=1):
        if not f.summary.strip():
            continue
        if not f.category.strip():
            raise SelfCheckError(f"第 {n} 行：请选择问题类别。")
        if f.category not in FINDING_CATEGORIES:
            raise SelfCheckError(f"第 {n} 行：问题类别“{f.category}”无效。")
        for q, ticked in zip(QUESTIONS, answers, strict=True):
            if f.category == q.category and not ticked:
                raise SelfCheckError(f"第 {n} 行：问题类别为“{q.category}”，但“{q.text}”未勾选；"
                                     "请勾选该项，或更正问题类别。")
        kept.append(f)
    if any(answers) and not kept:
        raise SelfCheckError("勾选了存在问题，请逐条填写发现的问题。")
    for q, ticked in zip(QUESTIONS, answers, strict=True):
        if ticked and not any(f.category == q.category for f in kept):
            raise SelfCheckError(f"勾选了“{q.text}”，请至少填写一条问题类别为“{q.category}”的问题；"
                                 "如本期并不存在，请取消勾选。")
    return kept


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
    kept = check_findings((prohibited_approved, licensed_violations, hidden_barriers), findings)
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


def period_submissions(session: Session, dept: str, period: str) -> tuple[Submission, ...]:
    """``dept``'s 排查 submissions for ``period``, oldest first, each with its findings read
    from the cases they became (only ``dept``'s own cases)."""
    c = self_checks.c
    rows = session.execute(
        select(c.dept_code, c.period, c.submitted_by, c.submitted_at, c.prohibited_approved, c.licensed_violations,
               c.hidden_barriers, c.scope_note, c.case_ids)
        .where(c.dept_code == dept, c.period == period).order_by(c.id)).all()
    ids = [i for r in rows for i in (r.case_ids or "").split(",") if i]
    cases = CONTRACT["cases"].c
    found = {r.case_id: (r.category, r.summary) for r in session.execute(
        select(cases.case_id, cases.category, cases.summary)
        .where(cases.case_id.in_(ids), cases.dept_code == dept))} if ids else {}
    return tuple(
        Submission(r.dept_code, r.period, r.submitted_by, r.submitted_at,
                   (bool(r.prohibited_approved), bool(r.licensed_violations), bool(r.hidden_barriers)),
                   r.scope_note,
                   tuple(FoundCase(i, *found.get(i, (None, None))) for i in (r.case_ids or "").split(",") if i))
        for r in rows)
