"""办事流程 page: processing-time distribution, the stage map, items, applications and
monthly control charts.

Every function takes the engine first and hashable arguments, so the dashboard caches it
with ``context.view``.  Populations and formulas are those of ``indicators.md``: C is the
applications completed in a period, ``processing_wd`` the working days from acceptance to
completion less suspended days, stage hours the calendar hours between two timestamps.
"""

from __future__ import annotations

import datetime as dt
import weakref
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


_SCOPES: weakref.WeakKeyDictionary[MetricsEngine, dict[tuple[Window, str | None], Scope]] = (
    weakref.WeakKeyDictionary())
_SCOPES_KEPT = 4


def shared_scope(engine: MetricsEngine, window: Window, street: str | None) -> Scope:
    """The populations of ``window`` (S, C, O masks, open working days, the street mask),
    shared by the views of one page run instead of being derived again by each of them; a
    few per engine, forgotten with it."""
    kept = _SCOPES.setdefault(engine, {})
    key = (window, street)
    scope = kept.pop(key, None) or Scope(engine.data, window, street)
    kept[key] = scope  # most recently used last
    while len(kept) > _SCOPES_KEPT:
        kept.pop(next(iter(kept)))
    return scope


def request_scope(engine: MetricsEngine, request: MetricsRequest) -> Scope:
    """The shared populations of a request (after checking its codes)."""
    from metrics.engine import window_of

    engine.check(request)
    return shared_scope(engine, window_of(request), request.street)


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
    scope = request_scope(engine, request)
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
    scope = request_scope(engine, request)
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
    """The process indicators of each item of ``dept``'s applications (as the department's
    figures, the application's department counts) that has completed or open work in the
    period, worst first (most overdue, then lowest on-time rate).  Formulas as the
    indicators of the same ids over that item's applications; one pass per indicator with
    the items as groups."""
    from metrics.process import bottleneck

    scope = request_scope(engine, request)
    d = engine.data
    a = d.apps
    items = d.items.frame
    n = len(items)
    codes = np.where(dept_mask(engine, dept) & (a.item_pos >= 0), a.item_pos, n).astype(np.int64)
    r = Reducer(codes, n)
    c, o = scope.completed, scope.open
    median, p90 = r.quantiles(a.processing, c, (0.5, 0.9), order=a.processing_order)
    stage = {}
    for name in STAGES:
        h = a.stage_hours[name]
        (stage[name],) = r.quantiles(h, c & ~np.isnan(h), (0.5,), order=a.stage_order[name])
    table = pd.DataFrame({
        "item_code": items["item_code"].to_numpy(),
        "item_name": items["item_name"].to_numpy(),
        "promised_limit_days": d.items.promised,
        "legal_limit_days": d.items.legal,
        "completed_count": r.count(c).groups,
        "open_count": r.count(o).groups,
        "on_time_rate": r.ratio(a.processing <= a.promised, c).groups,
        "median_processing_wd": median.groups,
        "p90_processing_wd": p90.groups,
        "overdue_count": r.count(c & (a.processing > a.promised)).groups,
        "legal_overdue_count": r.count(c & (a.legal > 0) & (a.processing > a.legal)).groups,
        "open_overdue_count": r.count(o & (scope.open_wd > a.promised)).groups,
    })
    hours = {name: stage[name].groups or [None] * n for name in STAGES}
    table["bottleneck_stage"] = [bottleneck({name: hours[name][i] for name in STAGES}) for i in range(n)]
    for name in STAGES:
        table[f"{name}_hours"] = pd.array(hours[name], dtype="Float64").astype("float64")
    for col in ("on_time_rate", "median_processing_wd", "p90_processing_wd"):
        table[col] = pd.array(table[col], dtype="Float64").astype("float64")
    table = table[(table["completed_count"] > 0) | (table["open_count"] > 0)]
    table = table.sort_values(["overdue_count", "on_time_rate", "item_code"], ascending=[False, True, True],
                              na_position="last", kind="stable")
    return table.loc[:, list(ITEM_COLUMNS)].reset_index(drop=True)


APPLICATION_COLUMNS = (
    "app_id", "item_name", "route", "status", "submitted_at", "accepted_at", "reviewed_at", "decided_at",
    "completed_at", "suspended_days", "processing_wd", "open_wd", "promised_limit_days", "legal_limit_days",
    "overdue", "legal_overdue", "open_overdue", "受理_hours", "审查_hours", "决定_hours", "送达_hours",
)


def _slowest(scope: Scope, mask: np.ndarray, key: np.ndarray, limit: int | None) -> tuple[pd.DataFrame, int]:
    """Application rows of ``mask`` in descending order of ``key`` (ties in table order), at
    most ``limit`` of them, built only for the rows shown; and how many there are in all."""
    from metrics.records import _apps

    n = len(mask)
    idx = np.flatnonzero(mask)
    order = idx[np.argsort(-key[idx], kind="stable")]
    if limit is not None:
        order = order[:limit]
    top = np.zeros(n, dtype=bool)
    top[order] = True
    frame = _apps(scope, top)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(len(order))
    frame = frame.iloc[np.argsort(rank[np.flatnonzero(top)], kind="stable")].reset_index(drop=True)
    return frame, len(idx)


