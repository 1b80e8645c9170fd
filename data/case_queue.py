"""The handling queue (待办线索): which cases an actor may see, with their handling deadline
and whether it has passed today (Asia/Shanghai), for the dashboard's case-handling page;
and :func:`to_do`, the cases on which the actor itself must act, with the steps it may take.

A department user sees only its own unit's cases; the administrator and leaders see all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from data.accounts import Principal
from data.case_handling import CLOSED, RECEIVED, STEP_PUBLISH, STEP_TASK, open_steps
from data.case_rows import today_local
from data.schema import CONTRACT, case_handling, feedback

FINISHED = (CLOSED,)
OPTIONAL_STEPS = (STEP_TASK,)  # offered on the case, but nobody is waiting for it


@dataclass(frozen=True)
class QueueEntry:
    """One case in the queue."""

    case_id: str
    received_date: dt.date
    source: str
    category: str
    dept_code: str
    status: str
    summary: str | None
    handling_deadline: dt.date | None
    reported: bool
    is_feedback: bool
    overdue: bool  # the handling deadline has passed and the unit has not reported back
    reply_published: bool = False


@dataclass(frozen=True)
class ToDo:
    """A case waiting for the actor, and the steps it may take on it now."""

    entry: QueueEntry
    steps: tuple[str, ...]


def handling_queue(session: Session, actor: Principal, *, include_closed: bool = False,
                   today: dt.date | None = None, unreplied: bool = False) -> list[QueueEntry]:
    """Cases ``actor`` may see, newest first; closed ones only with ``include_closed`` (or,
    with ``unreplied``, the closed public feedbacks whose reply is not yet published)."""
    c, h, f = CONTRACT["cases"].c, case_handling.c, feedback.c
    stmt = (select(c.case_id, c.received_date, c.source, c.category, c.dept_code, c.status, c.summary,
                   h.handling_deadline, h.reported_at, f.case_id.label("feedback_id"), f.reply_published)
            .outerjoin(case_handling, h.case_id == c.case_id).outerjoin(feedback, f.case_id == c.case_id)
            .order_by(c.received_date.desc(), c.case_id.desc()))
    if actor.is_department:
        stmt = stmt.where(c.dept_code == actor.dept)
    if unreplied and not include_closed:
        stmt = stmt.where(or_(c.status.not_in(FINISHED), and_(f.case_id.is_not(None), f.reply_published.is_(False))))
    elif not include_closed:
        stmt = stmt.where(c.status.not_in(FINISHED))
    day = today or today_local()
    out = []
    for r in session.execute(stmt):
        overdue = (r.handling_deadline is not None and r.handling_deadline < day and r.reported_at is None
                   and r.status not in (RECEIVED, CLOSED))
        out.append(QueueEntry(r.case_id, r.received_date, r.source, r.category, r.dept_code, r.status, r.summary,
                              r.handling_deadline, r.reported_at is not None, r.feedback_id is not None, overdue,
                              bool(r.reply_published)))
    return out


def to_do(session: Session, actor: Principal, *, today: dt.date | None = None) -> list[ToDo]:
    """The cases waiting for ``actor`` (newest first): those where it may take a step other
    than an optional one — 转办, 办结 and 发布答复 of a not yet answered feedback for the
    administrator; 核查, 整改 and 反馈 of its own unit's cases for a department user.
    Leaders and displays act on none."""
    if not (actor.is_admin or actor.is_department):
        return []
    out = []
    for e in handling_queue(session, actor, today=today, unreplied=True):
        steps = open_steps(actor, e.dept_code, e.status, reported=e.reported, is_feedback=e.is_feedback)
        if e.reply_published:
            steps = tuple(s for s in steps if s != STEP_PUBLISH)
        if any(s not in OPTIONAL_STEPS for s in steps):
            out.append(ToDo(e, steps))
    return out
