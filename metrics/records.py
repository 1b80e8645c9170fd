"""The records behind a figure: drill-down rows for a department (or the district).

:func:`application_frame` gives one row per application with the engine's derived values
(processing_wd, limits, overdue flags, open working days, stage hours, population flags).
:func:`records_behind` picks, for any indicator, the applications, items or cases that
drive it: for an ↑ ratio the records that fall short (e.g. overdue completed applications
for on_time_rate, licensing items lacking codes for mapping_rate), for a ↓ ratio or a count
the records counted (e.g. the cases of unreported_count), for a mean or quantile the whole
population sorted worst first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from data.contract import DISCLOSURE_CHANNELS
from metrics import channels, publicity, supervision
from metrics.calendar import cum_index
from metrics.catalog import STAGES
from metrics.populations import Scope
from metrics.prepared import ROUTE, STATUS
from metrics.process import bottleneck
from metrics.results import MetricsRequest, MetricsRequestError

if TYPE_CHECKING:
    from metrics.engine import MetricsEngine

POPULATIONS = ("S", "C", "O")


def _scope(engine: MetricsEngine, request: MetricsRequest) -> Scope:
    from metrics.engine import window_of

    engine.check(request)
    return Scope(engine.data, window_of(request), request.street)


def _app_dept_mask(scope: Scope, dept: str | None) -> np.ndarray:
    a = scope.data.apps
    if dept is None:
        return np.ones(a.n, dtype=bool)
    return (a.dept == dept).fillna(False).to_numpy(dtype=bool)


def _item_dept_mask(scope: Scope, dept: str | None) -> np.ndarray:
    items = scope.data.items.frame
    if dept is None:
        return np.ones(len(items), dtype=bool)
    return (items["dept_code"] == dept).fillna(False).to_numpy(dtype=bool)


def _case_dept_mask(scope: Scope, dept: str | None) -> np.ndarray:
    cases = scope.data.cases.frame
    if dept is None:
        return np.ones(len(cases), dtype=bool)
    return (cases["dept_code"] == dept).fillna(False).to_numpy(dtype=bool)


def _apps(scope: Scope, mask: np.ndarray) -> pd.DataFrame:
    """Application rows for ``mask`` with the derived columns."""
    d = scope.data
    a = d.apps
    idx = np.flatnonzero(mask)
    base = a.frame.iloc[idx]
    items = d.items.frame
    pos = a.item_pos[idx]
    item_name = items["item_name"].to_numpy(dtype=object)[np.where(pos >= 0, pos, 0)] if len(items) else None
    done = a.has_acc[idx] & a.has_comp[idx]
    proc = pd.array(np.where(done, a.processing[idx], 0), dtype="Int64")
    proc[~done] = pd.NA
    open_ = scope.open[idx]
    open_wd = pd.array(scope.open_wd[idx], dtype="Int64")
    open_wd[~open_] = pd.NA
    out = pd.DataFrame({
        "app_id": base["app_id"].to_numpy(),
        "item_code": base["item_code"].to_numpy(),
        "item_name": pd.array(np.where(pos >= 0, item_name, None) if item_name is not None else [None] * len(idx),
                              dtype="string"),
        "dept_code": a.dept.iloc[idx].to_numpy(),
        "street_code": base["street_code"].to_numpy(),
        "channel": base["channel"].to_numpy(),
        "route": base["route"].to_numpy(),
        "status": base["status"].to_numpy(),
        "result": base["result"].to_numpy(),
        "submitted_at": base["submitted_at"].to_numpy(),
        "accepted_at": base["accepted_at"].to_numpy(),
        "reviewed_at": base["reviewed_at"].to_numpy(),
        "decided_at": base["decided_at"].to_numpy(),
        "completed_at": base["completed_at"].to_numpy(),
        "suspended_days": a.suspended[idx],
        "processing_wd": proc,
        "promised_limit_days": a.promised[idx],
        "legal_limit_days": a.legal[idx],
        "overdue": done & (a.processing[idx] > a.promised[idx]),
        "legal_overdue": done & (a.legal[idx] > 0) & (a.processing[idx] > a.legal[idx]),
        "open_wd": open_wd,
        "open_overdue": open_ & (scope.open_wd[idx] > a.promised[idx]),
        "visits": base["visits"].to_numpy(),
        "rating": base["rating"].to_numpy(),
        "entity_id": base["entity_id"].to_numpy(),
        "in_S": scope.submitted[idx],
        "in_C": scope.completed[idx],
        "in_O": open_,
    })
    for stage in STAGES:
        out[f"{stage}_hours"] = a.stage_hours[stage][idx]
    return out


def application_frame(
    engine: MetricsEngine, request: MetricsRequest, dept: str | None = None, population: str | None = None
) -> pd.DataFrame:
    """Applications of the request's period for drill-down lists.

    ``population`` is ``"S"`` (submitted), ``"C"`` (completed) or ``"O"`` (open at as_of);
    None gives every application in any of them.  ``dept`` None means the district.
    """
    scope = _scope(engine, request)
    masks = {"S": scope.submitted, "C": scope.completed, "O": scope.open}
    if population is None:
        pop = masks["S"] | masks["C"] | masks["O"]
    elif population in masks:
        pop = masks[population]
    else:
        raise MetricsRequestError(f"未知的办件范围 {population}（应为 S、C 或 O）。")
    return _apps(scope, pop & _app_dept_mask(scope, dept))


def _items(scope: Scope, mask: np.ndarray) -> pd.DataFrame:
    items = scope.data.items
    out = items.frame[mask].copy()
    out["pub_count"] = items.pub_count[mask]
    return out.reset_index(drop=True)


def _cases(scope: Scope, mask: np.ndarray) -> pd.DataFrame:
    c = scope.data.cases
    out = c.frame[mask].copy()
    out["transfer_wd"] = pd.array(np.where(c.transferred, c.transferred_cum - c.received_cum, 0)[mask], dtype="Int64")
    out.loc[~c.transferred[mask], "transfer_wd"] = pd.NA
    return out.reset_index(drop=True)


def _app_records(scope: Scope, indicator: str, dept_mask: np.ndarray) -> pd.DataFrame:
    a = scope.data.apps
    s, c, o = scope.submitted, scope.completed, scope.open
    proc = a.processing
    has_visits = ~np.isnan(a.visits)
    rated = ~np.isnan(a.rating)
    sort: tuple[str, bool] | None = None
    masks: dict[str, Callable[[], np.ndarray]] = {
        "on_time_rate": lambda: c & (proc > a.promised),
        "overdue_count": lambda: c & (proc > a.promised),
        "legal_overdue_count": lambda: c & (a.legal > 0) & (proc > a.legal),
        "avg_processing_wd": lambda: c,
        "median_processing_wd": lambda: c,
        "p90_processing_wd": lambda: c,
        "speedup_rate": lambda: c & (a.legal > 0),
        "open_overdue_count": lambda: o & (scope.open_wd > a.promised),
        "open_overdue_rate": lambda: o & (scope.open_wd > a.promised),
        "stage_hours": lambda: c,
        "bottleneck_stage": lambda: c,
        "online_rate": lambda: s & ~np.isin(a.channel, channels.ONLINE),
        "mobile_rate": lambda: s & (a.channel == channels.MOBILE),
        "zero_visit_rate": lambda: s & has_visits & (a.visits > 0),
        "one_visit_rate": lambda: s & has_visits & (a.visits > 1),
        "avg_visits": lambda: s & has_visits,
        "good_rating_rate": lambda: c & rated & (a.rating < 4),
        "bad_rating_count": lambda: c & rated & (a.rating <= 2),
        "instant_rate": lambda: s & (a.route != ROUTE["即办件"]),
        "commitment_rate": lambda: s & (a.route == ROUTE["告知承诺"]),
        "tolerance_rate": lambda: s & (a.route == ROUTE["容缺受理"]),
        "parallel_rate": lambda: s & (a.route == ROUTE["并联审批"]),
        "streamlined_rate": lambda: s & (a.route == ROUTE["承诺件"]),
        "rejection_rate": lambda: s & (a.status != STATUS["撤回"])
        & ((a.status == STATUS["不予受理"]) | a.result_refused),
        "data_completeness": lambda: c & ~(a.has_reviewed & a.has_decided & has_visits),
    }
    frame = _apps(scope, masks[indicator]() & dept_mask)
    if indicator in ("avg_processing_wd", "median_processing_wd", "p90_processing_wd", "on_time_rate",
                     "overdue_count") or indicator == "legal_overdue_count":
        sort = ("processing_wd", False)
    elif indicator == "speedup_rate":
        frame["used_share"] = frame["processing_wd"].astype("Float64") / frame["legal_limit_days"]
        sort = ("used_share", False)
    elif indicator in ("open_overdue_count", "open_overdue_rate"):
        sort = ("open_wd", False)
    elif indicator in ("stage_hours", "bottleneck_stage"):
        medians = {st: (float(frame[f"{st}_hours"].median()) if frame[f"{st}_hours"].notna().any() else None)
                   for st in STAGES}
        stage = bottleneck(medians)
        if stage is not None:
            sort = (f"{stage}_hours", False)
    elif indicator in ("avg_visits", "zero_visit_rate", "one_visit_rate"):
        sort = ("visits", False)
    if sort is not None:
        frame = frame.sort_values(sort[0], ascending=sort[1], na_position="last", kind="stable")
    return frame.reset_index(drop=True)


def _item_records(scope: Scope, indicator: str, dept_mask: np.ndarray) -> pd.DataFrame:
    items = scope.data.items
    if indicator == "online_item_rate":
        return _items(scope, dept_mask & items.online)
    if indicator == "full_online_item_rate":
        return _items(scope, dept_mask & ~items.full_online)
    if indicator == "compression_rate":
        frame = _items(scope, dept_mask & (items.legal > 0))
        frame["compression"] = (frame["legal_limit_days"] - frame["promised_limit_days"]) / frame["legal_limit_days"]
        return frame.sort_values("compression", kind="stable").reset_index(drop=True)
    if indicator == "avg_materials":
        frame = _items(scope, dept_mask & ~np.isnan(items.materials))
        return frame.sort_values("materials", ascending=False, kind="stable").reset_index(drop=True)
    if indicator == "disclosure_rate":
        frame = _items(scope, dept_mask & items.licensing & (items.pub_count < publicity.PUB_FLAGS))
        return frame.sort_values("pub_count", kind="stable").reset_index(drop=True)
    if indicator == "mapping_rate":
        return _items(scope, dept_mask & items.licensing & ~items.mapped)
    if indicator == "guide_update_rate":
        version = scope.current_version
        frame = _items(scope, dept_mask & publicity.in_current_version(scope) & ~publicity.guide_updated(scope))
        frame["version"] = version
        frame["effective_date"] = (
            pd.Timestamp("1970-01-01") + pd.Timedelta(days=scope.data.versions.effective[version])
            if version is not None else pd.NaT
        )
        return frame
    raise KeyError(indicator)


def _channel_records(scope: Scope, dept: str | None) -> pd.DataFrame:
    """One row per publication channel: whether and when the current list was published there."""
    pub = publicity.list_disclosures(scope)
    if dept is not None:
        pub = pub[(pub["dept_code"] == dept).fillna(False)]
    rows = []
    for ch in DISCLOSURE_CHANNELS:
        hit = pub[pub["channel"] == ch].sort_values("published_date", kind="stable")
        rows.append({
            "channel": ch,
            "version": scope.current_version,
            "published": bool(len(hit)),
            "published_date": hit["published_date"].iloc[0] if len(hit) else pd.NaT,
            "dept_code": hit["dept_code"].iloc[0] if len(hit) else dept,
            "url": hit["url"].iloc[0] if len(hit) else None,
        })
    return pd.DataFrame(rows)


def _nl_records(scope: Scope) -> pd.DataFrame:
    """The current version's 许可准入类 items that no service item maps to."""
    version = scope.current_version
    nl = scope.data.frames.negative_list
    if version is None:
        return nl.iloc[0:0]
    mapped = {c for c in scope.data.items.nl_code if c is not None}
    keep = (nl["version"] == version) & (nl["category"] == "许可准入类") & ~nl["nl_code"].isin(mapped)
    return nl[keep.fillna(False)].reset_index(drop=True)