def applications(
    engine: MetricsEngine, request: MetricsRequest, dept: str | None, item: str | None,
    stage: str | None = None, limit: int | None = 1000,
) -> tuple[pd.DataFrame, int]:
    """The applications behind the stage map, slowest first, and how many there are in all.

    Without ``stage``: the applications completed in the period (C) or open at as_of (O) of
    the department and/or item, by working days used (processing_wd when completed, open_wd
    when open; an open one shows no processing_wd, even if it was completed after as_of).
    With ``stage``: the completed ones whose stage has both timestamps, by that stage's
    hours.  Ties keep the table order.  At most ``limit`` rows (None: all).
    """
    if stage is not None and stage not in STAGES:
        raise MetricsRequestError(f"未知环节 {stage}。")
    scope = request_scope(engine, request)
    a = engine.data.apps
    own = dept_mask(engine, dept) & item_mask(engine, item)
    if stage is not None:
        key = a.stage_hours[stage]
        mask = scope.completed & own & ~np.isnan(key)
    else:
        mask = (scope.completed | scope.open) & own
        key = np.where(scope.completed, a.processing, scope.open_wd).astype(np.float64)
    frame, total = _slowest(scope, mask, key, limit)
    # work still open at as_of has used open_wd so far; its later completion is not yet known
    still_open = ~frame["in_C"].to_numpy(dtype=bool)
    frame.loc[still_open, "processing_wd"] = pd.NA
    frame.loc[still_open, ["overdue", "legal_overdue"]] = False
    return frame.loc[:, list(APPLICATION_COLUMNS)], total


BACKLOG_COLUMNS = ("app_id", "item_name", "dept_code", "route", "accepted_at", "suspended_days",
                   "open_wd", "promised_limit_days", "legal_limit_days")


def open_overdue(
    engine: MetricsEngine, request: MetricsRequest, dept: str | None, item: str | None = None,
    limit: int | None = 1000,
) -> tuple[pd.DataFrame, int]:
    """The open_overdue_count applications (open at as_of, open_wd over the promised limit) of
    the district, a department and/or item, longest open first; at most ``limit`` rows, and
    how many there are in all."""
    scope = request_scope(engine, request)
    a = engine.data.apps
    mask = scope.open & (scope.open_wd > a.promised) & dept_mask(engine, dept) & item_mask(engine, item)
    frame, total = _slowest(scope, mask, scope.open_wd.astype(np.float64), limit)
    return frame.loc[:, list(BACKLOG_COLUMNS)], total


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
    scope = shared_scope(engine, Window(date_from, date_to, date_to), street)
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


def _trailing(values: np.ndarray) -> np.ndarray:
    """Sum over the trailing window [i − BASELINE_MONTHS, i) of each month i, per row."""
    zero = np.zeros((values.shape[0], 1))
    cum = np.concatenate([zero, np.cumsum(values, axis=1)], axis=1)
    m = values.shape[1]
    hi = np.arange(m)
    lo = np.maximum(0, hi - BASELINE_MONTHS)
    return cum[:, hi] - cum[:, lo]


