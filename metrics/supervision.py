"""监管手段 (supervision means): case handling, rectification, reporting, credit ratings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.calendar import cum_index
from metrics.catalog import SUPERVISION
from metrics.grouping import Grouping, Measure
from metrics.populations import Scope

INDICATORS = SUPERVISION
TRANSFER_WD = 5  # a clue must be transferred within 5 working days of receipt
HIGH_RISK = ("C", "D")


def overdue_rectification(scope: Scope) -> np.ndarray:
    """Cases verified 属实 with rectify_deadline < as_of and no rectified_date ≤ as_of."""
    c = scope.data.cases
    asof = scope.window.asof
    done = c.has_rectified & (c.rectified_day <= asof)
    return c.true & c.has_deadline & (c.deadline_day < asof) & ~done & scope.case_scope


def compute(scope: Scope, grouping: Grouping) -> dict[str, Measure]:
    c = scope.data.cases
    w = scope.window
    r = scope.reducer(grouping, "cases")
    rec = scope.received
    out: dict[str, Measure] = {}

    out["case_count"] = r.count(rec)
    out["verified_count"] = r.count(rec & c.true)

    waited = int(cum_index(w.asof)) - c.received_cum
    due = rec & (c.transferred | (waited > TRANSFER_WD))
    in_time = c.transferred & (c.transferred_cum - c.received_cum <= TRANSFER_WD)
    out["transfer_on_time_rate"] = r.ratio(in_time, due)

    last = min(w.end, w.asof)
    deadline_in = c.true & c.has_deadline & (c.deadline_day >= w.start) & (c.deadline_day <= last) & scope.case_scope
    rectified_in_time = c.has_rectified & (c.rectified_day <= c.deadline_day)
    out["rectify_on_time_rate"] = r.ratio(rectified_in_time, deadline_in)

    overdue = overdue_rectification(scope)
    out["overdue_rectification_count"] = r.count(overdue)
    out["key_overdue_count"] = r.count(overdue & c.key)
    out["unreported_count"] = r.count(unreported(scope))
    true_rec = rec & c.true
    out["self_found_rate"] = r.ratio(c.self_source | c.dept_reported, true_rec)

    out.update(credit(scope, grouping))
    return out


def unreported(scope: Scope) -> np.ndarray:
    """Cases in R verified 属实, source other than 部门自查, not reported by the department."""
    c = scope.data.cases
    return scope.received & c.true & ~c.self_source & ~c.dept_reported


def latest_ratings(ratings: pd.DataFrame, as_of: pd.Timestamp, by_dept: bool) -> pd.DataFrame:
    """Each entity's latest rating dated ≤ as_of: per (entity, department) or per entity.

    Two ratings of one entity on the same latest day (by different departments, when not
    by department) resolve to the higher-risk grade, so the result does not depend on row order.
    """
    valid = ratings[ratings["rated_date"] <= as_of]
    keys = ["entity_id", "dept_code"] if by_dept else ["entity_id"]
    ordered = valid.sort_values([*keys, "rated_date", "grade"], kind="stable")
    return ordered.drop_duplicates(keys, keep="last")


def credit(scope: Scope, grouping: Grouping) -> dict[str, Measure]:
    """credit_entities and high_risk_share, at as_of."""
    ratings = scope.data.frames.credit_ratings
    as_of = pd.Timestamp(scope.window.as_of)
    overall = latest_ratings(ratings, as_of, by_dept=False)
    n_all = len(overall)
    district_entities = n_all
    district_share = float(overall["grade"].isin(HIGH_RISK).sum()) / n_all if n_all else None
    if not grouping.departments:
        return {
            "credit_entities": Measure(district_entities, None),
            "high_risk_share": Measure(district_share, None),
        }
    per_dept = latest_ratings(ratings, as_of, by_dept=True)
    counts = per_dept.groupby("dept_code", observed=True).size()
    high = per_dept[per_dept["grade"].isin(HIGH_RISK)].groupby("dept_code", observed=True).size()
    entities: list[int] = []
    shares: list[float | None] = []
    for key in grouping.keys:
        n = int(counts.get(key, 0))
        entities.append(n)
        shares.append(int(high.get(key, 0)) / n if n else None)
    return {
        "credit_entities": Measure(district_entities, entities),
        "high_risk_share": Measure(district_share, shares),
    }