def _case_records(scope: Scope, indicator: str, dept_mask: np.ndarray) -> pd.DataFrame:
    c = scope.data.cases
    w = scope.window
    rec = scope.received
    waited = int(cum_index(w.asof)) - c.received_cum
    due = rec & (c.transferred | (waited > supervision.TRANSFER_WD))
    in_time = c.transferred & (c.transferred_cum - c.received_cum <= supervision.TRANSFER_WD)
    last = min(w.end, w.asof)
    deadline_in = c.true & c.has_deadline & (c.deadline_day >= w.start) & (c.deadline_day <= last) & scope.case_scope
    rect_ok = c.has_rectified & (c.rectified_day <= c.deadline_day)
    overdue = supervision.overdue_rectification(scope)
    masks = {
        "case_count": rec,
        "verified_count": rec & c.true,
        "transfer_on_time_rate": due & ~in_time,
        "rectify_on_time_rate": deadline_in & ~rect_ok,
        "overdue_rectification_count": overdue,
        "key_overdue_count": overdue & c.key,
        "unreported_count": supervision.unreported(scope),
        "self_found_rate": rec & c.true & ~(c.self_source | c.dept_reported),
    }
    return _cases(scope, masks[indicator] & dept_mask)


def _rating_records(scope: Scope, indicator: str, dept: str | None) -> pd.DataFrame:
    ratings = scope.data.frames.credit_ratings
    if dept is not None:
        ratings = ratings[(ratings["dept_code"] == dept).fillna(False)]
    latest = supervision.latest_ratings(ratings, pd.Timestamp(scope.window.as_of), by_dept=dept is not None)
    if indicator == "high_risk_share":
        latest = latest[latest["grade"].isin(supervision.HIGH_RISK)]
    return latest.reset_index(drop=True)


