"""Results as tables: the shapes pages, exports and the deck lay out (no new figures).

These reshape a :class:`~metrics.results.MetricsResult` into DataFrames — one row per
department, per weak link, per dimension — so that every consumer sorts and labels the
same numbers the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from metrics.config import MetricsConfig
from metrics.results import MetricsResult

DEPT_COLUMNS = ("dept_code", "dept_name")


def department_values(result: MetricsResult, indicators: Sequence[str]) -> pd.DataFrame:
    """One row per department: code, name, each indicator's value and its previous value
    (``<id>_prev``)."""
    rows = []
    for code, values in result.departments.items():
        prev = result.previous_departments.get(code, {})
        row: dict[str, object] = {"dept_code": code, "dept_name": result.dept_names.get(code, code)}
        for ind in indicators:
            row[ind] = values.get(ind)
            row[f"{ind}_prev"] = prev.get(ind)
        rows.append(row)
    cols = [*DEPT_COLUMNS, *[c for ind in indicators for c in (ind, f"{ind}_prev")]]
    return pd.DataFrame(rows, columns=cols)


def department_scores(result: MetricsResult, config: MetricsConfig) -> pd.DataFrame:
    """One row per department: each dimension's score, deductions, composite, the previous
    composite and its change (scores unrounded; None = 数据不足)."""
    dims = [d.name for d in config.dimensions]
    rows = []
    for code, sc in result.scores.items():
        prev = result.previous_scores.get(code)
        prev_comp = prev.composite if prev else None
        row: dict[str, object] = {"dept_code": code, "dept_name": result.dept_names.get(code, code)}
        row.update({d: sc.dimensions.get(d) for d in dims})
        row["deductions"] = sc.deductions
        row["composite"] = sc.composite
        row["previous_composite"] = prev_comp
        row["composite_change"] = (
            None if sc.composite is None or prev_comp is None else sc.composite - prev_comp
        )
        rows.append(row)
    return pd.DataFrame(rows, columns=[*DEPT_COLUMNS, *dims, "deductions", "composite",
                                       "previous_composite", "composite_change"])


SEVERITY_ORDER = {"严重": 0, "一般": 1}


def weak_link_table(result: MetricsResult) -> pd.DataFrame:
    """Every weak link, most severe first, then by department and dimension."""
    rows = [
        {
            "dept_code": w.dept_code,
            "dept_name": w.dept_name or result.dept_names.get(w.dept_code, w.dept_code),
            "dimension": w.dimension,
            "indicator": w.indicator,
            "indicator_name": w.indicator_name,
            "value": w.value,
            "score": w.score,
            "district_value": w.district_value,
            "previous_value": w.previous_value,
            "previous_score": w.previous_score,
            "reason": w.reason,
            "severity": w.severity,
        }
        for w in result.weak_links
    ]
    cols = ["dept_code", "dept_name", "dimension", "indicator", "indicator_name", "value", "score",
            "district_value", "previous_value", "previous_score", "reason", "severity"]
    df = pd.DataFrame(rows, columns=cols)
    if df.empty:
        return df
    order = df["severity"].map(SEVERITY_ORDER).fillna(9)
    return df.assign(_o=order).sort_values(["_o", "score", "dept_code"], na_position="first").drop(columns="_o")


HEADLINE_INDICATORS: tuple[str, ...] = (
    "on_time_rate", "avg_processing_wd", "online_rate", "one_visit_rate", "good_rating_rate",
    "open_overdue_count",
)
"""The figures a leader sees first (overview and the meeting deck)."""
