"""督查督办台账: the key cases (重点督办) with deadline, tasks, responsible person, progress and
the days left or overdue at as_of; and the 通报候选 of the period (unreported_count).

A key case is on the ledger of a period when it was received by as_of and was not already
closed before the period began.  Days are calendar days (自然日) between as_of and the
rectify_deadline: ``days_left`` = deadline − as_of while unrectified and not yet due,
``days_overdue`` = as_of − deadline once the deadline has passed unrectified (exactly the
cases of key_overdue_count).  A case rectified after its deadline is ``late_done``.

Deadlines are live work: given ``today`` (Asia/Shanghai, :func:`metrics.lights.today_local`)
the ledger keeps the period's key cases but judges their progress, days left and days
overdue at ``today`` instead of as_of, so a case due on 2026-10-30 is overdue on 2026-12-01
whatever period is shown.  Only the indicator key_overdue_count stays at as_of.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from metrics.calendar import MISSING_DAY, day_number, day_numbers
from metrics.records import records_behind
from metrics.results import MetricsRequest
from metrics.scoping import request_scope
from metrics.views.cases import case_table

if TYPE_CHECKING:
    from metrics.engine import MetricsEngine

DUE_SOON_DAYS = 30
"""A key case due within this many calendar days is 临期 (shown, not scored)."""

LEDGER_COLUMNS = [
    "case_id", "dept_code", "dept_name", "street_name", "received_date", "source", "category", "summary",
    "rectify_deadline", "rectify_tasks", "responsible_person", "case_progress", "rectified_date", "closed_date",
    "days_left", "days_overdue", "late", "late_done", "due_soon",
]


def key_cases(engine: MetricsEngine, request: MetricsRequest, today: dt.date | None = None) -> pd.DataFrame:
    """The ledger: key cases received by as_of and not closed before the period (of
    ``request.dept`` / ``request.street`` when given), overdue first (most days first), then
    by deadline; their deadlines judged at ``today`` when given (else at as_of)."""
    scope = request_scope(engine, request)
    c = engine.data.cases
    f = c.frame
    asof = scope.window.asof
    closed_day = day_numbers(f["closed_date"])
    closed_before = (closed_day != MISSING_DAY) & (closed_day < scope.window.start)
    mask = c.key & (c.received_day <= asof) & ~closed_before & scope.case_scope
    if request.dept is not None:
        mask &= (f["dept_code"] == request.dept).fillna(False).to_numpy(dtype=bool)
    if today is not None:  # the same cases, their progress as it stands today
        scope = request_scope(engine, replace(request, as_of=today))
        asof = scope.window.asof
    table = case_table(engine, scope, mask)
    deadline = np.array([day_number(d) if d is not None else 0 for d in table["rectify_deadline"]], dtype=np.int64)
    has_deadline = table["rectify_deadline"].notna().to_numpy(dtype=bool)
    rectified = table["rectified_date"].notna().to_numpy(dtype=bool)
    late = table["rectify_overdue"].to_numpy(dtype=bool)
    left = has_deadline & ~rectified & ~late & (deadline >= asof)
    out = table.assign(
        days_left=pd.array(np.where(left, deadline - asof, 0), dtype="Int64"),
        late=late,
        late_done=table["rectify_late"].to_numpy(dtype=bool),
    )
    out.loc[~left, "days_left"] = pd.NA
    out["due_soon"] = (out["days_left"] <= DUE_SOON_DAYS).fillna(False).astype(bool)
    out = out.assign(_late=~out["late"], _dl=out["rectify_deadline"].map(lambda d: d or pd.Timestamp.max.date()))
    out = out.sort_values(["_late", "days_overdue", "_dl", "case_id"], ascending=[True, False, True, True],
                          na_position="last", kind="stable")
    return out[LEDGER_COLUMNS].reset_index(drop=True)


def ledger_counts(engine: MetricsEngine, request: MetricsRequest, today: dt.date | None = None) -> dict[str, int]:
    """Headline counts of the ledger: key cases, overdue unrectified, due within 30 days,
    rectified, rectified after the deadline (judged at ``today`` when given, else at as_of)."""
    df = key_cases(engine, request, today)
    return {
        "total": len(df),
        "overdue": int(df["late"].sum()),
        "due_soon": int(df["due_soon"].sum()),
        "rectified": int(df["rectified_date"].notna().sum()),
        "late_done": int(df["late_done"].sum()),
    }


CANDIDATE_COLUMNS = [
    "case_id", "dept_code", "dept_name", "received_date", "source", "category", "street_name", "summary",
    "verified_date", "status", "dept_reported", "transfer_wd",
]


def notification_candidates(engine: MetricsEngine, request: MetricsRequest) -> pd.DataFrame:
    """通报候选: cases received in the period, verified 属实, found by others (source other than
    部门自查) and not reported by the responsible unit — the cases of unreported_count (of
    ``request.dept`` when given), by department and date."""
    rec = records_behind(engine, request, request.dept, "unreported_count")
    names = engine.data.dept_names
    out = rec.assign(
        dept_name=[names.get(str(x), str(x)) for x in rec["dept_code"]],
        street_name=pd.array([names.get(str(x), str(x)) if not pd.isna(x) else None for x in rec["street_code"]],
                             dtype="string"),
    )
    for col in ("received_date", "verified_date"):
        out[col] = pd.Series([d.date() if not pd.isna(d) else None for d in out[col]], dtype=object)
    out = out.sort_values(["dept_code", "received_date", "case_id"], kind="stable")
    return out[CANDIDATE_COLUMNS].reset_index(drop=True)


def candidates_by_dept(engine: MetricsEngine, request: MetricsRequest) -> pd.DataFrame:
    """Number of 通报候选 per department (most first): dept_code, dept_name, count."""
    df = notification_candidates(engine, request)
    if df.empty:
        return pd.DataFrame({"dept_code": pd.Series(dtype="string"), "dept_name": pd.Series(dtype="string"),
                             "count": pd.Series(dtype="int64")})
    counts = df.groupby(["dept_code", "dept_name"], sort=False).size().rename("count").reset_index()
    return counts.sort_values(["count", "dept_code"], ascending=[False, True], kind="stable").reset_index(drop=True)
