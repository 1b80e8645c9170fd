"""The tables of 效能评估 as people read them: a dimension's indicators, the score matrix
(ranked or in code order) and one unit's dimension scores against the previous period."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard.kit import tables
from dashboard.kit.indicator_text import fmt
from dashboard.labels import t


def direction_label(direction: str) -> str:
    return t(f"scorecard.direction_{direction}")


def indicator_table(df: pd.DataFrame) -> pd.DataFrame:
    """:func:`metrics.views.scorecard.dimension_indicators` as people read it (Chinese headers)."""
    value_columns = [
        (t("scorecard.col_value"), "value"), (t("scorecard.col_district_value"), "district_value"),
        (t("scorecard.col_previous_value"), "previous_value"),
    ]
    out = pd.DataFrame({t("columns.indicator_name"): df["indicator_name"]})
    for label, col in value_columns:
        out[label] = [fmt(i, v) for i, v in zip(df["indicator"], df[col], strict=True)]
    for label, col in ((t("scorecard.col_score"), "score"), (t("scorecard.col_district_score"), "district_score"),
                       (t("scorecard.col_previous_score"), "previous_score")):
        out[label] = [t("scorecard.not_scored") if not s else ("—" if pd.isna(v) else f"{float(v):.1f}")
                      for s, v in zip(df["scored"], df[col], strict=True)]
    out[t("scorecard.col_weight")] = ["—" if pd.isna(w) else f"{float(w):g}" for w in df["weight"]]
    out[t("scorecard.col_direction")] = [direction_label(d) for d in df["direction"]]
    return out


def score_table(matrix: pd.DataFrame, dims: Sequence[str], *, ranked: bool) -> pd.DataFrame:
    """The score matrix as a table: departments (by rank when ranked), then the district."""
    district = matrix[matrix["dept_code"] == ""].assign(dept_name=t("scorecard.district_row"))
    depts = matrix[matrix["dept_code"] != ""]
    if ranked:
        depts = depts.sort_values(["rank", "dept_code"], na_position="last", kind="stable")
    data = pd.concat([depts, district], ignore_index=True)
    cols = ["dept_name", *dims, "deductions", "unreported_count", "key_overdue_count", "composite",
            "previous_composite", "composite_change"]
    out = tables.shown(data, cols)
    out = out.rename(columns={tables.header("unreported_count"): t("scorecard.col_unreported"),
                              tables.header("key_overdue_count"): t("scorecard.col_key_overdue")})
    if ranked:
        out.insert(0, t("scorecard.col_rank"), data["rank"].astype("Int64").to_numpy())
    return out


def dim_change_table(matrix: pd.DataFrame, dept_code: str, dims: Sequence[str]) -> pd.DataFrame:
    """One row per dimension of one department ("" = district): score, previous score, change."""
    row = matrix[matrix["dept_code"] == dept_code].iloc[0]

    def one(v: object) -> str:
        return t("common.data_insufficient") if pd.isna(v) else f"{float(v):.1f}"  # type: ignore[arg-type]

    return pd.DataFrame({
        t("common.dimension"): list(dims),
        t("columns.score"): [one(row[d]) for d in dims],
        t("columns.previous_score"): [one(row[f"{d}_prev"]) for d in dims],
        t("columns.composite_change"): ["—" if pd.isna(row[f"{d}_change"]) else f"{float(row[f'{d}_change']):+.1f}"
                                        for d in dims],
    })
