"""数据截至: how far the data reaches, per table (and per department where it differs), and
whether a period ends after it (数据不完整).

A leader reading 2026年11月 must know the records stop on 2026-10-30: such a period is
incomplete, so the engine does not score it or turn it into weak links unless asked
(:attr:`metrics.results.MetricsRequest.score_incomplete`).  The data's end is the latest
application (submitted or completed) or case (received) date, the records every period is
measured on; the other tables' latest dates are shown beside it.

Where there are applications, they alone bound the data: cases are live work (a public
feedback or a screening signal becomes a case today), and a case received today must not
make a month without a single imported application look complete.  A data set of cases
only is bounded by its cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from data.frames import Frames

COVERED: tuple[tuple[str, str, str], ...] = (
    # (table, date column, what the page calls it)
    ("applications", "submitted_at", "申请"),
    ("applications", "completed_at", "办结"),
    ("cases", "received_date", "案例线索"),
    ("disclosures", "published_date", "信息公开"),
    ("credit_ratings", "rated_date", "信用分类"),
)
"""The dated tables whose latest record is shown under 数据截至."""

APPLICATION_END = (("applications", "submitted_at"), ("applications", "completed_at"))
"""The dates that bound the data when there are applications."""
CASE_END = (("cases", "received_date"),)
"""The dates that bound a data set without applications."""


@dataclass(frozen=True)
class TableCoverage:
    """The latest record date of one table column, for the district and for the departments
    whose own latest date differs from it."""

    table: str
    column: str
    label: str
    latest: date | None
    departments: tuple[tuple[str, date], ...] = ()  # (dept_code, latest) where earlier than ``latest``


@dataclass(frozen=True)
class Coverage:
    """数据截至 of a data set: its end and each table's latest record."""

    end: date | None
    tables: tuple[TableCoverage, ...]

    def incomplete(self, date_to: date) -> bool:
        """Whether a period ending on ``date_to`` ends after the data (数据不完整)."""
        return self.end is not None and date_to > self.end


def _latest(s: pd.Series) -> date | None:
    m = s.max() if len(s) else pd.NaT
    return None if pd.isna(m) else pd.Timestamp(m).date()


def data_end(frames: Frames) -> date | None:
    """The last day the data covers: the latest application date (submitted or completed),
    or, without applications, the latest case received."""
    for columns in (APPLICATION_END, CASE_END):
        known = [d for d in (_latest(getattr(frames, t)[c]) for t, c in columns) if d is not None]
        if known:
            return max(known)
    return None


def _dept_column(frames: Frames, table: str) -> pd.Series | None:
    df = getattr(frames, table)
    if "dept_code" not in df.columns:
        return None
    dept = df["dept_code"]
    if table == "applications":  # an application's department: its own, else its item's
        items = frames.service_items.set_index("item_code")["dept_code"]
        dept = dept.fillna(df["item_code"].map(items))
    return dept


def coverage(frames: Frames) -> Coverage:
    """The :class:`Coverage` of ``frames`` (per department only where a department's own
    latest record is earlier than the table's)."""
    out = []
    for table, column, label in COVERED:
        df = getattr(frames, table)
        latest = _latest(df[column])
        behind: tuple[tuple[str, date], ...] = ()
        dept = _dept_column(frames, table)
        if latest is not None and dept is not None:
            per = df[column].groupby(dept).max().dropna()
            behind = tuple((str(k), pd.Timestamp(v).date()) for k, v in per.sort_index().items()
                           if pd.Timestamp(v).date() < latest)
        out.append(TableCoverage(table, column, label, latest, behind))
    return Coverage(data_end(frames), tuple(out))
