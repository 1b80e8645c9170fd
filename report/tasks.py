"""Rectification tasks (整改任务) for the deck's tasks slide: the one seam to the tasks module.

The deck does not read tasks itself.  :func:`report.slides.build_deck` takes ``tasks``, a
:data:`TasksSource`: a callable ``(request, dept) -> DataFrame | None`` returning the OPEN
rectification tasks (not yet completed), judged at today (Asia/Shanghai: live work, not the
request's as_of), with the columns of
:data:`TASK_COLUMNS`:

    title        str        what must be done (任务)
    dept_code    str        the responsible department
    responsible  str        the responsible person (责任人)
    deadline     date       the deadline (完成时限)
    status       str        the task's status as the tasks module names it (e.g. 整改中)
    overdue      bool       past its deadline today and not completed

and optionally ``urgings`` (int), the times a leader or the administrator urged the task
(催办次数; 0 when the column is absent).

``None`` means there is no tasks data at all (the slide says 暂无整改任务数据); an empty
frame means there is none open (the slide says so).  :func:`database_source` reads the
tasks module (:func:`data.tasks.list_tasks`); :data:`DEFAULT_SOURCE` (used when no source
is given) is :func:`no_tasks`, since a deck built from frames alone has no database.
The dashboard builds the deck once per data version and puts the live tasks in with
:func:`report.slides.with_tasks`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from metrics.results import MetricsRequest

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from data.db import Database

TASK_COLUMNS = ("title", "dept_code", "responsible", "deadline", "status", "overdue")
URGINGS = "urgings"

TasksSource = Callable[[MetricsRequest, str | None], pd.DataFrame | None]


def no_tasks(request: MetricsRequest, dept: str | None) -> pd.DataFrame | None:
    """The source used until the tasks module is wired in: no tasks data."""
    del request, dept
    return None


DEFAULT_SOURCE: TasksSource = no_tasks


def open_tasks(frame: pd.DataFrame | None, dept: str | None = None) -> pd.DataFrame | None:
    """The supplied tasks of ``dept`` (all when None), overdue first, then by deadline."""
    if frame is None:
        return None
    missing = [c for c in TASK_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"tasks frame lacks columns {missing}")
    out = frame.loc[:, list(TASK_COLUMNS)].copy()
    out[URGINGS] = frame[URGINGS].fillna(0).astype(int) if URGINGS in frame.columns else 0
    if dept is not None:
        out = out[(out["dept_code"] == dept).fillna(False).astype(bool)]
    out["overdue"] = out["overdue"].fillna(False).astype(bool)
    out["deadline"] = pd.to_datetime(out["deadline"], errors="coerce")
    out = out.assign(_o=(~out["overdue"]).astype(int))
    out = out.sort_values(["_o", "deadline"], kind="stable", na_position="last").drop(columns="_o")
    return out.reset_index(drop=True)


def database_tasks(session: Session, today: date, dept: str | None = None) -> pd.DataFrame:
    """The open (not completed) rectification tasks in the database, overdue judged at ``today``,
    each with its 催办次数."""
    from data import tasks as store
    from data import urgings
    from data.accounts import LEADER, Principal
    from metrics.lights import DECISION, TASK

    reader = Principal("report", "汇报材料", LEADER)  # reads every department's tasks, changes none
    frame = store.list_tasks(session, reader, today)
    frame = frame[frame["status"] != store.DONE]
    if dept is not None:
        frame = frame[frame["dept_code"] == dept]
    urged = urgings.counts(session, (TASK, DECISION))
    out = frame.loc[:, list(TASK_COLUMNS)].reset_index(drop=True)
    ids = [str(i) for i in frame["id"]]
    out[URGINGS] = [urged.get((TASK, i), 0) + urged.get((DECISION, i), 0) for i in ids]
    return out


def database_urgings(db: Database) -> dict[tuple[str, str], int]:
    """The 催办次数 of every urged item in ``db``, ``(kind, item id) -> n`` (for ``build_deck``'s ``urgings``)."""
    from data import urgings

    with db.session() as session:
        return urgings.counts(session)


def database_source(db: Database) -> TasksSource:
    """A :data:`TasksSource` reading the open tasks from ``db``, judged at today (Asia/Shanghai)."""
    from data import clock

    def source(request: MetricsRequest, dept: str | None) -> pd.DataFrame | None:
        del request  # tasks are live work: the period does not change them
        with db.session() as session:
            return database_tasks(session, clock.today_local(), dept)

    return source