def limits_arrays(v: np.ndarray, n: np.ndarray, x: np.ndarray, kind: str
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centre, lower and upper limits of units × months arrays (NaN where there are none):
    value ``v`` (NaN = no value), completed ``n`` and on-time count ``x`` of each month."""
    valid = ~np.isnan(v)
    k = _trailing(valid.astype(np.float64))
    enough = k >= MIN_BASELINE
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "p":
            hits = _trailing(np.where(valid, x, 0.0))
            done = _trailing(np.where(valid, n, 0.0))
            centre = hits / done
            smooth = (hits + 1) / (done + 2)
            sigma = np.sqrt(smooth * (1 - smooth) / n)
            ok = enough & (done > 0)
            centre = np.where(ok, centre, np.nan)
            has_n = ok & (n > 0)
            lcl = np.where(has_n, np.maximum(0.0, centre - SIGMAS * sigma), np.nan)
            ucl = np.where(has_n, np.minimum(1.0, centre + SIGMAS * sigma), np.nan)
        else:
            s1 = _trailing(np.where(valid, v, 0.0))
            s2 = _trailing(np.where(valid, v * v, 0.0))
            mean = s1 / k
            sd = np.sqrt(np.maximum(0.0, (s2 - k * mean * mean) / (k - 1)))
            centre = np.where(enough, mean, np.nan)
            lcl = np.where(enough, np.maximum(0.0, mean - SIGMAS * sd), np.nan)
            ucl = np.where(enough, mean + SIGMAS * sd, np.nan)
    return centre, lcl, ucl


def control_limits(values: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Centre line and control limits of each month of one unit from its trailing months.

    p-chart for a rate (``on_time_rate``): p̄ = Σ on time / Σ completed over the baseline
    months, limits p̄ ± 3·√(p̃(1 − p̃)/n) with n the month's completed count, clipped to
    [0, 1]; p̃ = (Σ on time + 1) / (Σ completed + 2) keeps the limits from collapsing onto p̄
    when every baseline application was on time.  Individuals chart otherwise: mean ± 3σ
    (sample standard deviation) of the baseline months' values, the lower limit not below 0.
    The baseline of a month is the up to BASELINE_MONTHS months before it that have a value;
    with fewer than MIN_BASELINE of them the month has no limits.
    """
    return _with_limits(values, indicator, 1)


def _with_limits(values: pd.DataFrame, indicator: str, units: int) -> pd.DataFrame:
    """``values`` (``units`` units of equally many months each, unit by unit in month order)
    with ``value``, ``centre``, ``lcl``, ``ucl``, ``signal`` and ``worse``."""
    kind, worse_side = CONTROL_INDICATORS[indicator]
    shape = (units, len(values) // units)
    v = values[indicator].to_numpy(dtype=np.float64, na_value=np.nan).reshape(shape)
    n = values["completed"].to_numpy(dtype=np.float64).reshape(shape)
    x = values["on_time"].to_numpy(dtype=np.float64).reshape(shape)
    centre, lcl, ucl = limits_arrays(v, n, x, kind)
    out = values.loc[:, ["dept_code", "month", "completed"]].reset_index(drop=True)
    flat = v.ravel()
    out["value"] = flat
    out["centre"] = centre.ravel()
    out["lcl"] = lcl.ravel()
    out["ucl"] = ucl.ravel()
    high = ~np.isnan(flat) & ~np.isnan(out["ucl"].to_numpy()) & (flat > out["ucl"].to_numpy())
    low = ~np.isnan(flat) & ~np.isnan(out["lcl"].to_numpy()) & (flat < out["lcl"].to_numpy())
    out["signal"] = pd.Series(np.select([high, low], ["偏高", "偏低"], ""), index=out.index).replace("", None)
    out["worse"] = high if worse_side == "high" else low
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
    Months before the data begins are left out.  It depends on the month of ``date_to`` only,
    so a page computes it once for every department (see :func:`chart_rows`, :func:`flags_in`).
    """
    if indicator not in CONTROL_INDICATORS:
        raise MetricsRequestError(f"指标 {indicator} 不支持控制图。")
    first, last = _control_span(date_to, shown)
    monthly = monthly_process(engine, first, last, street)
    table = _with_limits(monthly, indicator, monthly["dept_code"].nunique())
    months_shown = sorted(table["month"].unique())[-shown:]
    district = table[table["dept_code"] == DISTRICT]
    with_data = district.loc[district["completed"] > 0, "month"]
    start = max(months_shown[0], with_data.min()) if len(with_data) else months_shown[0]
    table = table[(table["month"] >= start) & table["month"].isin(months_shown)]
    table = table.assign(dept_name=table["dept_code"].map(engine.data.dept_names))
    return table.reset_index(drop=True)


def chart_rows(table: pd.DataFrame, dept: str | None) -> pd.DataFrame:
    """The rows of :func:`control_table` of one unit (None = the district)."""
    return table[table["dept_code"] == (dept or DISTRICT)].reset_index(drop=True)


FLAG_COLUMNS = ("dept_code", "dept_name", "month", "completed", "value", "centre", "lcl", "ucl", "signal", "worse")


def flags_in(table: pd.DataFrame, date_from: dt.date, dept: str | None = None) -> pd.DataFrame:
    """Departments' months from the month of ``date_from`` on (of ``dept`` only when given)
    whose value lies outside their control limits, the worse side first, then by department
    and month."""
    first = date_from.strftime("%Y-%m")
    keep = (table["dept_code"] != DISTRICT) & table["signal"].notna() & (table["month"] >= first)
    if dept is not None:
        keep &= table["dept_code"] == dept
    hit = table[keep].sort_values(["worse", "dept_code", "month"], ascending=[False, True, True], kind="stable")
    return hit.loc[:, list(FLAG_COLUMNS)].reset_index(drop=True)


def control_chart(
    engine: MetricsEngine, indicator: str, date_to: dt.date, dept: str | None = None,
    street: str | None = None, shown: int = 24,
) -> pd.DataFrame:
    """The control chart rows of one unit (``dept`` None = the district); see :func:`control_table`."""
    return chart_rows(control_table(engine, indicator, date_to, street, shown), dept)


def control_flags(engine: MetricsEngine, request: MetricsRequest, indicator: str) -> pd.DataFrame:
    """Departments whose value in a month of the request's period lies outside their control
    limits, the worse side first, then by department and month."""
    return flags_in(control_table(engine, indicator, request.date_to, request.street), request.date_from)


__all__ = [
    "CONTROL_INDICATORS",
    "applications",
    "chart_rows",
    "control_chart",
    "control_flags",
    "control_limits",
    "control_table",
    "dept_mask",
    "flags_in",
    "item_department",
    "item_mask",
    "item_process",
    "limits_arrays",
    "monthly_process",
    "open_overdue",
    "processing_distribution",
    "stage_map",
    "stage_reference",
]
