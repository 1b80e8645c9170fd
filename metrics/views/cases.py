"""案例线索: the cases received in a period, broken down; their flow 接收 → 转办 → 核查 → 整改 →
办结 with working-day timeliness at each step; the cases overdue at a step; one case whole.

Everything is judged at the request's as_of: a date after it has not happened yet.  Working
days are those of :mod:`metrics.calendar` (``wd(a, b)`` counts the days ``a < d ≤ b``).

Step times, per case that reached the step by as_of:
- 转办: wd(received_date, transferred_date);
- 核查: wd(transferred_date, verified_date);
- 整改 (cases verified 属实): wd(verified_date, rectified_date);
- 办结: wd(rectified_date, or verified_date when there is none, closed_date).

Overdue, where the dictionary sets a limit:
- 转办: as transfer_on_time_rate counts it — transferred more than 5 working days after
  receipt, or not transferred and more than 5 working days waited by as_of;
- 整改: verified 属实 with rectify_deadline < as_of and no rectified_date ≤ as_of (as
  overdue_rectification_count), and, apart, rectified after the deadline (整改超期完成).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from data.contract import CASE_CATEGORIES, CASE_SOURCES
from metrics import supervision
from metrics.calendar import MISSING_DAY, cum_index, day_numbers
from metrics.populations import Scope
from metrics.results import MetricsRequest, MetricsRequestError
from metrics.scoping import request_scope

if TYPE_CHECKING:
    from metrics.engine import MetricsEngine

STEPS: tuple[str, ...] = ("接收", "转办", "核查", "整改", "办结")
BREAKDOWNS: tuple[str, ...] = ("month", "source", "category", "dept", "street")
STEP_KINDS: tuple[str, ...] = ("reached", "pending", "overdue")

CASE_COLUMNS = [
    "case_id", "received_date", "source", "category", "dept_code", "dept_name", "street_code", "street_name",
    "summary", "status", "case_progress", "transferred_date", "verified_date", "verified", "dept_reported", "key_case",
    "rectify_deadline", "rectified_date", "closed_date", "responsible_person", "rectify_tasks",
    "transfer_wd", "verify_wd", "rectify_wd", "close_wd", "waiting_wd",
    "transfer_overdue", "rectify_overdue", "rectify_late", "days_overdue",
]
DATE_COLUMNS = ("received_date", "transferred_date", "verified_date", "rectify_deadline", "rectified_date",
                "closed_date")


def _wd(a: np.ndarray, b: np.ndarray, ok: np.ndarray) -> pd.arrays.IntegerArray:
    out = pd.array(np.where(ok, cum_index(b) - cum_index(a), 0), dtype="Int64")
    out[~ok] = pd.NA
    return out


def _dates(series: pd.Series, keep: np.ndarray) -> list[dt.date | None]:
    """Dates as ``datetime.date`` (None where missing or not yet happened at as_of)."""
    return [d.date() if k and not pd.isna(d) else None for d, k in zip(series, keep, strict=True)]


def case_table(engine: MetricsEngine, scope: Scope, mask: np.ndarray) -> pd.DataFrame:
    """The cases of ``mask`` with the step flags and times judged at the scope's as_of."""
    c = engine.data.cases
    asof = scope.window.asof
    f = c.frame[mask].reset_index(drop=True)
    names = engine.data.dept_names
    rec = c.received_day[mask]
    tra = day_numbers(f["transferred_date"])
    ver = day_numbers(f["verified_date"])
    rect = day_numbers(f["rectified_date"])
    clo = day_numbers(f["closed_date"])
    dead = day_numbers(f["rectify_deadline"])
    has_t = (tra != MISSING_DAY) & (tra <= asof)
    has_v = (ver != MISSING_DAY) & (ver <= asof) & f["verified"].notna().to_numpy(dtype=bool)
    true = has_v & (f["verified"] == "属实").fillna(False).to_numpy(dtype=bool)
    has_r = (rect != MISSING_DAY) & (rect <= asof)
    has_c = (clo != MISSING_DAY) & (clo <= asof)
    has_d = dead != MISSING_DAY
    close_from = np.where(rect != MISSING_DAY, rect, ver)

    # transfer overdue as transfer_on_time_rate counts it (its rule's masks: due at as_of and
    # not transferred in time), rectification overdue as overdue_rectification_count
    transfer = supervision.RULES["transfer_on_time_rate"]
    assert transfer.qualifying is not None
    transfer_overdue = (supervision.transfer_due(scope) & ~transfer.qualifying(scope))[mask]
    rectify_overdue = supervision.RULES["overdue_rectification_count"].population(scope)[mask]
    rectify_late = has_r & has_d & (rect > dead)

    progress = np.select(
        [has_c & ~(true & ~has_r), true & has_r, true, has_v, has_t],
        ["已办结", "已整改", "整改中", "不属实", "核查中"],
        default="待转办",
    )
    last_step = np.select([has_r, has_v, has_t], [rect, ver, tra], default=rec)
    open_ = ~has_c | (true & ~has_r)
    waiting = _wd(last_step, np.full(len(f), asof), open_)

    out = pd.DataFrame({
        "case_id": f["case_id"].to_numpy(),
        "received_date": _dates(f["received_date"], np.ones(len(f), dtype=bool)),
        "source": f["source"].to_numpy(),
        "category": f["category"].to_numpy(),
        "dept_code": f["dept_code"].to_numpy(),
        "dept_name": [names.get(str(x), str(x)) if not pd.isna(x) else None for x in f["dept_code"]],
        "street_code": f["street_code"].to_numpy(),
        "street_name": [names.get(str(x), str(x)) if not pd.isna(x) else None for x in f["street_code"]],
        "summary": f["summary"].to_numpy(),
        "status": f["status"].to_numpy(),
        "case_progress": progress,
        "transferred_date": _dates(f["transferred_date"], has_t),
        "verified_date": _dates(f["verified_date"], has_v),
        "verified": [v if k else None for v, k in zip(f["verified"], has_v, strict=True)],
        "dept_reported": f["dept_reported"].to_numpy(dtype=bool),
        "key_case": f["key_case"].to_numpy(dtype=bool),
        "rectify_deadline": _dates(f["rectify_deadline"], has_d),
        "rectified_date": _dates(f["rectified_date"], has_r),
        "closed_date": _dates(f["closed_date"], has_c),
        "responsible_person": f["responsible_person"].to_numpy(),
        "rectify_tasks": f["rectify_tasks"].to_numpy(),
        "transfer_wd": _wd(rec, tra, has_t),
        "verify_wd": _wd(tra, ver, has_t & has_v),
        "rectify_wd": _wd(ver, rect, true & has_r),
        "close_wd": _wd(close_from, clo, has_c & (has_v | has_r)),
        "waiting_wd": waiting,
        "transfer_overdue": transfer_overdue,
        "rectify_overdue": rectify_overdue,
        "rectify_late": rectify_late,
        "days_overdue": pd.array(np.where(rectify_overdue, asof - dead, 0), dtype="Int64"),
    })
    out.loc[~rectify_overdue, "days_overdue"] = pd.NA
    for col in ("summary", "responsible_person", "rectify_tasks", "verified", "street_code", "street_name"):
        out[col] = out[col].astype("string")
    for col in DATE_COLUMNS:
        out[col] = out[col].astype(object)
    return out[CASE_COLUMNS]


