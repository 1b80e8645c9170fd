"""审批途径 page: route mix by department, how each route changes processing time, and the
promised-limit compression and materials of each item.

Engine first, hashable arguments (cached by ``context.view``).  S is the applications
submitted in the period, C those completed in it (``indicators.md``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from data.contract import ROUTES
from metrics import process, routes
from metrics.grouping import Grouping
from metrics.results import MetricsRequest
from metrics.rows import slowest
from metrics.rules import evaluate
from metrics.scoping import dept_mask, request_scope
from metrics.views.mix import long_mix, mix

if TYPE_CHECKING:
    from metrics.engine import MetricsEngine


def route_mix(engine: MetricsEngine, request: MetricsRequest) -> pd.DataFrame:
    """Applications submitted in the period (S) by route (审批方式), per department.

    Columns: ``dept_code``, ``dept_name``, ``route``, ``count``, ``share`` (of the
    department's S); departments in descending order of their streamlined share (routes
    other than 承诺件), those without applications left out.
    """
    scope = request_scope(engine, request)
    g = engine.department_grouping
    assert g.apps is not None
    counts, totals = mix(g.apps, g.size, engine.data.apps.route, ROUTES, scope.submitted)
    names = [engine.data.dept_names.get(k, k) for k in g.keys]
    streamlined = totals - counts[:, ROUTES.index("承诺件")]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(totals > 0, streamlined / totals, 0.0)
    order = np.argsort(-share, kind="stable")
    return long_mix([g.keys[i] for i in order], [names[i] for i in order], ROUTES, counts[order], totals[order],
                    "dept_code", "dept_name", "route")


ROUTE_TIMING_COLUMNS = (
    "route", "submitted", "completed", "on_time_rate", "avg_processing_wd", "median_processing_wd",
    "p90_processing_wd", "limit_use", "rejection_rate",
)


def route_timing(engine: MetricsEngine, request: MetricsRequest, dept: str | None = None) -> pd.DataFrame:
    """How each route performs, for the district or one department.

    One row per route: ``submitted`` (S), ``completed`` (C), over C ``on_time_rate``,
    ``avg_processing_wd``, ``median_processing_wd``, ``p90_processing_wd`` and ``limit_use``
    (Σ processing_wd / Σ promised_limit_days over C with a promised limit > 0: the share of
    the promised time actually used), and over S ``rejection_rate`` (as the indicator:
    不予受理 or result 不予, of S not 撤回).  Values are None where a route has no such
    applications.
    """
    scope = request_scope(engine, request)
    a = engine.data.apps
    k = len(ROUTES)
    codes = np.where((a.route >= 0) & dept_mask(engine, dept), a.route, k).astype(np.int64)
    grouping = Grouping("route", ROUTES, apps=codes)
    wanted = ("on_time_rate", "avg_processing_wd", "median_processing_wd", "p90_processing_wd")
    m = evaluate({i: process.RULES[i] for i in wanted}, scope, grouping)
    m.update(evaluate({"rejection_rate": routes.RULES["rejection_rate"]}, scope, grouping))
    r = scope.reducer(grouping, "apps")
    c = scope.completed
    table = pd.DataFrame({
        "route": list(ROUTES),
        "submitted": r.count(scope.submitted).groups,
        "completed": r.count(c).groups,
        **{i: m[i].groups for i in wanted},
        "limit_use": r.sum_ratio(a.processing, a.promised, c & (a.promised > 0)).groups,
        "rejection_rate": m["rejection_rate"].groups,
    })
    for col in ROUTE_TIMING_COLUMNS[3:]:
        table[col] = table[col].astype("float64")
    return table.loc[:, list(ROUTE_TIMING_COLUMNS)]


ITEM_LIMIT_COLUMNS = (
    "item_code", "item_name", "dept_code", "item_type", "legal_limit_days", "promised_limit_days",
    "compression", "materials", "submitted",
)


def item_limits(engine: MetricsEngine, request: MetricsRequest, dept: str | None = None) -> pd.DataFrame:
    """Service items (of ``dept``, or all) with their time limits and materials.

    ``compression`` = (legal − promised) / legal for items with a legal limit > 0 (None
    otherwise): the per-item terms whose mean is compression_rate.  ``submitted`` counts the
    item's applications in the period (S).  Least compressed first.
    """
    scope = request_scope(engine, request)
    d = engine.data
    items = d.items.frame
    n = len(items)
    a = d.apps
    s = scope.submitted & (a.item_pos >= 0)
    submitted = np.bincount(a.item_pos[s], minlength=n)[:n]
    rule = routes.RULES["compression_rate"]
    assert rule.values is not None
    compression = np.where(rule.population(scope), rule.values(scope), np.nan)
    out = pd.DataFrame({
        "item_code": items["item_code"].to_numpy(),
        "item_name": items["item_name"].to_numpy(),
        "dept_code": items["dept_code"].to_numpy(),
        "item_type": items["item_type"].to_numpy(),
        "legal_limit_days": d.items.legal,
        "promised_limit_days": d.items.promised,
        "compression": compression,
        "materials": items["materials"].to_numpy(),
        "submitted": submitted.astype(np.int64),
    })
    if dept is not None:
        out = out[(out["dept_code"] == dept).fillna(False).to_numpy(dtype=bool)]
    out = out.sort_values(["compression", "item_code"], na_position="last", kind="stable")
    return out.loc[:, list(ITEM_LIMIT_COLUMNS)].reset_index(drop=True)


REJECTED_COLUMNS = ("app_id", "item_name", "dept_code", "route", "channel", "status", "result", "submitted_at",
                    "accepted_at", "completed_at")


def rejected(
    engine: MetricsEngine, request: MetricsRequest, dept: str | None = None, limit: int | None = 300
) -> tuple[pd.DataFrame, int]:
    """The applications in rejection_rate's numerator (S not 撤回, with status 不予受理 or result
    不予), the most recently submitted first; at most ``limit`` rows, and how many in all."""
    scope = request_scope(engine, request)
    a = engine.data.apps
    mask = routes.RULES["rejection_rate"].numerator(scope) & dept_mask(engine, dept)
    frame, total = slowest(scope, mask, a.sub_day.astype(np.float64), limit)
    return frame.loc[:, list(REJECTED_COLUMNS)], total


__all__ = ["item_limits", "rejected", "route_mix", "route_timing"]
