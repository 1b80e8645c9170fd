"""The cases the joint meeting reviews: the key-case ledger (督查督办台账) and 通报候选.

Pure functions of the engine (no Streamlit).  Which cases count as overdue and which as
通报候选 is decided by :func:`metrics.records.records_behind` — the records behind
``key_overdue_count`` and ``unreported_count`` — so the deck's lists always agree with the
figures on the pages.
"""

from __future__ import annotations

import pandas as pd

from metrics.engine import MetricsEngine
from metrics.records import records_behind
from metrics.results import MetricsRequest

LEDGER_COLUMNS = ("case_id", "dept_code", "dept_name", "summary", "received_date", "rectify_deadline",
                  "responsible_person", "rectify_tasks", "rectified_date", "progress", "overdue", "days")
CANDIDATE_COLUMNS = ("case_id", "dept_code", "dept_name", "source", "category", "received_date",
                     "verified_date", "summary")

OVERDUE = "逾期未整改"
IN_PROGRESS = "整改中"
DONE = "已整改"


def _dept_mask(frame: pd.DataFrame, dept: str | None) -> pd.Series:
    if dept is None:
        return pd.Series(True, index=frame.index)
    return (frame["dept_code"] == dept).fillna(False).astype(bool)


def key_case_ledger(engine: MetricsEngine, request: MetricsRequest, dept: str | None = None) -> pd.DataFrame:
    """Key cases (重点督办, verified 属实) open at as_of or rectified within the period.

    One row per case, overdue first, then by deadline: ``progress`` is 逾期未整改 (the cases
    of ``key_overdue_count``), 整改中 or 已整改; ``days`` is the days left to the deadline
    (negative: days overdue) for open cases, None for rectified ones.
    """
    as_of = pd.Timestamp(request.effective_as_of)
    start = pd.Timestamp(request.date_from)
    cases = engine.frames.cases
    key = cases["key_case"].fillna(False).astype(bool) & (cases["verified"] == "属实").fillna(False).astype(bool)
    received = (cases["received_date"] <= as_of).fillna(False).astype(bool)
    rectified = cases["rectified_date"]
    open_ = rectified.isna() | (rectified > as_of)
    done_in_period = rectified.notna() & (rectified >= start) & (rectified <= as_of)
    keep = key & received & (open_ | done_in_period).fillna(False).astype(bool) & _dept_mask(cases, dept)
    rows = cases[keep].copy()
    overdue_ids = set(records_behind(engine, request, dept, "key_overdue_count")["case_id"].tolist())
    names = engine.data.dept_names
    is_open = (rows["rectified_date"].isna() | (rows["rectified_date"] > as_of)).astype(bool)
    rows["dept_name"] = [names.get(c, c) for c in rows["dept_code"]]
    rows["overdue"] = rows["case_id"].isin(overdue_ids).astype(bool)
    rows["progress"] = [OVERDUE if o else (IN_PROGRESS if op else DONE)
                        for o, op in zip(rows["overdue"], is_open, strict=True)]
    rows["days"] = pd.array([
        None if not op or pd.isna(d) else int((d - as_of).days)
        for op, d in zip(is_open, rows["rectify_deadline"], strict=True)
    ], dtype="Int64")
    rows["_o"] = rows["progress"].map({OVERDUE: 0, IN_PROGRESS: 1, DONE: 2})
    rows = rows.sort_values(["_o", "rectify_deadline", "case_id"], kind="stable", na_position="last")
    return rows.loc[:, list(LEDGER_COLUMNS)].reset_index(drop=True)


def report_candidates(engine: MetricsEngine, request: MetricsRequest, dept: str | None = None) -> pd.DataFrame:
    """通报候选: the cases of ``unreported_count`` (verified 属实, found by others, not reported
    by the responsible unit), by department and date."""
    rows = records_behind(engine, request, dept, "unreported_count").copy()
    names = engine.data.dept_names
    rows["dept_name"] = [names.get(c, c) for c in rows["dept_code"]]
    rows = rows.sort_values(["dept_code", "received_date", "case_id"], kind="stable")
    return rows.loc[:, list(CANDIDATE_COLUMNS)].reset_index(drop=True)
