"""服务渠道 page: channel mix by month and by department or street, visits, 好差评 and the
online capability of items.

Engine first, hashable arguments (cached by ``context.view``).  S is the applications
submitted in the period, C those completed in it (``indicators.md``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from data.contract import CHANNELS
from metrics import channels
from metrics.catalog import APPLICATION_BASED
from metrics.grouping import Grouping
from metrics.populations import Window, window_of
from metrics.results import MetricsRequest, MetricsRequestError
from metrics.rows import slowest
from metrics.rules import evaluate
from metrics.scoping import dept_mask, request_scope, shared_scope
from metrics.series import months_with_data
from metrics.views.mix import long_mix, mix

if TYPE_CHECKING:
    from metrics.engine import MetricsEngine

RATING_LABELS = {1: "非常不满意", 2: "不满意", 3: "基本满意", 4: "满意", 5: "非常满意"}
NO_RATING = "未评价"
NO_VISITS = "未填报"


def channel_mix(engine: MetricsEngine, request: MetricsRequest, by: str = "dept") -> pd.DataFrame:
    """Applications submitted in the period (S) by channel, per department (``by="dept"``,
    the application's department) or per street (``by="street"``, its street_code).

    Columns: ``unit_code``, ``unit_name``, ``channel``, ``count``, ``share`` (of the unit's S);
    units in descending order of their online share (网上办理 + 掌上办理), units without
    applications left out.
    """
    if by not in ("dept", "street"):
        raise MetricsRequestError(f"未知的分组方式 {by}。")
    scope = request_scope(engine, request)
    g = engine.department_grouping if by == "dept" else engine.street_grouping
    assert g.apps is not None
    counts, totals = mix(g.apps, g.size, engine.data.apps.channel, CHANNELS, scope.submitted)
    names = [engine.data.dept_names.get(k, k) for k in g.keys]
    online = counts[:, [CHANNELS.index("网上办理"), CHANNELS.index("掌上办理")]].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(totals > 0, online / totals, 0.0)
    order = np.argsort(-share, kind="stable")
    return long_mix([g.keys[i] for i in order], [names[i] for i in order], CHANNELS, counts[order],
                    totals[order], "unit_code", "unit_name", "channel")


def channel_monthly(
    engine: MetricsEngine, date_from: dt.date, date_to: dt.date, dept: str | None = None,
    street: str | None = None,
) -> pd.DataFrame:
    """Applications submitted in each month by channel (each month its own S).

    Columns: ``month`` ("2025-03"), ``channel``, ``count``, ``share`` (of the month's S);
    months without applications are left out.
    """
    engine.check(MetricsRequest(date_from, date_to, None, dept, street))
    spans = months_with_data(engine, date_from, date_to)
    scope = shared_scope(engine, Window(date_from, date_to, date_to), street)
    a = engine.data.apps
    starts = np.array([(s - dt.date(1970, 1, 1)).days for s, _ in spans], dtype=np.int64)
    mask = scope.submitted & dept_mask(engine, dept)
    month_idx = np.where(mask, np.clip(np.searchsorted(starts, a.sub_day, side="right") - 1, 0, len(spans) - 1),
                         len(spans))
    counts, totals = mix(month_idx, len(spans), a.channel, CHANNELS, mask)
    labels = [s.strftime("%Y-%m") for s, _ in spans]
    out = long_mix(labels, labels, CHANNELS, counts, totals, "month", "_name", "channel")
    return out.drop(columns="_name")


def street_channels(engine: MetricsEngine, request: MetricsRequest) -> pd.DataFrame:
    """The channel indicators of every street (applications by street_code) and, first, of
    the district (``street_code`` ""), with S counts — all streets whatever the request's
    street, so that a chosen street is seen against the others.

    Columns: ``street_code``, ``street_name``, ``submitted``, ``online_rate``,
    ``mobile_rate``, ``zero_visit_rate``, ``one_visit_rate``, ``good_rating_rate``.
    """
    whole = replace(request, street=None)
    values = engine.street_values(whole)
    scope = request_scope(engine, whole)
    g = engine.street_grouping
    assert g.apps is not None
    submitted = np.bincount(g.apps[scope.submitted], minlength=g.size + 1)[: g.size]
    inds = ("online_rate", "mobile_rate", "zero_visit_rate", "one_visit_rate", "good_rating_rate")
    assert all(i in APPLICATION_BASED for i in inds)
    district = engine.measures(window_of(whole), engine.district_grouping, None, inds)
    rows = [{"street_code": "", "street_name": "全区", "submitted": int(np.count_nonzero(scope.submitted)),
             **{ind: district[ind].district for ind in inds}}]
    rows += [{"street_code": k, "street_name": engine.data.dept_names.get(k, k), "submitted": int(submitted[i]),
              **{ind: values.get(k, {}).get(ind) for ind in inds}} for i, k in enumerate(g.keys)]
    return pd.DataFrame(rows, columns=["street_code", "street_name", "submitted", *inds])


def visit_distribution(engine: MetricsEngine, request: MetricsRequest, dept: str | None = None) -> pd.DataFrame:
    """Applications submitted in the period (S) by on-site visits: 0, 1, 2, 3次及以上 and
    未填报 (visits missing).  Columns ``visits``, ``count``, ``share`` (of S with visits
    present; None for 未填报)."""
    scope = request_scope(engine, request)
    v = engine.data.apps.visits[scope.submitted & dept_mask(engine, dept)]
    missing = np.isnan(v)
    known = v[~missing]
    counts = [int((known == 0).sum()), int((known == 1).sum()), int((known == 2).sum()), int((known >= 3).sum())]
    total = len(known)
    rows = [{"visits": label, "count": n, "share": n / total if total else None}
            for label, n in zip(("0次", "1次", "2次", "3次及以上"), counts, strict=True)]
    rows.append({"visits": NO_VISITS, "count": int(missing.sum()), "share": None})
    return pd.DataFrame(rows, columns=["visits", "count", "share"])


def rating_distribution(engine: MetricsEngine, request: MetricsRequest, dept: str | None = None) -> pd.DataFrame:
    """好差评 of the applications completed in the period (C): one row per rating 1–5 with its
    label, then 未评价.  Columns ``rating``, ``rating_label``, ``count``, ``share`` (of C with
    a rating; None for 未评价)."""
    scope = request_scope(engine, request)
    r = engine.data.apps.rating[scope.completed & dept_mask(engine, dept)]
    missing = np.isnan(r)
    known = r[~missing].astype(np.int64)
    counts = np.bincount(np.clip(known, 0, 5), minlength=6)
    total = len(known)
    rows = [{"rating": k, "rating_label": label, "count": int(counts[k]),
             "share": int(counts[k]) / total if total else None} for k, label in RATING_LABELS.items()]
    rows.append({"rating": None, "rating_label": NO_RATING, "count": int(missing.sum()), "share": None})
    out = pd.DataFrame(rows, columns=["rating", "rating_label", "count", "share"])
    out["rating"] = out["rating"].astype("Int64")
    return out


def item_channels(engine: MetricsEngine, request: MetricsRequest, dept: str | None = None) -> pd.DataFrame:
    """Service items (of ``dept``, or all) with their online capability and how their
    applications of the period came in.

    Columns: ``item_code``, ``item_name``, ``dept_code``, ``online_available``,
    ``full_online``, ``max_visits``, ``submitted`` (S), ``online_share`` (share of S via
    网上办理 or 掌上办理; None without applications), ``zero_visit_share`` (of S with visits).
    Items with the most applications first.
    """
    scope = request_scope(engine, request)
    d = engine.data
    items = d.items.frame
    a = d.apps
    n = len(items)
    grouping = Grouping("item", tuple(str(k) for k in items["item_code"].tolist()),
                        apps=np.where(a.item_pos >= 0, a.item_pos, n).astype(np.int64))
    wanted = ("online_rate", "zero_visit_rate")
    m = evaluate({i: channels.RULES[i] for i in wanted}, scope, grouping)
    submitted = np.asarray(scope.reducer(grouping, "apps").count(scope.submitted).groups or [0] * n, dtype=np.int64)
    online_share, zero_share = (pd.array(m[i].groups or [None] * n, dtype="Float64").to_numpy(
        dtype=np.float64, na_value=np.nan) for i in wanted)
    out = pd.DataFrame({
        "item_code": items["item_code"].to_numpy(),
        "item_name": items["item_name"].to_numpy(),
        "dept_code": items["dept_code"].to_numpy(),
        "online_available": d.items.online,
        "full_online": d.items.full_online,
        "max_visits": items["max_visits"].to_numpy(),
        "submitted": submitted.astype(np.int64),
        "online_share": online_share,
        "zero_visit_share": zero_share,
    })
    if dept is not None:
        out = out[(out["dept_code"] == dept).fillna(False).to_numpy(dtype=bool)]
    out = out.sort_values(["submitted", "item_code"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


BAD_RATING_COLUMNS = ("app_id", "item_name", "dept_code", "street_code", "channel", "rating", "visits",
                      "submitted_at", "completed_at", "processing_wd", "promised_limit_days", "overdue")


def bad_ratings(
    engine: MetricsEngine, request: MetricsRequest, dept: str | None = None, limit: int | None = 300
) -> tuple[pd.DataFrame, int]:
    """The applications counted in bad_rating_count (C with rating ≤ 2), the worst rating
    first, then the most recently completed; at most ``limit`` rows, and how many in all."""
    scope = request_scope(engine, request)
    a = engine.data.apps
    mask = channels.RULES["bad_rating_count"].population(scope) & dept_mask(engine, dept)
    key = (3 - np.nan_to_num(a.rating)) * 1e6 + a.comp_day.clip(0, None) / 1e5
    frame, total = slowest(scope, mask, key, limit)
    return frame.loc[:, list(BAD_RATING_COLUMNS)], total


__all__ = [
    "bad_ratings",
    "channel_mix", "channel_monthly", "item_channels", "long_mix", "mix", "rating_distribution",
    "street_channels", "visit_distribution",
]
