"""办事流程 (process) indicators: timeliness, processing time and stage hours.

All are computed over applications: C for completed work, O for open work at as_of.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from metrics.catalog import PROCESS, STAGES
from metrics.grouping import Grouping, Measure
from metrics.populations import Scope

INDICATORS = PROCESS


def bottleneck(stage_hours: dict[str, float | None]) -> str | None:
    """The stage with the largest median hours (the first such in 受理..送达 order on ties)."""
    best: str | None = None
    for stage in STAGES:
        v = stage_hours.get(stage)
        if v is not None and (best is None or v > (stage_hours[best] or 0.0)):
            best = stage
    return best


def compute(scope: Scope, grouping: Grouping) -> dict[str, Measure]:
    a = scope.data.apps
    r = scope.reducer(grouping, "apps")
    c = scope.completed
    proc = a.processing
    out: dict[str, Measure] = {}

    out["on_time_rate"] = r.ratio(proc <= a.promised, c)
    out["overdue_count"] = r.count(c & (proc > a.promised))
    with_legal = c & (a.legal > 0)
    out["legal_overdue_count"] = r.count(with_legal & (proc > a.legal))
    out["avg_processing_wd"] = r.mean(proc, c)
    median, p90 = r.quantiles(proc, c, (0.5, 0.9), order=a.processing_order)
    out["median_processing_wd"] = median
    out["p90_processing_wd"] = p90
    used = r.sum_ratio(proc, a.legal, with_legal)
    out["speedup_rate"] = Measure(
        None if used.district is None else 1.0 - used.district,
        None if used.groups is None else [None if u is None else 1.0 - u for u in used.groups],
    )

    o = scope.open
    late = o & (scope.open_wd > a.promised)
    out["open_overdue_count"] = r.count(late)
    out["open_overdue_rate"] = r.ratio(late, o)

    per_stage: dict[str, Measure] = {}
    for stage in STAGES:
        hours = a.stage_hours[stage]
        (per_stage[stage],) = r.quantiles(hours, c & ~np.isnan(hours), (0.5,), order=a.stage_order[stage])
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
