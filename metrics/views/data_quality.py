"""数据质量 (data quality): completeness of what each department reports, month by month; its
volume against its usual level (a department that stopped reporting shows up); the tables'
row counts and their last import.

Completeness uses population C of indicators.md (each month its own period) and the
department of an application (its dept_code, else its item's), so the ``all`` field is
exactly data_completeness of that department and month.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from data import contract
from metrics import publicity
from metrics.calendar import day_number
from metrics.populations import Scope, Window
from metrics.scoping import shared_scope
from metrics.series import months

if TYPE_CHECKING:
    from metrics.engine import MetricsEngine

# field id -> (name, columns that must all be present); "all" is data_completeness
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "all": ("审查完成时间、决定时间、到现场次数齐全", ("reviewed_at", "decided_at", "visits")),
    "reviewed_at": ("审查完成时间", ("reviewed_at",)),
    "decided_at": ("决定时间", ("decided_at",)),
    "visits": ("到现场次数", ("visits",)),
    "rating": ("好差评", ("rating",)),
}

VOLUME_WINDOW = 6  # months of usual volume before a month
VOLUME_THRESHOLD = 0.5  # flagged below this share of the usual volume
VOLUME_MIN_BASELINE = 10.0  # a usual volume below this is too small to judge a dip by
VOLUME_ZERO_BASELINE = 5.0  # ... but a month with no record at all is flagged from this usual volume
VOLUME_MIN_MONTHS = 3  # known months needed for a usual volume


def _month_keys(date_from: dt.date, date_to: dt.date) -> list[tuple[str, int, int]]:
    return [(a.strftime("%Y-%m"), day_number(a), day_number(b)) for a, b in months(date_from, date_to)]


def _month_index(days: np.ndarray, keys: list[tuple[str, int, int]]) -> np.ndarray:
    """Position of each day number in ``keys`` (-1 outside every month)."""
    starts = np.array([k[1] for k in keys], dtype=np.int64)
    ends = np.array([k[2] for k in keys], dtype=np.int64)
    pos = np.searchsorted(starts, days, side="right") - 1
    ok = (pos >= 0) & (days <= ends[np.clip(pos, 0, len(ends) - 1)])
    return np.where(ok, pos, -1)


def _street_mask(engine: MetricsEngine, street: str | None) -> np.ndarray:
    if street is None:
        return np.ones(engine.data.apps.n, dtype=bool)
    return engine.data.street_mask("apps", street)


def _present(engine: MetricsEngine, field: str, scope: Scope) -> np.ndarray:
    """Applications with ``field`` present ("all": data_completeness's numerator)."""
    if field == "all":
        rule = publicity.RULES["data_completeness"]
        assert rule.qualifying is not None
        return rule.qualifying(scope)
    a = engine.data.apps
    columns = FIELDS[field][1]
    out = np.ones(a.n, dtype=bool)
    for c in columns:
        out &= a.frame[c].notna().to_numpy(dtype=bool)
    return out


def _grid(engine: MetricsEngine, keys: list[tuple[str, int, int]], month_pos: np.ndarray, mask: np.ndarray,
          weights: np.ndarray | None = None) -> np.ndarray:
    """Counts per (department in dept_keys, month) of the rows in ``mask`` (weighted if given)."""
    depts = engine.data.dept_keys
    code = engine.department_grouping.apps  # len(depts) when none
    assert code is not None
    ok = mask & (month_pos >= 0) & (code < len(depts))
    flat = code[ok].astype(np.int64) * len(keys) + month_pos[ok]
    w = None if weights is None else weights[ok].astype(np.float64)
    counts = np.bincount(flat, weights=w, minlength=len(depts) * len(keys))
    return counts.reshape(len(depts), len(keys))


def completeness(engine: MetricsEngine, date_from: dt.date, date_to: dt.date, field: str = "all",
                 street: str | None = None) -> pd.DataFrame:
    """Per department (with completed applications in the span) and month: C, how many have
    ``field`` present, and the share (None when nothing was completed that month)."""
    if field not in FIELDS:
        raise KeyError(field)
    a = engine.data.apps
    keys = _month_keys(date_from, date_to)
    scope = shared_scope(engine, Window(date_from, date_to, date_to), street)
    done = scope.completed  # C of the span; each month's C is its part in that month
    pos = _month_index(a.comp_day, keys)
    completed = _grid(engine, keys, pos, done)
    complete = _grid(engine, keys, pos, done & _present(engine, field, scope))
    rows = []
    for i, code in enumerate(engine.data.dept_keys):
        if completed[i].sum() == 0:
            continue
        for j, (month, _, _) in enumerate(keys):
            n, ok = int(completed[i, j]), int(complete[i, j])
            rows.append({"dept_code": code, "dept_name": engine.data.dept_names.get(code, code), "month": month,
                         "completed": n, "dq_complete": ok, "dq_share": ok / n if n else None})
    return pd.DataFrame(rows, columns=["dept_code", "dept_name", "month", "completed", "dq_complete", "dq_share"])


def field_gaps(engine: MetricsEngine, date_from: dt.date, date_to: dt.date, dept: str | None = None,
               street: str | None = None) -> pd.DataFrame:
    """For the completed applications of the span (of ``dept``, or all): per field, how many
    lack it and the share."""
    scope = shared_scope(engine, Window(date_from, date_to, date_to), street)
    done = scope.completed
    if dept is not None:
        keys = engine.data.dept_keys
        done = done & (engine.department_grouping.apps == (keys.index(dept) if dept in keys else -1))  # type: ignore[operator]
    n = int(done.sum())
    rows = []
    for field, (name, _) in FIELDS.items():
        missing = int((done & ~_present(engine, field, scope)).sum())
        rows.append({"dq_field": field, "dq_field_name": name, "completed": n, "dq_missing": missing,
                     "dq_missing_share": missing / n if n else None})
    return pd.DataFrame(rows, columns=["dq_field", "dq_field_name", "completed", "dq_missing", "dq_missing_share"])


def _shift_months(day: dt.date, n: int) -> dt.date:
    total = day.year * 12 + day.month - 1 - n
    return dt.date(total // 12, total % 12 + 1, 1)


def volume_check(engine: MetricsEngine, date_from: dt.date, date_to: dt.date, street: str | None = None,
                 window: int = VOLUME_WINDOW, threshold: float = VOLUME_THRESHOLD,
                 min_baseline: float = VOLUME_MIN_BASELINE) -> pd.DataFrame:
    """Per department and month: applications submitted (records reported), the usual volume
    (median of the ``window`` months before, over months the data covers, at least
    ``VOLUME_MIN_MONTHS`` of them), their ratio, and ``flagged`` when the month holds less than
    ``threshold`` of a usual volume ≥ ``min_baseline``, or nothing at all against a usual volume
    ≥ ``VOLUME_ZERO_BASELINE`` (a department that stopped reporting).

    Departments that never had an application are left out; months before the first
    application of the whole data set do not count towards the usual volume.
    """
    a = engine.data.apps
    start = _shift_months(date_from, window)
    keys = _month_keys(start, date_to)
    pos = _month_index(a.sub_day, keys)
    counts = _grid(engine, keys, pos, (a.sub_day >= 0) & _street_mask(engine, street))
    known_from = int(a.sub_day[a.sub_day >= 0].min()) if (a.sub_day >= 0).any() else None
    first_shown = next(i for i, k in enumerate(keys) if k[0] == date_from.strftime("%Y-%m"))
    rows = []
    for i, code in enumerate(engine.data.dept_keys):
        if counts[i].sum() == 0:
            continue
        for j in range(first_shown, len(keys)):
            past = [counts[i, k] for k in range(max(0, j - window), j) if known_from is not None
                    and keys[k][2] >= known_from]
            baseline = float(np.median(past)) if len(past) >= VOLUME_MIN_MONTHS else None
            n = int(counts[i, j])
            ratio = n / baseline if baseline else None
            rows.append({
                "dept_code": code, "dept_name": engine.data.dept_names.get(code, code), "month": keys[j][0],
                "dq_records": n, "dq_baseline": baseline, "dq_ratio": ratio,
                "dq_flagged": bool(baseline is not None and (
                    (baseline >= min_baseline and n < threshold * baseline)
                    or (n == 0 and baseline >= VOLUME_ZERO_BASELINE))),
            })
    return pd.DataFrame(rows, columns=["dept_code", "dept_name", "month", "dq_records", "dq_baseline", "dq_ratio", "dq_flagged"])


def table_rows(engine: MetricsEngine) -> pd.DataFrame:
    """Rows held in each contract table."""
    frames = engine.data.frames
    return pd.DataFrame(
        [{"dq_table_id": t.id, "dq_table_name": t.zh, "dq_rows": len(frames.table(t.id))} for t in contract.TABLES],
        columns=["dq_table_id", "dq_table_name", "dq_rows"],
    )


def import_freshness(rows: pd.DataFrame, last: pd.DataFrame, now: dt.datetime) -> pd.DataFrame:
    """``table_rows`` joined with the last successful import per table (``table_id``,
    ``batch_id``, ``finished_at`` of ``data.batches.last_import_per_table``) and the whole
    days since it (pure)."""
    last = last.rename(columns={"table_id": "dq_table_id", "batch_id": "dq_batch_id",
                                "finished_at": "dq_finished_at"})
    out = rows.merge(last.loc[:, ["dq_table_id", "dq_batch_id", "dq_finished_at"]], on="dq_table_id", how="left")
    finished = pd.to_datetime(out["dq_finished_at"])
    out["dq_finished_at"] = finished
    out["dq_days_since"] = (pd.Timestamp(now) - finished).dt.days.astype("Int64")
    out["dq_batch_id"] = out["dq_batch_id"].astype("Int64")
    return out


_TABLE_NAMES = {t.id: t.zh for t in contract.TABLES}
BATCH_COLUMNS = {"id": "dq_batch_id", "started_at": "dq_started", "finished_at": "dq_finished",
                 "user_name": "dq_user", "outcome": "dq_outcome", "problem_count": "dq_problems",
                 "message": "dq_message", "files": "dq_files", "tables": "dq_tables"}


def batch_tables_text(text: str) -> str:
    """``applications: +3 ~1 =0; cases: ...`` (data.batches) as Chinese."""
    parts = []
    for chunk in (text or "").split(";"):
        chunk = chunk.strip()
        if not chunk:
            continue
        table, _, rest = chunk.partition(":")
        nums = {"+": "0", "~": "0", "=": "0"}
        for token in rest.split():
            if token[:1] in nums and token[1:].isdigit():
                nums[token[:1]] = token[1:]
        name = _TABLE_NAMES.get(table.strip(), table.strip())
        parts.append(f"{name}：新增 {nums['+']}，替换 {nums['~']}，未变 {nums['=']}")
    return "；".join(parts)


def batch_table(batches: pd.DataFrame) -> pd.DataFrame:
    """Import history (``data.batches.batch_history``) with page column ids and the per-table
    counts in Chinese (pure)."""
    out = batches.rename(columns=BATCH_COLUMNS).copy()
    if "dq_tables" in out.columns:
        out["dq_tables"] = [batch_tables_text(str(v)) if pd.notna(v) else "" for v in out["dq_tables"]]
    return out
