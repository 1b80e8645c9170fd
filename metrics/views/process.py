"""办事流程 page: processing-time distribution, the stage map, items, applications and
monthly control charts.

Every function takes the engine first and hashable arguments, so the dashboard caches it
with ``context.view``.  Populations and formulas are those of ``indicators.md``: C is the
applications completed in a period, ``processing_wd`` the working days from acceptance to
completion less suspended days, stage hours the calendar hours between two timestamps.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from metrics.catalog import STAGES
from metrics.grouping import Reducer
from metrics.populations import Scope, Window
from metrics.results import MetricsRequest, MetricsRequestError
from metrics.series import months

if TYPE_CHECKING:
    from metrics.engine import MetricsEngine

# ---------------------------------------------------------------------------- helpers


def _scope(engine: MetricsEngine, request: MetricsRequest) -> Scope:
    from metrics.engine import window_of

    engine.check(request)
    return Scope(engine.data, window_of(request), request.street)


def dept_mask(engine: MetricsEngine, dept: str | None) -> np.ndarray | bool:
    """Applications of ``dept`` (its own dept_code, else its item's); True for the district."""
    if dept is None:
        return True
    g = engine.department_grouping
    if dept not in g.keys:
        raise MetricsRequestError(f"部门编码 {dept} 不存在。")
    assert g.apps is not None
    return g.apps == g.keys.index(dept)


def item_mask(engine: MetricsEngine, item: str | None) -> np.ndarray | bool:
    """Applications of service item ``item``; True when no item is given."""
    if item is None:
        return True
    pos = engine.data.items.position.get(item)
    if pos is None:
        raise MetricsRequestError(f"事项编码 {item} 不存在。")
    return engine.data.apps.item_pos == pos


def item_department(engine: MetricsEngine, item: str) -> str | None:
    """The department that implements ``item`` (None if the item is unknown)."""
    pos = engine.data.items.position.get(item)
    if pos is None:
        return None
    code = engine.data.items.dept.iloc[pos]
    return None if pd.isna(code) else str(code)


def _median(values: np.ndarray) -> float | None:
    return float(np.median(values)) if len(values) else None


def _stage_medians(engine: MetricsEngine, mask: np.ndarray) -> dict[str, tuple[float | None, int]]:
    """Median hours and count per stage over the rows in ``mask`` where both ends are present."""
    a = engine.data.apps
    out: dict[str, tuple[float | None, int]] = {}
    for stage in STAGES:
        h = a.stage_hours[stage]
        sel = h[mask & ~np.isnan(h)]
        out[stage] = (_median(sel), len(sel))
    return out


# ---------------------------------------------------------------------------- stage map

SLOW_RATIO = 1.2  # a stage this many times its reference is 偏慢
VERY_SLOW_RATIO = 2.0  # ... and this many times 明显偏慢


def stage_map(
    engine: MetricsEngine, request: MetricsRequest, dept: str | None = None, item: str | None = None,
    reference: tuple[float | None, ...] | None = None,
) -> pd.DataFrame:
    """One row per stage (受理 → 审查 → 决定 → 送达) of the completed applications (C) of the
    district, a department, or one item (of ``dept`` when given).

    ``reference`` holds the median hours of the four stages one level up, in stage order (the
    department's stage_hours for an item, the district's for a department, None for the
    district); the caller passes them so that a department user compares with the published
    district figures.

    Columns: ``stage``, ``median_hours`` (the stage_hours indicator of that scope),
    ``stage_count`` (applications with both timestamps), ``reference_hours``, ``ratio``
    (median / reference; with no reference, the stage's share of the sum of the four
    medians), ``slowness`` (明显偏慢 ≥ 2×, 偏慢 ≥ 1.2×, else 正常; only against a reference)
    and ``bottleneck`` (the stage with the largest median, the first on ties).
    """
    scope = _scope(engine, request)
    if reference is not None and len(reference) != len(STAGES):
        raise MetricsRequestError("参照值应包含四个环节。")
    own = _stage_medians(engine, scope.completed & dept_mask(engine, dept) & item_mask(engine, item))
    medians = {s: own[s][0] for s in STAGES}
    present = [v for v in medians.values() if v is not None]
    neck = max(present) if present else None
    bottleneck = next((s for s in STAGES if neck is not None and medians[s] == neck), None)
    total = sum(present)
    rows = []
    for i, stage in enumerate(STAGES):
        m, n = own[stage]
        r = None if reference is None else reference[i]
        if reference is None:
            ratio = None if m is None or total <= 0 else m / total
            level = None
        else:
            ratio = None if m is None or not r else m / r
            level = None if ratio is None else (
                "明显偏慢" if ratio >= VERY_SLOW_RATIO else "偏慢" if ratio >= SLOW_RATIO else "正常")
        rows.append({"stage": stage, "median_hours": m, "stage_count": n, "reference_hours": r,
                     "ratio": ratio, "slowness": level, "bottleneck": stage == bottleneck})
    return pd.DataFrame(rows, columns=["stage", "median_hours", "stage_count", "reference_hours", "ratio",
                                       "slowness", "bottleneck"])


def stage_reference(values: dict[str, float | None] | None) -> tuple[float | None, ...] | None:
    """A stage_hours value (``{stage: hours}``) as the ``reference`` tuple of :func:`stage_map`."""
    if not isinstance(values, dict):
        return None
    return tuple(values.get(s) for s in STAGES)


# ---------------------------------------------------------------------------- distribution


def processing_distribution(
    engine: MetricsEngine, request: MetricsRequest, dept: str | None = None, item: str | None = None,
    cap: int = 40,
) -> pd.DataFrame:
    """How many completed applications (C) took each number of working days, split into
    on time (processing_wd ≤ promised limit) and overdue.

    Columns: ``processing_wd`` (0 … cap; the last row counts cap and more), ``on_time``,
    ``overdue``, ``total``.  Rows only up to the largest value present.
    """
    scope = _scope(engine, request)
    a = engine.data.apps
    mask = scope.completed & dept_mask(engine, dept) & item_mask(engine, item)
    proc = np.minimum(a.processing[mask], cap)
    late = (a.processing > a.promised)[mask]
    size = int(proc.max()) + 1 if len(proc) else 0
    overdue = np.bincount(proc[late], minlength=size)[:size]
    total = np.bincount(proc, minlength=size)[:size]
    return pd.DataFrame({
        "processing_wd": np.arange(size, dtype=np.int64),
        "on_time": (total - overdue).astype(np.int64),
        "overdue": overdue.astype(np.int64),
        "total": total.astype(np.int64),
    })


# ---------------------------------------------------------------------------- items and applications

ITEM_COLUMNS = (
    "item_code", "item_name", "promised_limit_days", "legal_limit_days", "completed_count", "open_count",
    "on_time_rate", "median_processing_wd", "p90_processing_wd", "overdue_count", "legal_overdue_count",
    "open_overdue_count", "bottleneck_stage", "受理_hours", "审查_hours", "决定_hours", "送达_hours",
)


def item_process(engine: MetricsEngine, request: MetricsRequest, dept: str) -> pd.DataFrame:
    """The process indicators of each item of ``dept`` that has completed or open work in the
    period, worst first (most overdue, then lowest on-time rate)."""
    from metrics.series import item_breakdown

    table = item_breakdown(engine, request, dept)
    items = engine.data.items.frame.set_index("item_code")
    table["promised_limit_days"] = items["promised_limit_days"].reindex(table["item_code"]).to_numpy()
    table["legal_limit_days"] = items["legal_limit_days"].reindex(table["item_code"]).to_numpy()
    table = table[(table["completed_count"] > 0) | (table["open_count"] > 0)]
    table = table.reindex(columns=list(dict.fromkeys([*table.columns, *ITEM_COLUMNS])))  # none at all: empty
    table = table.sort_values(["overdue_count", "on_time_rate", "item_code"], ascending=[False, True, True],
                              na_position="last", kind="stable")
    return table.loc[:, list(ITEM_COLUMNS)].reset_index(drop=True)


APPLICATION_COLUMNS = (
    "app_id", "item_name", "route", "status", "submitted_at", "accepted_at", "reviewed_at", "decided_at",
    "completed_at", "suspended_days", "processing_wd", "open_wd", "promised_limit_days", "legal_limit_days",
    "overdue", "legal_overdue", "open_overdue", "受理_hours", "审查_hours", "决定_hours", "送达_hours",
)


def applications(
    engine: MetricsEngine, request: MetricsRequest, dept: str | None, item: str | None,
    stage: str | None = None, limit: int | None = 1000,
) -> tuple[pd.DataFrame, int]:
    """The applications behind the stage map, slowest first, and how many there are in all.

    Without ``stage``: the applications completed in the period (C) or open at as_of (O) of
    the department and/or item, by working days used (processing_wd when completed, open_wd
    when open; an open one shows no processing_wd, even if it was completed after as_of).  With ``stage``: the completed ones whose stage has both timestamps, by that
    stage's hours.  Ties keep the table order.  At most ``limit`` rows (None: all).
    """
    if stage is not None and stage not in STAGES:
        raise MetricsRequestError(f"未知环节 {stage}。")
    from metrics.records import _apps

    scope = _scope(engine, request)
    a = engine.data.apps
    own = dept_mask(engine, dept) & item_mask(engine, item)
    if stage is not None:
        key = a.stage_hours[stage]
        mask = scope.completed & own & ~np.isnan(key)
    else:
        mask = (scope.completed | scope.open) & own
        key = np.where(scope.completed, a.processing, scope.open_wd).astype(np.float64)
    idx = np.flatnonzero(mask)
    total = len(idx)
    order = idx[np.argsort(-key[idx], kind="stable")]
    if limit is not None:
        order = order[:limit]
    top = np.zeros(a.n, dtype=bool)
    top[order] = True
    frame = _apps(scope, top)
    rank = np.empty(a.n, dtype=np.int64)
    rank[order] = np.arange(len(order))
    frame = frame.iloc[np.argsort(rank[np.flatnonzero(top)], kind="stable")].reset_index(drop=True)
    # work still open at as_of has used open_wd so far; its later completion is not yet known
    still_open = ~frame["in_C"].to_numpy(dtype=bool)
    frame.loc[still_open, "processing_wd"] = pd.NA
    frame.loc[still_open, ["overdue", "legal_overdue"]] = False
    return frame.loc[:, list(APPLICATION_COLUMNS)], total


# ---------------------------------------------------------------------------- monthly control charts

MONTHLY_COLUMNS = ("dept_code", "month", "completed", "on_time", "on_time_rate", "avg_processing_wd",
                   "median_processing_wd", "overdue_count")
DISTRICT = ""  # dept_code of the district rows


def _month_starts(date_from: dt.date, date_to: dt.date) -> list[tuple[dt.date, dt.date]]:
    return months(date_from, date_to)


def monthly_process(
    engine: MetricsEngine, date_from: dt.date, date_to: dt.date, street: str | None = None
) -> pd.DataFrame:
    """Monthly process figures of every department and of the district, in one pass.

    Each month is a period of its own (C = completed in that month, clipped to
    ``[date_from, date_to]``), exactly as ``monthly_series`` computes it month by month.
    One row per (department, month), district rows with ``dept_code`` "": ``completed``,
    ``on_time`` (count on time), ``on_time_rate``, ``avg_processing_wd``,
    ``median_processing_wd``, ``overdue_count``.
    """
    engine.check(MetricsRequest(date_from, date_to, None, None, street))
    spans = _month_starts(date_from, date_to)
    n_m = len(spans)
    scope = Scope(engine.data, Window(date_from, date_to, date_to), street)
    a = engine.data.apps
    c = scope.completed
    starts = np.array([(s - dt.date(1970, 1, 1)).days for s, _ in spans], dtype=np.int64)
    month_idx = np.searchsorted(starts, a.comp_day, side="right") - 1
    month_idx = np.where(c, np.clip(month_idx, 0, max(n_m - 1, 0)), n_m)
    g = engine.department_grouping
    assert g.apps is not None
    n_d = g.size
    combined = np.where((g.apps < n_d) & c, g.apps * n_m + month_idx, n_d * n_m)
    on_time = a.processing <= a.promised
    overdue = a.processing > a.promised
    frames = []
    for codes, n_groups, labels in (
        (month_idx, n_m, [(DISTRICT, m) for m in range(n_m)]),
        (combined, n_d * n_m, [(k, m) for k in g.keys for m in range(n_m)]),
    ):
        r = Reducer(codes, n_groups)
        done = r.count(c).groups or []
        hits = r.count(c & on_time).groups or []
        median = r.quantiles(a.processing, c, (0.5,), order=a.processing_order)[0].groups or []
        frames.append(pd.DataFrame({
            "dept_code": [k for k, _ in labels],
            "month": [spans[m][0].strftime("%Y-%m") for _, m in labels],
            "completed": done,
            "on_time": hits,
            "on_time_rate": r.ratio(on_time, c).groups,
            "avg_processing_wd": r.mean(a.processing, c).groups,
            "median_processing_wd": median,
            "overdue_count": r.count(c & overdue).groups,
        }))
    out = pd.concat(frames, ignore_index=True)
    for col in ("on_time_rate", "avg_processing_wd", "median_processing_wd"):
        out[col] = out[col].astype("float64")
    return out.loc[:, list(MONTHLY_COLUMNS)]


CONTROL_INDICATORS: dict[str, tuple[str, str]] = {
    # indicator: (chart kind, which side is worse)
    "on_time_rate": ("p", "low"),
    "avg_processing_wd": ("x", "high"),
    "median_processing_wd": ("x", "high"),
}
BASELINE_MONTHS = 24  # trailing months a month's limits are drawn from
MIN_BASELINE = 6  # fewer earlier months with data: no limits for that month
SIGMAS = 3.0


def control_limits(values: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Centre line and control limits of each month of one unit from its trailing months.

    p-chart for a rate (``on_time_rate``): p̄ = Σ on time / Σ completed over the baseline
    months, limits p̄ ± 3·√(p̃(1 − p̃)/n) with n the month's completed count, clipped to
    [0, 1]; p̃ = (Σ on time + 1) / (Σ completed + 2) keeps the limits from collapsing onto p̄
    when every baseline application was on time.  Individuals chart otherwise: mean ± 3σ (sample standard deviation) of the
    baseline months' values, the lower limit not below 0.
    """
    kind, _ = CONTROL_INDICATORS[indicator]
    v = values[indicator].to_numpy(dtype=np.float64, na_value=np.nan)
    n = values["completed"].to_numpy(dtype=np.float64)
    x = values["on_time"].to_numpy(dtype=np.float64)
    centre = np.full(len(v), np.nan)
    lcl = np.full(len(v), np.nan)
    ucl = np.full(len(v), np.nan)
    for i in range(len(v)):
        lo = max(0, i - BASELINE_MONTHS)
        base = ~np.isnan(v[lo:i])
        if base.sum() < MIN_BASELINE:
            continue
        if kind == "p":
            hits, done = x[lo:i][base].sum(), n[lo:i][base].sum()
            p = hits / done
            smooth = (hits + 1) / (done + 2)
            centre[i] = p
            if n[i] > 0:
                s = math.sqrt(smooth * (1 - smooth) / n[i])
                lcl[i], ucl[i] = max(0.0, p - SIGMAS * s), min(1.0, p + SIGMAS * s)
        else:
            b = v[lo:i][base]
            m, s = float(b.mean()), float(b.std(ddof=1))
            centre[i], lcl[i], ucl[i] = m, max(0.0, m - SIGMAS * s), m + SIGMAS * s
    out = values.loc[:, ["dept_code", "month", "completed"]].copy()
    out["value"] = v
    out["centre"] = centre
    out["lcl"] = lcl
    out["ucl"] = ucl
    high = ~np.isnan(v) & ~np.isnan(ucl) & (v > ucl)
    low = ~np.isnan(v) & ~np.isnan(lcl) & (v < lcl)
    worse = CONTROL_INDICATORS[indicator][1]
    out["signal"] = np.where(high, "偏高", np.where(low, "偏低", None))
    out["worse"] = (high if worse == "high" else low)
    return out


def _control_span(date_to: dt.date, shown: int) -> tuple[dt.date, dt.date]:
    """From the first day of the month ``shown + BASELINE_MONTHS - 1`` months before the month
    of ``date_to``, to ``date_to``."""
    back = shown + BASELINE_MONTHS - 1
    y, m = divmod(date_to.year * 12 + date_to.month - 1 - back, 12)
    return dt.date(y, m + 1, 1), date_to


def control_table(
    engine: MetricsEngine, indicator: str, date_to: dt.date, street: str | None = None, shown: int = 24
) -> pd.DataFrame:
    """Monthly values with control limits for the district (``dept_code`` "") and every
    department, for the ``shown`` months up to the month of ``date_to``.

    Columns: ``dept_code``, ``month``, ``completed``, ``value``, ``centre``, ``lcl``, ``ucl``,
    ``signal`` (偏高 / 偏低 / None) and ``worse`` (the signal is on the side that is worse).
    Months before the data begins are left out.
    """
    if indicator not in CONTROL_INDICATORS:
        raise MetricsRequestError(f"指标 {indicator} 不支持控制图。")
    first, last = _control_span(date_to, shown)
    monthly = monthly_process(engine, first, last, street)
    parts = [control_limits(grp.reset_index(drop=True), indicator)
             for _, grp in monthly.groupby("dept_code", sort=False)]
    table = pd.concat(parts, ignore_index=True)
    months_shown = sorted(table["month"].unique())[-shown:]
    district = table[table["dept_code"] == DISTRICT]
    with_data = district.loc[district["completed"] > 0, "month"]
    start = max(months_shown[0], with_data.min()) if len(with_data) else months_shown[0]
    table = table[(table["month"] >= start) & table["month"].isin(months_shown)]
    return table.reset_index(drop=True)


def control_chart(
    engine: MetricsEngine, indicator: str, date_to: dt.date, dept: str | None = None,
    street: str | None = None, shown: int = 24,
) -> pd.DataFrame:
    """The control chart rows of one unit (``dept`` None = the district); see :func:`control_table`."""
    table = control_table(engine, indicator, date_to, street, shown)
    return table[table["dept_code"] == (dept or DISTRICT)].reset_index(drop=True)


def control_flags(engine: MetricsEngine, request: MetricsRequest, indicator: str) -> pd.DataFrame:
    """Departments whose value in a month of the request's period lies outside their control
    limits, the worse side first, then by department and month."""
    table = control_table(engine, indicator, request.date_to, request.street)
    first = request.date_from.strftime("%Y-%m")
    hit = table[(table["dept_code"] != DISTRICT) & table["signal"].notna() & (table["month"] >= first)]
    hit = hit.assign(dept_name=hit["dept_code"].map(engine.data.dept_names))
    hit = hit.sort_values(["worse", "dept_code", "month"], ascending=[False, True, True], kind="stable")
    return hit.loc[:, ["dept_code", "dept_name", "month", "completed", "value", "centre", "lcl", "ucl",
                       "signal", "worse"]].reset_index(drop=True)


__all__ = [
    "CONTROL_INDICATORS", "applications", "control_chart", "control_flags", "control_limits", "control_table", "dept_mask",
    "item_department", "item_mask", "item_process", "monthly_process", "processing_distribution",
    "stage_map", "stage_reference",
]
