"""The handling queue (待办线索): which cases an actor may see, with their handling deadline
and whether it has passed today (Asia/Shanghai), for the dashboard's case-handling page.

A department user sees only its own unit's cases; the administrator and leaders see all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.accounts import Principal
from data.case_handling import CLOSED, RECEIVED
from data.case_rows import today_local
from data.schema import CONTRACT, case_handling, feedback

FINISHED = (CLOSED,)


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


def handling_queue(session: Session, actor: Principal, *, include_closed: bool = False,
                   today: dt.date | None = None) -> list[QueueEntry]:
    """Cases ``actor`` may see, newest first; closed ones only with ``include_closed``."""
    c, h, f = CONTRACT["cases"].c, case_handling.c, feedback.c
    stmt = (select(c.case_id, c.received_date, c.source, c.category, c.dept_code, c.status, c.summary,
                   h.handling_deadline, h.reported_at, f.case_id.label("feedback_id"))
            .outerjoin(case_handling, h.case_id == c.case_id).outerjoin(feedback, f.case_id == c.case_id)
            .order_by(c.received_date.desc(), c.case_id.desc()))
    if actor.is_department:
        stmt = stmt.where(c.dept_code == actor.dept)
    if not include_closed:
        stmt = stmt.where(c.status.not_in(FINISHED))
    day = today or today_local()
    out = []
    for r in session.execute(stmt):
        overdue = (r.handling_deadline is not None and r.handling_deadline < day and r.reported_at is None
                   and r.status not in (RECEIVED, CLOSED))
        out.append(QueueEntry(r.case_id, r.received_date, r.source, r.category, r.dept_code, r.status, r.summary,
                              r.handling_deadline, r.reported_at is not None, r.feedback_id is not None, overdue))
    return out
