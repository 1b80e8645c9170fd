"""办事流程 page: processing-time distribution, the stage map, items and applications (and,
re-exported from :mod:`metrics.views.control_charts`, the monthly control charts).

Every function takes the engine first and hashable arguments, so the dashboard caches it
with ``context.view``.  Populations and formulas are the process family's rules
(:data:`metrics.process.RULES`): C is the applications completed in a period,
``processing_wd`` the working days from acceptance to completion less suspended days, stage
hours the calendar hours between two timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from metrics import process
from metrics.catalog import STAGES
from metrics.grouping import Grouping
from metrics.populations import Scope, window_of
from metrics.results import MetricsRequest, MetricsRequestError, Value
from metrics.rows import slowest
from metrics.scoping import dept_mask, item_department, item_mask, request_scope, shared_scope
from metrics.views.control_charts import (
    CONTROL_INDICATORS,
    chart_rows,
    control_chart,
    control_flags,
    control_limits,
    control_table,
    flags_in,
    limits_arrays,
    monthly_process,
)

if TYPE_CHECKING:
    from metrics.engine import MetricsEngine


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
    population = process.RULES["stage_hours"].population(scope)
    own = _stage_medians(engine, population & dept_mask(engine, dept) & item_mask(engine, item))
    medians = {s: own[s][0] for s in STAGES}
    present = [v for v in medians.values() if v is not None]
    bottleneck = process.bottleneck(medians)
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
    rule = process.RULES["on_time_rate"]
    mask = rule.population(scope) & dept_mask(engine, dept) & item_mask(engine, item)
    proc = np.minimum(engine.data.apps.processing[mask], cap)
    late = ~rule.qualifying(scope)[mask]  # type: ignore[misc]
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
    period, worst first (most overdue, then lowest on-time rate).  The process family itself
    (:func:`metrics.process.compute`) with the department's applications grouped by item."""
    scope = request_scope(engine, request)
    d = engine.data
    a = d.apps
    items = d.items.frame
    n = len(items)
    codes = np.where(dept_mask(engine, dept) & (a.item_pos >= 0), a.item_pos, n).astype(np.int64)
    grouping = Grouping("item", tuple(str(k) for k in items["item_code"].tolist()), apps=codes)
    m = process.compute(scope, grouping)
    r = scope.reducer(grouping, "apps")
    rules = process.RULES

    def groups(indicator: str) -> list[object]:
        return m[indicator].groups or [None] * n

    table = pd.DataFrame({
        "item_code": items["item_code"].to_numpy(),
        "item_name": items["item_name"].to_numpy(),
        "promised_limit_days": d.items.promised,
        "legal_limit_days": d.items.legal,
        "completed_count": r.count(rules["on_time_rate"].population(scope)).groups,
        "open_count": r.count(rules["open_overdue_rate"].population(scope)).groups,
        **{ind: groups(ind) for ind in ("on_time_rate", "median_processing_wd", "p90_processing_wd",
                                        "overdue_count", "legal_overdue_count", "open_overdue_count",
                                        "bottleneck_stage")},
    })
    stages = groups("stage_hours")
    for name in STAGES:
        hours = [None if not isinstance(v, dict) else v.get(name) for v in stages]
        table[f"{name}_hours"] = pd.array(hours, dtype="Float64").astype("float64")
    for col in ("on_time_rate", "median_processing_wd", "p90_processing_wd"):
        table[col] = pd.array(table[col], dtype="Float64").astype("float64")
    table = table[(table["completed_count"] > 0) | (table["open_count"] > 0)]
    table = table.sort_values(["overdue_count", "on_time_rate", "item_code"], ascending=[False, True, True],
                              na_position="last", kind="stable")
    return table.loc[:, list(ITEM_COLUMNS)].reset_index(drop=True)


@dataclass(frozen=True)
class ItemFigures:
    """The process indicators of one item (of one department's applications) in the
    request's period and in its 上期, as the headline cards of an item drill-down show them."""

    values: dict[str, Value]
    previous: dict[str, Value]


def item_figures(engine: MetricsEngine, request: MetricsRequest, dept: str | None, item: str) -> ItemFigures:
    """The process family (:func:`metrics.process.compute`) over the applications of
    ``item`` (and of ``dept`` when given, as the department's figures count them), in the
    request's period and in its previous one (上期, judged at its last day); the same values
    as the item's row of :func:`item_process`."""
    scope = request_scope(engine, request)
    own = np.broadcast_to(np.asarray(dept_mask(engine, dept) & item_mask(engine, item), dtype=bool),
                          engine.data.apps.item_pos.shape)
    grouping = Grouping("item", (item,), apps=np.where(own, 0, 1).astype(np.int64))
    previous = shared_scope(engine, window_of(request).previous(), request.street)

    def of(s: Scope) -> dict[str, Value]:
        m = process.compute(s, grouping)
        return {ind: (m[ind].groups or [None])[0] for ind in process.INDICATORS}

    return ItemFigures(of(scope), of(previous))


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
    frame, total = slowest(scope, mask, key, limit)
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
    mask = process.RULES["open_overdue_count"].population(scope) & dept_mask(engine, dept) & item_mask(engine, item)
    frame, total = slowest(scope, mask, scope.open_wd.astype(np.float64), limit)
    return frame.loc[:, list(BACKLOG_COLUMNS)], total


__all__ = [
    "CONTROL_INDICATORS",
    "ItemFigures",
    "applications",
    "chart_rows",
    "control_chart",
    "control_flags",
    "control_limits",
    "control_table",
    "dept_mask",
    "flags_in",
    "item_department",
    "item_figures",
    "item_mask",
    "item_process",
    "limits_arrays",
    "monthly_process",
    "open_overdue",
    "processing_distribution",
    "stage_map",
    "stage_reference",
]
