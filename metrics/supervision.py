"""监管手段 (supervision means): case handling, rectification, reporting, credit ratings.

``RULES`` declares each indicator once (see :mod:`metrics.rules`); the 案例线索 page judges
a case's transfer and rectification overdue with the same masks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.calendar import cum_index
from metrics.catalog import SUPERVISION
from metrics.grouping import Grouping, Measure, codes_for
from metrics.populations import Scope, per_scope
from metrics.rules import Rule, evaluate, rule_map

INDICATORS = SUPERVISION
TRANSFER_WD = 5  # a clue must be transferred within 5 working days of receipt
HIGH_RISK = ("C", "D")


def received(scope: Scope) -> np.ndarray:
    """R: the cases received in the period."""
    return scope.received


@per_scope
def verified_true(scope: Scope) -> np.ndarray:
    """R verified 属实."""
    return scope.received & scope.data.cases.true


@per_scope
def transfer_due(scope: Scope) -> np.ndarray:
    """Cases whose transfer is judged at as_of: transferred, or waited more than 5 working days."""
    c = scope.data.cases
    waited = int(cum_index(scope.window.asof)) - c.received_cum
    return c.transferred | (waited > TRANSFER_WD)


@per_scope
def transferred_in_time(scope: Scope) -> np.ndarray:
    """Transferred within 5 working days of receipt (transferred_date taken as recorded)."""
    c = scope.data.cases
    return c.transferred & (c.transferred_cum - c.received_cum <= TRANSFER_WD)


@per_scope
def transfer_population(scope: Scope) -> np.ndarray:
    """R whose transfer is due at as_of (the denominator of transfer_on_time_rate)."""
    return scope.received & transfer_due(scope)


@per_scope
def deadline_in_period(scope: Scope) -> np.ndarray:
    """Cases verified 属实 whose rectify_deadline falls in [from, min(to, as_of)]."""
    c = scope.data.cases
    w = scope.window
    last = min(w.end, w.asof)
    return c.true & c.has_deadline & (c.deadline_day >= w.start) & (c.deadline_day <= last) & scope.case_scope


@per_scope
def rectified_in_time(scope: Scope) -> np.ndarray:
    c = scope.data.cases
    return c.has_rectified & (c.rectified_day <= c.deadline_day)


@per_scope
def overdue_rectification(scope: Scope) -> np.ndarray:
    """Cases verified 属实 with rectify_deadline < as_of and no rectified_date ≤ as_of."""
    c = scope.data.cases
    asof = scope.window.asof
    done = c.has_rectified & (c.rectified_day <= asof)
    return c.true & c.has_deadline & (c.deadline_day < asof) & ~done & scope.case_scope


@per_scope
def key_overdue(scope: Scope) -> np.ndarray:
    return overdue_rectification(scope) & scope.data.cases.key


@per_scope
def unreported(scope: Scope) -> np.ndarray:
    """Cases in R verified 属实, source other than 部门自查, not reported by the department."""
    c = scope.data.cases
    return scope.received & c.true & ~c.self_source & ~c.dept_reported


@per_scope
def self_found(scope: Scope) -> np.ndarray:
    """Found by the department itself (部门自查) or reported by it."""
    c = scope.data.cases
    return c.self_source | c.dept_reported


def latest_ratings(ratings: pd.DataFrame, as_of: pd.Timestamp, by_dept: bool) -> pd.DataFrame:
    """Each entity's latest rating dated ≤ as_of: per (entity, department) or per entity.

    Two ratings of one entity on the same latest day (by different departments, when not
    by department) resolve to the higher-risk grade, so the result does not depend on row order.
    """
    valid = ratings[ratings["rated_date"] <= as_of]
    keys = ["entity_id", "dept_code"] if by_dept else ["entity_id"]
    ordered = valid.sort_values([*keys, "rated_date", "grade"], kind="stable")
    return ordered.drop_duplicates(keys, keep="last")


def _latest_mask(scope: Scope, by_dept: bool) -> np.ndarray:
    ratings = scope.data.frames.credit_ratings
    positions = ratings.reset_index(drop=True)
    latest = latest_ratings(positions, pd.Timestamp(scope.window.as_of), by_dept)
    mask = np.zeros(len(ratings), dtype=bool)
    mask[latest.index.to_numpy(dtype=np.int64)] = True
    return mask


@per_scope
def latest_rating(scope: Scope) -> np.ndarray:
    """Credit ratings that are their entity's latest ≤ as_of (the district's population)."""
    return _latest_mask(scope, by_dept=False)


@per_scope
def latest_rating_by_dept(scope: Scope) -> np.ndarray:
    """Credit ratings that are their entity's latest ≤ as_of by their department."""
    return _latest_mask(scope, by_dept=True)


@per_scope
def high_risk(scope: Scope) -> np.ndarray:
    """Grade C or D."""
    return scope.data.frames.credit_ratings["grade"].isin(HIGH_RISK).to_numpy(dtype=bool)


RULES: dict[str, Rule] = rule_map([
    Rule("case_count", "cases", "count", received),
    Rule("verified_count", "cases", "count", verified_true),
    Rule("transfer_on_time_rate", "cases", "ratio", transfer_population, transferred_in_time, behind="short"),
    Rule("rectify_on_time_rate", "cases", "ratio", deadline_in_period, rectified_in_time, behind="short"),
    Rule("overdue_rectification_count", "cases", "count", overdue_rectification),
    Rule("key_overdue_count", "cases", "count", key_overdue),
    Rule("unreported_count", "cases", "count", unreported),
    Rule("self_found_rate", "cases", "ratio", verified_true, self_found, behind="short"),
    Rule("credit_entities", "ratings", "count", latest_rating, dept_population=latest_rating_by_dept,
         sort="entity_id", ascending=True),
    Rule("high_risk_share", "ratings", "ratio", latest_rating, high_risk, dept_population=latest_rating_by_dept,
         behind="counted", sort="entity_id", ascending=True),
])
CASE_RULES = {k: rule for k, rule in RULES.items() if rule.table == "cases"}


def compute(scope: Scope, grouping: Grouping) -> dict[str, Measure]:
    out = evaluate(CASE_RULES, scope, grouping)
    out.update(credit(scope, grouping))
    return out


def credit(scope: Scope, grouping: Grouping) -> dict[str, Measure]:
    """credit_entities and high_risk_share, at as_of: the district over each entity's latest
    rating, a department over each entity's latest rating by that department."""
    entities_rule, share_rule = RULES["credit_entities"], RULES["high_risk_share"]
    pop = entities_rule.population(scope)
    n_all = int(np.count_nonzero(pop))
    district_share = int(np.count_nonzero(share_rule.numerator(scope))) / n_all if n_all else None
    if not grouping.departments:
        return {
            "credit_entities": Measure(n_all, None),
            "high_risk_share": Measure(district_share, None),
        }
    assert entities_rule.dept_population is not None and share_rule.qualifying is not None
    per_dept = entities_rule.dept_population(scope)
    codes = codes_for(scope.data.frames.credit_ratings["dept_code"], grouping.keys)
    size = grouping.size
    counts = np.bincount(codes[per_dept], minlength=size + 1)[:size]
    high = np.bincount(codes[per_dept & share_rule.qualifying(scope)], minlength=size + 1)[:size]
    return {
        "credit_entities": Measure(n_all, [int(n) for n in counts]),
        "high_risk_share": Measure(district_share, [int(h) / int(n) if n else None
                                                    for h, n in zip(high, counts, strict=True)]),
    }