APP_INDICATORS = frozenset({
    "on_time_rate", "overdue_count", "legal_overdue_count", "avg_processing_wd", "median_processing_wd",
    "p90_processing_wd", "speedup_rate", "open_overdue_count", "open_overdue_rate", "stage_hours",
    "bottleneck_stage", "online_rate", "mobile_rate", "zero_visit_rate", "one_visit_rate", "avg_visits",
    "good_rating_rate", "bad_rating_count", "instant_rate", "commitment_rate", "tolerance_rate",
    "parallel_rate", "streamlined_rate", "rejection_rate", "data_completeness",
})
ITEM_INDICATORS = frozenset({
    "online_item_rate", "full_online_item_rate", "compression_rate", "avg_materials", "disclosure_rate",
    "mapping_rate", "guide_update_rate",
})
CASE_INDICATORS = frozenset({
    "case_count", "verified_count", "transfer_on_time_rate", "rectify_on_time_rate",
    "overdue_rectification_count", "key_overdue_count", "unreported_count", "self_found_rate",
})
RATING_INDICATORS = frozenset({"credit_entities", "high_risk_share"})


def records_behind(
    engine: MetricsEngine, request: MetricsRequest, dept: str | None, indicator: str
) -> pd.DataFrame:
    """The records that drive ``indicator`` for ``dept`` (None = the district) in the request's period."""
    scope = _scope(engine, request)
    if dept is not None and dept not in engine.data.dept_names:
        raise MetricsRequestError(f"部门编码 {dept} 不存在。")
    if indicator in APP_INDICATORS:
        return _app_records(scope, indicator, _app_dept_mask(scope, dept))
    if indicator in ITEM_INDICATORS:
        return _item_records(scope, indicator, _item_dept_mask(scope, dept))
    if indicator in CASE_INDICATORS:
        return _case_records(scope, indicator, _case_dept_mask(scope, dept))
    if indicator in RATING_INDICATORS:
        return _rating_records(scope, indicator, dept)
    if indicator == "channel_coverage":
        return _channel_records(scope, dept)
    if indicator == "nl_coverage":
        return _nl_records(scope)
    raise MetricsRequestError(f"未知指标 {indicator}。")
