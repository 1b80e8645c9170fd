"""办事流程 (process) indicators: timeliness, processing time and stage hours.

All are computed over applications: C for completed work, O for open work at as_of.
``RULES`` declares each indicator once (see :mod:`metrics.rules`); :func:`compute`, the
records behind a figure and the 办事流程 page's per-item table all use these masks.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from metrics.catalog import PROCESS, STAGES
from metrics.grouping import Grouping, Measure, Reducer
from metrics.ops import present
from metrics.populations import Scope, per_scope
from metrics.rules import Rule, evaluate, rule_map

INDICATORS = PROCESS


def bottleneck(stage_hours: dict[str, float | None]) -> str | None:
    """The stage with the largest median hours (the first such in 受理..送达 order on ties)."""
    best: str | None = None
    for stage in STAGES:
        v = stage_hours.get(stage)
        if v is not None and (best is None or v > (stage_hours[best] or 0.0)):
            best = stage
    return best


# ---------------------------------------------------------------------------- masks and values


def completed(scope: Scope) -> np.ndarray:
    """C: the applications completed in the period."""
    return scope.completed


def open_work(scope: Scope) -> np.ndarray:
    """O: the applications open at as_of."""
    return scope.open


def processing(scope: Scope) -> np.ndarray:
    """processing_wd of every application (meaningful on C)."""
    return scope.data.apps.processing


def processing_order(scope: Scope) -> np.ndarray:
    return scope.data.apps.processing_order


def legal_limits(scope: Scope) -> np.ndarray:
    return scope.data.apps.legal


@per_scope
def on_time(scope: Scope) -> np.ndarray:
    """processing_wd ≤ promised_limit_days."""
    a = scope.data.apps
    return a.processing <= a.promised


@per_scope
def overdue(scope: Scope) -> np.ndarray:
    """C with processing_wd > promised_limit_days (overdue_count)."""
    a = scope.data.apps
    return scope.completed & (a.processing > a.promised)


@per_scope
def with_legal(scope: Scope) -> np.ndarray:
    """C with a legal limit > 0 (the population of speedup_rate)."""
    return scope.completed & (scope.data.apps.legal > 0)


@per_scope
def legal_overdue(scope: Scope) -> np.ndarray:
    """C with a legal limit > 0 and processing_wd > legal_limit_days."""
    a = scope.data.apps
    return with_legal(scope) & (a.processing > a.legal)


@per_scope
def open_overdue(scope: Scope) -> np.ndarray:
    """O with open_wd > promised_limit_days."""
    return scope.open & (scope.open_wd > scope.data.apps.promised)


def stage_population(scope: Scope, stage: str) -> np.ndarray:
    """C with both timestamps of ``stage`` (the rows its median hours are taken over)."""
    return scope.completed & present(scope.data.apps.stage_hours[stage])


def stage_measures(reducer: Reducer, scope: Scope, population: np.ndarray) -> dict[str, Measure]:
    """Median hours per stage over ``population`` rows that have the stage's timestamps."""
    a = scope.data.apps
    out: dict[str, Measure] = {}
    for stage in STAGES:
        hours = a.stage_hours[stage]
        (out[stage],) = reducer.quantiles(hours, population & present(hours), (0.5,), order=a.stage_order[stage])
    return out


def bottleneck_column(rows: pd.DataFrame) -> str | None:
    """The stage-hours column of the rows' bottleneck stage (their largest median)."""
    medians = {st: (float(rows[f"{st}_hours"].median()) if rows[f"{st}_hours"].notna().any() else None)
               for st in STAGES}
    stage = bottleneck(medians)
    return None if stage is None else f"{stage}_hours"


def _used_share(rows: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    rows["used_share"] = rows["processing_wd"].astype("Float64") / rows["legal_limit_days"]
    return rows


RULES: dict[str, Rule] = rule_map([
    Rule("on_time_rate", "apps", "ratio", completed, on_time, behind="short", sort="processing_wd"),
    Rule("overdue_count", "apps", "count", overdue, sort="processing_wd"),
    Rule("legal_overdue_count", "apps", "count", legal_overdue, sort="processing_wd"),
    Rule("avg_processing_wd", "apps", "mean", completed, values=processing, behind="population",
         sort="processing_wd"),
    Rule("median_processing_wd", "apps", "quantile", completed, values=processing, quantile=0.5,
         order=processing_order, behind="population", sort="processing_wd"),
    Rule("p90_processing_wd", "apps", "quantile", completed, values=processing, quantile=0.9,
         order=processing_order, behind="population", sort="processing_wd"),
    Rule("speedup_rate", "apps", "saved_share", with_legal, values=processing, limits=legal_limits,
         behind="population", sort="used_share", annotate=_used_share),
    Rule("open_overdue_count", "apps", "count", open_overdue, sort="open_wd"),
    Rule("open_overdue_rate", "apps", "ratio", open_work, open_overdue, behind="counted", sort="open_wd"),
    Rule("stage_hours", "apps", "stage_medians", completed, behind="population", sort=bottleneck_column),
    Rule("bottleneck_stage", "apps", "bottleneck", completed, behind="population", sort=bottleneck_column),
])


def compute(scope: Scope, grouping: Grouping) -> dict[str, Measure]:
    out = evaluate(RULES, scope, grouping)
    r = scope.reducer(grouping, "apps")
    per_stage = stage_measures(r, scope, RULES["stage_hours"].population(scope))
    district_stages = {s: per_stage[s].district for s in STAGES}
    group_stages: list[dict[str, Any]] | None = None
    if r.grouped:
        group_stages = [{s: per_stage[s].groups[i] for s in STAGES} for i in range(grouping.size)]  # type: ignore[index]
    out["stage_hours"] = Measure(district_stages, group_stages)
    out["bottleneck_stage"] = Measure(
        bottleneck(district_stages),
        None if group_stages is None else [bottleneck(g) for g in group_stages],
    )
    return out
