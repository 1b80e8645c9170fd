"""One application's stage timeline on the working-day clock: when it was submitted,
accepted, reviewed, decided and completed, and how many working days (official calendar,
holidays and 调休 included: :mod:`metrics.calendar`) had passed since acceptance at each
step — against its promised and legal limits, with its suspended days (特别程序) set apart.

The clock starts at acceptance (``wd(date(accepted_at), day)``, indicators.md), so the step
before it (submitted → accepted) counts zero or negative working days.  Work still open at
as_of ends the clock at as_of, and the steps after as_of are not yet known there.  The
working days that count toward the limits are the record's own ``processing_wd`` (or
``open_wd`` when open), and its overdue flags are the record's: nothing here restates
the process rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from metrics.calendar import wd
from metrics.prepared import STAGE_COLUMNS

STEPS: tuple[tuple[str, str, str | None], ...] = (
    ("submitted_at", "提交", None),
    *((end, label, stage) for (stage, _, end), label in zip(STAGE_COLUMNS, ("受理", "审查完成", "作出决定", "办结"),
                                                             strict=True)),
)
"""(timestamp column, step name, the stage the step ends) in order."""

AS_OF_STEP = "统计时点"
TIMELINE_COLUMNS = ("step", "stage", "at", "day", "cum_wd", "stage_wd")


@dataclass(frozen=True)
class Timeline:
    """The steps of one application (``rows``: ``step``, ``stage`` (the stage the step ends,
    None for 提交), ``at`` (timestamp), ``day``, ``cum_wd`` (working days since acceptance;
    None without acceptance), ``stage_wd`` (working days since the previous step shown)),
    and where its clock stands."""

    rows: pd.DataFrame
    open: bool  # still open at as_of: the clock runs to as_of
    as_of: dt.date
    elapsed_wd: int | None  # working days from acceptance to completion (or as_of when open)
    suspended_days: int
    counted_wd: int | None  # what counts toward the limits: processing_wd, or open_wd when open
    promised_limit_days: int | None
    legal_limit_days: int | None
    overdue: bool  # over the promised limit (overdue, or open_overdue when open)
    legal_overdue: bool  # over the legal limit (completed work)

    @property
    def clocked(self) -> bool:
        """Whether the application has a clock at all (it was accepted)."""
        return self.elapsed_wd is not None


def _day(value: Any) -> dt.date | None:
    if value is None or value is pd.NaT or (not isinstance(value, dt.date) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _int(value: Any) -> int | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return int(value)


def timeline(record: Mapping[str, Any], as_of: dt.date) -> Timeline:
    """The timeline of ``record`` (an application's fields and derived values, as
    :func:`metrics.views.application.application_record` returns them) judged at ``as_of``."""
    is_open = bool(record.get("in_O"))
    accepted = _day(record.get("accepted_at"))
    rows: list[dict[str, Any]] = []
    previous: int | None = None
    for column, step, stage in STEPS:
        at = record.get(column)
        day = _day(at)
        if day is None or (is_open and day > as_of):
            continue
        cum = None if accepted is None else wd(accepted, day)
        rows.append({"step": step, "stage": stage, "at": pd.Timestamp(at), "day": day, "cum_wd": cum,
                     "stage_wd": None if cum is None or previous is None else cum - previous})
        previous = cum
    completed = _day(record.get("completed_at"))
    end = as_of if is_open else completed
    if is_open:
        cum = None if accepted is None else wd(accepted, as_of)
        rows.append({"step": AS_OF_STEP, "stage": None, "at": pd.Timestamp(as_of), "day": as_of, "cum_wd": cum,
                     "stage_wd": None if cum is None or previous is None else cum - previous})
    elapsed = None if accepted is None or end is None else wd(accepted, end)
    counted = _int(record.get("open_wd") if is_open else record.get("processing_wd"))
    frame = pd.DataFrame(rows, columns=list(TIMELINE_COLUMNS))
    for col in ("cum_wd", "stage_wd"):
        frame[col] = pd.array(frame[col].tolist(), dtype="Int64")
    return Timeline(
        rows=frame,
        open=is_open,
        as_of=as_of,
        elapsed_wd=elapsed,
        suspended_days=_int(record.get("suspended_days")) or 0,
        counted_wd=counted if elapsed is not None else None,
        promised_limit_days=_int(record.get("promised_limit_days")),
        legal_limit_days=_int(record.get("legal_limit_days")),
        overdue=bool(record.get("open_overdue") if is_open else record.get("overdue")),
        legal_overdue=not is_open and bool(record.get("legal_overdue")),
    )


__all__ = ["AS_OF_STEP", "STEPS", "TIMELINE_COLUMNS", "Timeline", "timeline"]
