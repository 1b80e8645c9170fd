"""Rectification tasks (整改任务) and their history: the 以评促改 loop.

A task is created from a weak link, a key case or by hand; the department reports
progress; status moves 待整改 → 整改中 → 已完成, and the administrator may return a
completed task (退回), after which the department resumes it.  Progress and status agree:
已完成 is 100% and 100% is 已完成 (待整改 or 整改中 at 100%, or 已完成 below it, is refused).  Every change is one
transaction holding the task row, a history event and an audit entry.  Updates carry the
version the editor loaded (optimistic locking), so two people editing the same task never
overwrite each other silently.  Every function takes the acting :class:`Principal` and
refuses what it may not see or do.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from data import audit, clock
from data.accounts import ADMIN, DEPT_USER, Principal
from data.clock import local_now
from data.schema import CONTRACT, rectification_tasks, task_events

TODO, DOING, DONE, RETURNED = "待整改", "整改中", "已完成", "退回"
STATUSES = (TODO, DOING, DONE, RETURNED)
# statuses of work not yet done: their progress is below 100% (100% is 已完成, and only that)
OPEN_AT_PROGRESS = frozenset({TODO, DOING})
SOURCE_WEAK_LINK, SOURCE_KEY_CASE, SOURCE_MANUAL = "短板", "重点案例", "手工"
# who may move a task from one status to another
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (TODO, DOING): frozenset({DEPT_USER, ADMIN}),
    (TODO, DONE): frozenset({DEPT_USER, ADMIN}),
    (DOING, DONE): frozenset({DEPT_USER, ADMIN}),
    (DONE, RETURNED): frozenset({ADMIN}),
    (RETURNED, DOING): frozenset({DEPT_USER, ADMIN}),
    (RETURNED, DONE): frozenset({DEPT_USER, ADMIN}),
}


class TaskError(ValueError):
    """A refused task operation; ``str(err)`` is a Chinese message."""


class StaleTaskError(TaskError):
    """The task changed since the editor loaded it."""


def _now() -> datetime:
    return local_now()


def _dept_exists(session: Session, dept: str) -> bool:
    t = CONTRACT["departments"]
    return session.execute(select(t.c.dept_code).where(t.c.dept_code == dept)).first() is not None


def create_task(
    session: Session, actor: Principal, *, title: str, dept: str, responsible: str, deadline: date,
    requirement: str, source_kind: str = SOURCE_MANUAL, source_ref: str | None = None,
) -> int:
    """Create a task (administrator or leader); returns its id."""
    if not actor.can_edit_tasks:
        raise TaskError("只有管理员或领导可以下达整改任务。")
    problems = []
    if not title.strip():
        problems.append("任务名称不能为空")
    if not responsible.strip():
        problems.append("责任人不能为空")
    if not requirement.strip():
        problems.append("整改要求不能为空")
    if not _dept_exists(session, dept):
        problems.append(f"部门编码 {dept} 不存在")
    if problems:
        raise TaskError("；".join(problems) + "。")
    if source_ref:
        t = rectification_tasks.c
        dup = session.execute(select(t.id).where(t.source_ref == source_ref, t.status != DONE)).first()
        if dup:
            raise TaskError(f"该事项已有未完成的整改任务（编号 {dup.id}），不再重复下达。")
    now = _now()
    task_id = session.execute(insert(rectification_tasks).values(
        title=title.strip(), dept_code=dept, responsible=responsible.strip(), deadline=deadline,
        requirement=requirement.strip(), status=TODO, progress=0, source_kind=source_kind,
        source_ref=source_ref, created_by=actor.username, created_at=now, updated_at=now, version=1,
    ).returning(rectification_tasks.c.id)).scalar_one()
    session.execute(insert(task_events).values(task_id=task_id, at=now, user_name=actor.username,
                                               from_status=None, to_status=TODO, progress=0, note="下达任务"))
    audit.record(session, actor.username, "下达整改任务", f"任务{task_id}", dept=dept, title=title.strip(),
                 source=source_kind, ref=source_ref)
    return int(task_id)


def _load(session: Session, actor: Principal, task_id: int) -> object:
    row = session.execute(select(rectification_tasks).where(rectification_tasks.c.id == task_id)).first()
    if row is None or not actor.may_see(row.dept_code):
        raise TaskError(f"整改任务 {task_id} 不存在或无权查看。")
    return row


def update_task(
    session: Session, actor: Principal, task_id: int, *, expected_version: int, status: str,
    progress: int | None = None, note: str = "",
) -> int:
    """Record progress and/or a status change; returns the new version.

    StaleTaskError if someone saved the task since ``expected_version`` was loaded.
    """
    row = _load(session, actor, task_id)
    if actor.read_only or actor.role not in (DEPT_USER, ADMIN):
        raise TaskError("当前账户不能更新整改进展。")
    current = row.status  # type: ignore[attr-defined]
    if status not in STATUSES:
        raise TaskError(f"状态“{status}”无效。")
    if status != current and actor.role not in TRANSITIONS.get((current, status), frozenset()):
        raise TaskError(f"不能将任务从“{current}”改为“{status}”。")
    if progress is not None and not 0 <= progress <= 100:
        raise TaskError("进度应在 0 到 100 之间。")
    if status == current and progress is None and not note.strip():
        raise TaskError("请填写进展说明或修改状态、进度。")
    if status == DONE and progress is not None and progress < 100:
        raise TaskError(f"状态为“{DONE}”时进度应为 100%（填写的是 {progress}%）；整改尚未全部完成请选择“{DOING}”。")
    new_progress = 100 if status == DONE else (progress if progress is not None else row.progress)  # type: ignore[attr-defined]
    if status in OPEN_AT_PROGRESS and new_progress >= 100:
        raise TaskError(f"进度 100% 表示整改已完成，状态应为“{DONE}”；整改尚未全部完成请将进度调低。")
    now = _now()
    t = rectification_tasks.c
    res = session.execute(
        update(rectification_tasks)
        .where(t.id == task_id, t.version == expected_version)
        .values(status=status, progress=new_progress, updated_at=now, version=t.version + 1,
                completed_at=now if status == DONE else None)
    )
    if res.rowcount == 0:  # type: ignore[attr-defined]
        raise StaleTaskError("该任务已被他人修改，您的修改未保存。请刷新后查看最新进展再提交。")
    session.execute(insert(task_events).values(task_id=task_id, at=now, user_name=actor.username,
                                               from_status=current, to_status=status,
                                               progress=new_progress, note=note.strip() or None))
    audit.record(session, actor.username, "更新整改任务", f"任务{task_id}", from_status=current,
                 to_status=status, progress=new_progress)
    return expected_version + 1


def list_tasks(session: Session, actor: Principal, today: date | None = None) -> pd.DataFrame:
    """The tasks ``actor`` may see (a department only its own), with ``overdue`` and days left
    judged at ``today`` (default: today in Asia/Shanghai; a task is live work, never judged at
    a report period's as_of)."""
    t = rectification_tasks.c
    stmt = select(t.id, t.title, t.dept_code, t.responsible, t.deadline, t.requirement, t.status, t.progress,
                  t.source_kind, t.source_ref, t.created_by, t.created_at, t.updated_at, t.completed_at,
                  t.version).order_by(t.id.desc())
    if actor.is_department:
        stmt = stmt.where(t.dept_code == actor.dept)
    df = pd.DataFrame(session.execute(stmt).all(), columns=[
        "id", "title", "dept_code", "responsible", "deadline", "requirement", "status", "progress",
        "source_kind", "source_ref", "created_by", "created_at", "updated_at", "completed_at", "version"])
    day = today or clock.today_local()
    deadlines = pd.to_datetime(df["deadline"])
    df["days_left"] = (deadlines - pd.Timestamp(day)).dt.days.astype("Int64")
    df["overdue"] = (df["status"] != DONE) & (df["days_left"] < 0).fillna(False).astype(bool)
    return df


def task_history(session: Session, actor: Principal, task_id: int) -> pd.DataFrame:
    """A task's events, oldest first (only for a task ``actor`` may see)."""
    _load(session, actor, task_id)
    e = task_events.c
    rows = session.execute(select(e.at, e.user_name, e.from_status, e.to_status, e.progress, e.note)
                           .where(e.task_id == task_id).order_by(e.id)).all()
    return pd.DataFrame(rows, columns=["at", "user_name", "from_status", "to_status", "progress", "note"])


def open_source_refs(session: Session) -> set[str]:
    """Source references that already have an unfinished task (to mark weak links as assigned)."""
    t = rectification_tasks.c
    return {r for (r,) in session.execute(select(t.source_ref).where(t.status != DONE, t.source_ref.is_not(None)))}