def _dept_mask(engine: MetricsEngine, dept: str | None) -> np.ndarray | bool:
    if dept is None:
        return True
    return (engine.data.cases.frame["dept_code"] == dept).fillna(False).to_numpy(dtype=bool)


def received_cases(engine: MetricsEngine, request: MetricsRequest) -> pd.DataFrame:
    """The cases received in the period (R; of ``request.dept`` and ``request.street`` when
    given), newest first, with their progress at as_of, step times and overdue flags."""
    scope = request_scope(engine, request)
    table = case_table(engine, scope, scope.received & _dept_mask(engine, request.dept))
    return table.sort_values(["received_date", "case_id"], ascending=False, kind="stable").reset_index(drop=True)


def received_breakdown(engine: MetricsEngine, request: MetricsRequest, by: str) -> pd.DataFrame:
    """Cases received in the period per ``by`` (month, source, category, dept, street):
    columns ``key`` (month "2026-07", the value, or the department / street code), ``label``,
    ``received``, ``verified_true`` (verified 属实 by as_of) and ``true_share`` (of those
    verified by as_of).  Months of the period without cases appear with 0; a case without a
    street counts under key "" (未标注街道)."""
    if by not in BREAKDOWNS:
        raise MetricsRequestError(f"未知的分组方式 {by}。")
    cases = received_cases(engine, request)
    names = engine.data.dept_names
    if by == "month":
        keys = pd.Series([d.strftime("%Y-%m") for d in cases["received_date"]], dtype="string")
    elif by == "dept":
        keys = cases["dept_code"].astype("string")
    elif by == "street":
        keys = cases["street_code"].astype("string").fillna("")
    else:
        keys = cases[by].astype("string")
    verified = cases["verified"].notna()
    frame = pd.DataFrame({"key": keys, "true": (cases["verified"] == "属实").fillna(False), "verified": verified})
    grouped = frame.groupby("key", sort=True).agg(
        received=("key", "size"), verified_true=("true", "sum"), verified_any=("verified", "sum"))
    if by == "month":
        months = pd.period_range(request.date_from, request.date_to, freq="M").strftime("%Y-%m")
        grouped = grouped.reindex(list(months), fill_value=0)
    elif by in ("source", "category"):
        order = list(CASE_SOURCES if by == "source" else CASE_CATEGORIES)
        grouped = grouped.reindex([k for k in order if k in grouped.index])
    grouped = grouped.reset_index().rename(columns={"index": "key"})
    if by in ("dept", "street"):
        grouped["label"] = [names.get(k, "未标注街道" if k == "" else k) for k in grouped["key"]]
        grouped = grouped.sort_values(["received", "key"], ascending=[False, True], kind="stable")
    else:
        grouped["label"] = grouped["key"]
    grouped["true_share"] = [t / v if v else None for t, v in zip(grouped["verified_true"], grouped["verified_any"],
                                                                  strict=True)]
    out = grouped[["key", "label", "received", "verified_true", "true_share"]].reset_index(drop=True)
    out["key"] = out["key"].astype("string")
    out["received"] = out["received"].astype("int64")
    out["verified_true"] = out["verified_true"].astype("int64")
    out["true_share"] = pd.array(out["true_share"], dtype="Float64")
    return out


