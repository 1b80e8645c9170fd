"""The joint meeting (联席会议): its record, the deck as presented, and its decisions.

A meeting keeps the deck file exactly as shown and the figures JSON behind it, so a later
import never changes what the meeting saw.  Each decision (议定事项) names a responsible
unit and a deadline and becomes a rectification task (:mod:`data.tasks`) with source
``联席会议`` and reference ``meeting:<id>:<seq>``, so it is tracked, updated by the unit and
lit like every task.  Recording a meeting is one transaction: the meeting, its decisions,
their tasks and the audit entries are stored together or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from data import audit, tasks
from data.accounts import Principal
from data.schema import CONTRACT, decisions, meetings, rectification_tasks
from data.urgings import local_now

SOURCE_MEETING = "联席会议"
DECK_FORMATS = ("pptx", "pdf")


class MeetingError(ValueError):
    """A refused meeting record; ``str(err)`` is a Chinese message listing every problem."""


@dataclass(frozen=True)
class DecisionInput:
    """One 议定事项 as agreed: what, which unit, by when, and the unit's responsible person."""

    content: str
    dept_code: str
    deadline: date
    responsible: str


@dataclass(frozen=True)
class MeetingInput:
    held_on: date
    convener: str
    units: tuple[str, ...]  # dept codes of the attending member units
    period_from: date
    period_to: date
    as_of: date


@dataclass(frozen=True)
class Meeting:
    id: int
    held_on: date
    convener: str
    units: tuple[str, ...]
    period_from: date
    period_to: date
    as_of: date
    deck_format: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class DecisionStatus:
    """A decision with its task's current state."""

    meeting_id: int
    seq: int
    content: str
    dept_code: str
    deadline: date
    task_id: int
    status: str  # the task's status (待整改 / 整改中 / 已完成 / 退回)
    progress: int
    completed_at: datetime | None

    @property
    def done(self) -> bool:
        return self.status == tasks.DONE


def _known_depts(session: Session) -> set[str]:
    t = CONTRACT["departments"]
    return {c for (c,) in session.execute(select(t.c.dept_code))}


def record_meeting(session: Session, actor: Principal, meeting: MeetingInput, *, deck: bytes, deck_format: str,
                   figures: Mapping[str, Any], decisions_in: Sequence[DecisionInput]) -> int:
    """Store a meeting, its deck and figures, and its decisions as tasks; returns the meeting id."""
    if not actor.can_edit_tasks:
        raise MeetingError("只有管理员或领导可以登记联席会议。")
    known = _known_depts(session)
    problems: list[str] = []
    if not meeting.convener.strip():
        problems.append("召集人不能为空")
    if not meeting.units:
        problems.append("请选择参会成员单位")
    problems.extend(f"参会单位编码 {u} 不存在" for u in meeting.units if u not in known)
    if meeting.period_from > meeting.period_to:
        problems.append("审议期间的开始日期晚于结束日期")
    if deck_format not in DECK_FORMATS or not deck:
        problems.append("须保存会上使用的汇报材料（PPTX 或 PDF）")
    for n, d in enumerate(decisions_in, start=1):
        if not d.content.strip():
            problems.append(f"第 {n} 项议定事项内容为空")
        if d.dept_code not in known:
            problems.append(f"第 {n} 项议定事项的责任单位编码 {d.dept_code} 不存在")
        if d.deadline < meeting.held_on:
            problems.append(f"第 {n} 项议定事项的完成时限早于会议日期")
        if not d.responsible.strip():
            problems.append(f"第 {n} 项议定事项未填写责任人")
    if problems:
        raise MeetingError("；".join(problems) + "。")
    meeting_id = int(session.execute(insert(meetings).values(
        held_on=meeting.held_on, convener=meeting.convener.strip(), units=json.dumps(list(meeting.units)),
        period_from=meeting.period_from, period_to=meeting.period_to, as_of=meeting.as_of,
        deck_format=deck_format, deck=deck, figures=json.dumps(figures, ensure_ascii=False, allow_nan=False),
        recorded_by=actor.username, recorded_at=local_now(),
    ).returning(meetings.c.id)).scalar_one())
    for seq, d in enumerate(decisions_in, start=1):
        task_id = tasks.create_task(
            session, actor, title=f"联席会议议定事项：{d.content.strip()[:150]}", dept=d.dept_code,
            responsible=d.responsible, deadline=d.deadline, requirement=d.content,
            source_kind=SOURCE_MEETING, source_ref=f"meeting:{meeting_id}:{seq}",
        )
        session.execute(insert(decisions).values(meeting_id=meeting_id, seq=seq, content=d.content.strip(),
                                                 dept_code=d.dept_code, deadline=d.deadline, task_id=task_id))
    audit.record(session, actor.username, "登记联席会议", f"会议{meeting_id}", held_on=meeting.held_on,
                 units=list(meeting.units), decisions=len(decisions_in))
    return meeting_id


def _meeting(row: Any) -> Meeting:
    return Meeting(row.id, row.held_on, row.convener, tuple(json.loads(row.units)), row.period_from,
                   row.period_to, row.as_of, row.deck_format, row.recorded_by, row.recorded_at)


_COLUMNS = (meetings.c.id, meetings.c.held_on, meetings.c.convener, meetings.c.units, meetings.c.period_from,
            meetings.c.period_to, meetings.c.as_of, meetings.c.deck_format, meetings.c.recorded_by,
            meetings.c.recorded_at)


def list_meetings(session: Session) -> list[Meeting]:
    """Every meeting, newest first (without the deck bytes)."""
    rows = session.execute(select(*_COLUMNS).order_by(meetings.c.held_on.desc(), meetings.c.id.desc()))
    return [_meeting(r) for r in rows]


def meeting_deck(session: Session, meeting_id: int) -> tuple[bytes, str, dict[str, Any]]:
    """The deck as presented (bytes, format) and the figures behind it."""
    row = session.execute(select(meetings.c.deck, meetings.c.deck_format, meetings.c.figures)
                          .where(meetings.c.id == meeting_id)).first()
    if row is None:
        raise MeetingError(f"联席会议 {meeting_id} 不存在。")
    return bytes(row.deck), row.deck_format, json.loads(row.figures)


def decisions_of(session: Session, meeting_id: int) -> list[DecisionStatus]:
    """A meeting's decisions in order, each with its task's current status."""
    d, t = decisions.c, rectification_tasks.c
    rows = session.execute(
        select(d.meeting_id, d.seq, d.content, d.dept_code, d.deadline, d.task_id, t.status, t.progress,
               t.completed_at).join(rectification_tasks, t.id == d.task_id)
        .where(d.meeting_id == meeting_id).order_by(d.seq))
    return [DecisionStatus(*r) for r in rows]


def previous_meeting(session: Session, before: date) -> Meeting | None:
    """The latest meeting held before ``before`` (whose decisions the next deck reviews)."""
    row = session.execute(select(*_COLUMNS).where(meetings.c.held_on < before)
                          .order_by(meetings.c.held_on.desc(), meetings.c.id.desc()).limit(1)).first()
    return None if row is None else _meeting(row)
