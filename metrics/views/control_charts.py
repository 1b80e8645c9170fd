"""Monthly process figures and their control charts (办事流程 page): each month a period of
its own, p-charts for on_time_rate and individuals charts for processing times, with limits
drawn from each unit's trailing months.

Engine first, hashable arguments (cached by ``context.view``); the monthly figures use the
process family's masks (:data:`metrics.process.RULES`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from metrics import process
from metrics.grouping import Reducer
from metrics.populations import Window
from metrics.results import MetricsRequest, MetricsRequestError
from metrics.scoping import item_mask, shared_scope
from metrics.series import months_with_data

if TYPE_CHECKING:
    from metrics.engine import MetricsEngine


MONTHLY_COLUMNS = ("dept_code", "month", "completed", "on_time", "on_time_rate", "avg_processing_wd",
                   "median_processing_wd", "overdue_count")
DISTRICT = ""  # dept_code of the district rows


def monthly_process(
    engine: MetricsEngine, date_from: dt.date, date_to: dt.date, street: str | None = None,
    item: str | None = None,
) -> pd.DataFrame:
    """Monthly process figures of every department and of the district, in one pass.

    Each month is a period of its own (C = completed in that month, clipped to
    ``[date_from, date_to]``), exactly as ``monthly_series`` computes it month by month.
    One row per (department, month), district rows with ``dept_code`` "": ``completed``,
    ``on_time`` (count on time), ``on_time_rate``, ``avg_processing_wd``,
    ``median_processing_wd``, ``overdue_count``.  With ``item``, only that service item's
    applications count (the district rows are then the item's over every department).
    """
    engine.check(MetricsRequest(date_from, date_to, None, None, street))
    spans = months_with_data(engine, date_from, date_to)
    n_m = len(spans)
    scope = shared_scope(engine, Window(date_from, date_to, date_to), street)
    a = engine.data.apps
    rule = process.RULES["on_time_rate"]
    own = item_mask(engine, item)
    c = rule.population(scope) & own
    starts = np.array([(s - dt.date(1970, 1, 1)).days for s, _ in spans], dtype=np.int64)
    month_idx = np.searchsorted(starts, a.comp_day, side="right") - 1
    month_idx = np.where(c, np.clip(month_idx, 0, max(n_m - 1, 0)), n_m)
    g = engine.department_grouping
    assert g.apps is not None
    n_d = g.size
    combined = np.where((g.apps < n_d) & c, g.apps * n_m + month_idx, n_d * n_m)
    on_time = rule.qualifying(scope)  # type: ignore[misc]
    overdue = process.RULES["overdue_count"].population(scope) & own
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
            "overdue_count": r.count(overdue).groups,
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
    engine: MetricsEngine, indicator: str, date_to: dt.date, street: str | None = None, shown: int = 24,
    item: str | None = None,
) -> pd.DataFrame:
    """Monthly values with control limits for the district (``dept_code`` "") and every
    department, for the ``shown`` months up to the month of ``date_to``.

    Columns: ``dept_code``, ``month``, ``completed``, ``value``, ``centre``, ``lcl``, ``ucl``,
    ``signal`` (偏高 / 偏低 / None) and ``worse`` (the signal is on the side that is worse).
    Months before the data begins are left out.  It depends on the month of ``date_to`` only,
    so a page computes it once for every department (see :func:`chart_rows`, :func:`flags_in`).
    With ``item``, the months of that service item's applications only (an item drill-down).
    """
    if indicator not in CONTROL_INDICATORS:
        raise MetricsRequestError(f"指标 {indicator} 不支持控制图。")
    first, last = _control_span(date_to, shown)
    monthly = monthly_process(engine, first, last, street, item)
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
    "CONTROL_INDICATORS", "chart_rows", "control_chart", "control_flags", "control_limits", "control_table",
    "flags_in", "limits_arrays", "monthly_process",
]
