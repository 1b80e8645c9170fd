"""Rectification tasks (整改任务) for the deck's tasks slide: the one seam to the tasks module.

The deck does not read tasks itself.  :func:`report.slides.build_deck` takes ``tasks``, a
:data:`TasksSource`: a callable ``(request, dept) -> DataFrame | None`` returning the OPEN
rectification tasks (not yet completed) at the request's as_of, with the columns of
:data:`TASK_COLUMNS`:

    title        str        what must be done (任务)
    dept_code    str        the responsible department
    responsible  str        the responsible person (责任人)
    deadline     date       the deadline (完成时限)
    status       str        the task's status as the tasks module names it (e.g. 整改中)
    overdue      bool       past its deadline at as_of and not completed

``None`` means there is no tasks data at all (the slide says 暂无整改任务数据); an empty
frame means there is none open (the slide says so).  Until the tasks module exists,
:data:`DEFAULT_SOURCE` is :func:`no_tasks`.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from metrics.results import MetricsRequest

TASK_COLUMNS = ("title", "dept_code", "responsible", "deadline", "status", "overdue")

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
    if dept is not None:
        out = out[(out["dept_code"] == dept).fillna(False).astype(bool)]
    out["overdue"] = out["overdue"].fillna(False).astype(bool)
    out["deadline"] = pd.to_datetime(out["deadline"], errors="coerce")
    out = out.assign(_o=(~out["overdue"]).astype(int))
    out = out.sort_values(["_o", "deadline"], kind="stable", na_position="last").drop(columns="_o")
    return out.reset_index(drop=True)