def group_cases(engine: MetricsEngine, request: MetricsRequest, by: str, key: str) -> pd.DataFrame:
    """The cases received in the period in one group of :func:`received_breakdown` (``key`` as
    it gives it: a month "2026-07", a source or category, a department or street code, ""
    for cases without a street)."""
    if by not in BREAKDOWNS:
        raise MetricsRequestError(f"未知的分组方式 {by}。")
    cases = received_cases(engine, request)
    if by == "month":
        keep = pd.Series([d.strftime("%Y-%m") == key for d in cases["received_date"]], index=cases.index, dtype=bool)
    elif by == "dept":
        keep = (cases["dept_code"] == key).fillna(False)
    elif by == "street":
        keep = cases["street_code"].isna() if key == "" else (cases["street_code"] == key).fillna(False)
    else:
        keep = (cases[by] == key).fillna(False)
    return cases[keep.astype(bool)].reset_index(drop=True)


def _step_masks(cases: pd.DataFrame) -> dict[str, dict[str, pd.Series]]:
    """Per step: which cases reached it by as_of, are waiting at it, are overdue at it."""
    transferred = cases["transferred_date"].notna()
    verified = cases["verified_date"].notna()
    true = (cases["verified"] == "属实").fillna(False)
    rectified = cases["rectified_date"].notna()
    closed = cases["closed_date"].notna()
    none = pd.Series(False, index=cases.index)
    return {
        "接收": {"reached": pd.Series(True, index=cases.index), "pending": none, "overdue": none},
        "转办": {"reached": transferred, "pending": ~transferred, "overdue": cases["transfer_overdue"]},
        "核查": {"reached": verified, "pending": transferred & ~verified, "overdue": none},
        "整改": {"reached": true & rectified, "pending": true & ~rectified,
                 "overdue": cases["rectify_overdue"] | cases["rectify_late"]},
        "办结": {"reached": closed, "pending": verified & ~closed & ~(true & ~rectified), "overdue": none},
    }


STEP_TIME = {"转办": "transfer_wd", "核查": "verify_wd", "整改": "rectify_wd", "办结": "close_wd"}


def case_flow(engine: MetricsEngine, request: MetricsRequest) -> pd.DataFrame:
    """One row per step of 接收 → 转办 → 核查 → 整改 → 办结 for the cases received in the period:
    ``reached`` (by as_of), ``median_wd`` and ``mean_wd`` (working days the step took, over
    those that reached it), ``max_wd``, ``pending`` (waiting at the step at as_of),
    ``overdue`` (转办: as transfer_on_time_rate; 整改: past the deadline unrectified at as_of,
    or rectified after it; elsewhere no limit, None) and ``overdue_open`` (of those still
    waiting at as_of)."""
    cases = received_cases(engine, request)
    masks = _step_masks(cases)
    rows = []
    for step in STEPS:
        m = masks[step]
        col = STEP_TIME.get(step)
        times = cases.loc[m["reached"], col].dropna().astype(float) if col else pd.Series(dtype=float)
        limited = step in ("转办", "整改")
        open_over = None
        if step == "转办":
            open_over = int((m["overdue"] & m["pending"]).sum())
        elif step == "整改":
            open_over = int(cases["rectify_overdue"].sum())
        rows.append({
            "step": step,
            "reached": int(m["reached"].sum()),
            "median_wd": float(times.median()) if len(times) else None,
            "mean_wd": float(times.mean()) if len(times) else None,
            "max_wd": float(times.max()) if len(times) else None,
            "pending": None if step == "接收" else int(m["pending"].sum()),
            "overdue": int(m["overdue"].sum()) if limited else None,
            "overdue_open": open_over,
        })
    out = pd.DataFrame(rows)
    for col in ("median_wd", "mean_wd", "max_wd"):
        out[col] = pd.array(out[col], dtype="Float64")
    for col in ("pending", "overdue", "overdue_open"):
        out[col] = pd.array(out[col], dtype="Int64")
    return out


def step_cases(engine: MetricsEngine, request: MetricsRequest, step: str, kind: str) -> pd.DataFrame:
    """The cases received in the period that ``kind`` (reached, pending, overdue) at ``step``;
    waiting and overdue cases longest first."""
    if step not in STEPS:
        raise MetricsRequestError(f"未知环节 {step}。")
    if kind not in STEP_KINDS:
        raise MetricsRequestError(f"未知的范围 {kind}。")
    cases = received_cases(engine, request)
    picked = cases[_step_masks(cases)[step][kind]]
    if kind == "pending":
        picked = picked.sort_values(["waiting_wd", "case_id"], ascending=[False, True], na_position="last")
    elif kind == "overdue":
        sort = "transfer_wd" if step == "转办" else "days_overdue"
        picked = picked.sort_values([sort, "waiting_wd"], ascending=False, na_position="last")
    return picked.reset_index(drop=True)


def case_record(engine: MetricsEngine, case_id: str, as_of: dt.date) -> dict[str, Any] | None:
    """One case whatever its period: every field of the contract, its department and street
    names, its progress, step times and overdue flags at ``as_of``; None when there is no such
    case."""
    from metrics.populations import Window

    c = engine.data.cases
    mask = (c.frame["case_id"] == case_id).fillna(False).to_numpy(dtype=bool)
    if not mask.any():
        return None
    scope = Scope(engine.data, Window(as_of, as_of, as_of))
    row = case_table(engine, scope, mask).iloc[0].to_dict()
    return {k: (None if v is pd.NA or v is None or (isinstance(v, float) and np.isnan(v)) else v)
            for k, v in row.items()}
