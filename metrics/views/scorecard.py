"""效能评估 and 短板清单: the scorecard matrix, a dimension's indicators, the provincial
platform's scores beside the computed ones, and the weak links as a table.

Two kinds of pure functions, neither computing a new indicator:
- reshapes of a :class:`~metrics.results.MetricsResult` (like :mod:`metrics.tables`), which
  the pages call on the result ``context.compute`` gives them — so a department user's page
  shows the district's published values as its benchmark;
- ``fn(engine, ...)`` functions that read a table the result does not hold (the provincial
  platform's scores), called through ``context.view``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from metrics.config import MetricsConfig
from metrics.periods import KINDS, parse_period_key, period_containing
from metrics.results import MetricsRequest, MetricsRequestError, MetricsResult
from metrics.scores import score_department
from metrics.tables import department_scores, weak_link_table

if TYPE_CHECKING:
    from metrics.engine import MetricsEngine

DISTRICT = ""  # dept_code of the district row


def dimension_ids(config: MetricsConfig) -> dict[str, str]:
    """Dimension id -> Chinese name, in configuration order."""
    return {d.id: d.name for d in config.dimensions}


def score_matrix(result: MetricsResult, config: MetricsConfig) -> pd.DataFrame:
    """One row per department of ``result``, then the district (dept_code ""): each
    dimension's score, its previous score and change (``<dim>_prev``, ``<dim>_change``),
    deductions with their two counts, the composite, the previous composite, its change and
    the rank by composite (1 = best; ties share the better rank; no composite, no rank).

    The district row scores the district's values (all records, not a mean of departments);
    in a period left unscored (数据不完整, ``result.scored`` False) it is unscored too, as
    every department is."""
    dims = [d.name for d in config.dimensions]
    df = department_scores(result, config)
    for dim in dims:
        prev = [
            (result.previous_scores[c].dimensions.get(dim) if c in result.previous_scores else None)
            for c in df["dept_code"]
        ]
        df[f"{dim}_prev"] = pd.array(prev, dtype="Float64")
        df[f"{dim}_change"] = pd.array(df[dim], dtype="Float64") - df[f"{dim}_prev"]
    df["unreported_count"] = [result.scores[c].unreported_count for c in df["dept_code"]]
    df["key_overdue_count"] = [result.scores[c].key_overdue_count for c in df["dept_code"]]
    comp = pd.array(df["composite"], dtype="Float64")
    df["rank"] = pd.Series(comp).rank(method="min", ascending=False).astype("Int64")

    district = score_department(DISTRICT, result.district if result.scored else {}, config)
    previous = score_department(DISTRICT, result.previous_district, config)
    row: dict[str, Any] = {"dept_code": DISTRICT, "dept_name": "全区"}
    for dim in dims:
        now, before = district.dimensions.get(dim), previous.dimensions.get(dim)
        row[dim], row[f"{dim}_prev"] = now, before
        row[f"{dim}_change"] = None if now is None or before is None else now - before
    row.update(
        deductions=district.deductions, composite=district.composite, previous_composite=previous.composite,
        composite_change=(None if district.composite is None or previous.composite is None
                          else district.composite - previous.composite),
        unreported_count=district.unreported_count, key_overdue_count=district.key_overdue_count, rank=pd.NA,
    )
    district_df = pd.DataFrame([row])
    out = pd.concat([df, district_df], ignore_index=True) if len(df) else district_df.reindex(columns=df.columns)
    for col in [*dims, *[f"{d}_{k}" for d in dims for k in ("prev", "change")],
                "composite", "previous_composite", "composite_change", "deductions"]:
        out[col] = pd.array(out[col], dtype="Float64")
    out["rank"] = out["rank"].astype("Int64")
    return out


def dimension_indicators(
    result: MetricsResult, config: MetricsConfig, dept: str | None, dimension_id: str
) -> pd.DataFrame:
    """The indicators of one dimension for ``dept`` (None = the district), in dictionary order:
    value, score, weight, floor and target, the district's value and score, the previous
    value and score.  ``value`` columns hold the engine's plain values (ratios, counts, the
    stage_hours dict); unscored indicators have no score."""
    try:
        dim = config.dimension(dimension_id)
    except KeyError:
        raise MetricsRequestError(f"未知评估维度 {dimension_id}。") from None
    if dept is not None and dept not in result.departments:
        raise MetricsRequestError(f"部门编码 {dept} 不存在。")
    values = result.district if dept is None else result.departments[dept]
    previous = result.previous_district if dept is None else result.previous_departments.get(dept, {})
    rows = []
    for ind_id in dim.indicators:
        ind = config.indicator(ind_id)
        if dept is not None and ind.district_only:
            continue
        rows.append({
            "indicator": ind_id,
            "indicator_name": ind.name,
            "unit": ind.unit,
            "direction": ind.direction,
            "scored": ind.scored,
            "weight": ind.weight,
            "floor": ind.floor,
            "target": ind.target,
            "value": values.get(ind_id),
            "score": ind.score(_number(values.get(ind_id))),
            "district_value": result.district.get(ind_id),
            "district_score": ind.score(_number(result.district.get(ind_id))),
            "previous_value": previous.get(ind_id),
            "previous_score": ind.score(_number(previous.get(ind_id))),
        })
    out = pd.DataFrame(rows)
    for col in ("score", "district_score", "previous_score", "weight", "floor", "target"):
        out[col] = pd.array(out[col], dtype="Float64")
    return out


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


# ---------------------------------------------------------------------- provincial scores


def period_key(date_from: dt.date, date_to: dt.date) -> str | None:
    """The contract's period text (``2025``, ``2025H1``, ``2025Q3``, ``2025-07``) of a period
    that is exactly one calendar year, half, quarter or month; None otherwise."""
    for kind in KINDS:
        p = period_containing(kind, date_from)
        if p.start == date_from and p.end == date_to:
            return p.key
    return None


def provincial_periods(engine: MetricsEngine) -> tuple[str, ...]:
    """The evaluation periods the provincial platform's scores were imported for, newest first."""
    periods = engine.frames.provincial_scores["period"].dropna().unique().tolist()

    def start(key: str) -> dt.date:
        p = parse_period_key(key)
        return p.start if p is not None else dt.date.min

    return tuple(sorted((str(p) for p in periods), key=lambda k: (start(k), k), reverse=True))


def provincial_comparison(engine: MetricsEngine, request: MetricsRequest) -> pd.DataFrame:
    """Per department and dimension: the computed score and the provincial platform's score for
    the same period, and their difference (provincial − computed).

    The provincial dimension score is Σ score / Σ max_score × 100 over the platform's
    indicators of that dimension (max_score defaults to 100).  Departments with no provincial
    row for the period are left out; no row at all when the period has no provincial scores.
    """
    cols = ["dept_code", "dept_name", "dimension", "computed", "provincial", "difference", "provincial_items"]
    key = period_key(request.date_from, request.date_to)
    ps = engine.frames.provincial_scores
    if key is None or ps.empty:
        return pd.DataFrame(columns=cols)
    rows = ps[(ps["period"] == key).fillna(False)]
    if request.dept is not None:
        rows = rows[(rows["dept_code"] == request.dept).fillna(False)]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    rows = rows.assign(max_score=rows["max_score"].fillna(100.0))
    grouped = rows.groupby(["dept_code", "dimension"], observed=True, sort=False).agg(
        score=("score", "sum"), max_score=("max_score", "sum"), provincial_items=("score", "size"))
    result = engine.compute(request)
    out = []
    for (code, dim), g in grouped.iterrows():
        sc = result.scores.get(str(code))
        provincial = 100.0 * float(g["score"]) / float(g["max_score"]) if g["max_score"] > 0 else None
        computed = None if sc is None else sc.dimensions.get(str(dim))
        out.append({
            "dept_code": str(code), "dept_name": result.dept_names.get(str(code), str(code)), "dimension": str(dim),
            "computed": computed, "provincial": provincial,
            "difference": None if computed is None or provincial is None else provincial - computed,
            "provincial_items": int(g["provincial_items"]),
        })
    order = {d.name: i for i, d in enumerate(engine.config.dimensions)}
    df = pd.DataFrame(out, columns=cols)
    df = df.assign(_d=df["dimension"].map(order)).sort_values(["dept_code", "_d"], kind="stable").drop(columns="_d")
    for col in ("computed", "provincial", "difference"):
        df[col] = pd.array(df[col], dtype="Float64")
    return df.reset_index(drop=True)


def provincial_wide(engine: MetricsEngine, request: MetricsRequest) -> pd.DataFrame:
    """:func:`provincial_comparison` with one row per department: for each dimension its
    computed (``<dim>_computed``) and provincial (``<dim>_provincial``) score, then the mean
    of each over the dimensions that have both."""
    long = provincial_comparison(engine, request)
    dims = [d.name for d in engine.config.dimensions]
    cols = ["dept_code", "dept_name", *[f"{d}_{k}" for d in dims for k in ("computed", "provincial")],
            "computed_mean", "provincial_mean"]
    if long.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for code, g in long.groupby("dept_code", sort=True):
        row: dict[str, Any] = {"dept_code": code, "dept_name": g["dept_name"].iloc[0]}
        both_c, both_p = [], []
        for dim in dims:
            hit = g[g["dimension"] == dim]
            c = hit["computed"].iloc[0] if len(hit) else pd.NA
            p = hit["provincial"].iloc[0] if len(hit) else pd.NA
            row[f"{dim}_computed"], row[f"{dim}_provincial"] = c, p
            if not pd.isna(c) and not pd.isna(p):
                both_c.append(float(c))
                both_p.append(float(p))
        row["computed_mean"] = float(np.mean(both_c)) if both_c else None
        row["provincial_mean"] = float(np.mean(both_p)) if both_p else None
        rows.append(row)
    out = pd.DataFrame(rows, columns=cols)
    for col in cols[2:]:
        out[col] = pd.array(out[col], dtype="Float64")
    return out


# ---------------------------------------------------------------------- weak links


def link_id(dept_code: str, indicator: str) -> str:
    """The key of one weak link in URLs: ``<dept_code>.<indicator>``."""
    return f"{dept_code}.{indicator}"


def weak_links(result: MetricsResult, config: MetricsConfig) -> pd.DataFrame:
    """Every weak link of ``result`` (most severe first, as :func:`metrics.tables.weak_link_table`),
    with the dimension id and the link's key (``link``)."""
    df = weak_link_table(result)
    by_name = {d.name: d.id for d in config.dimensions}
    df = df.assign(
        dimension_id=df["dimension"].map(by_name),
        link=[link_id(c, i) for c, i in zip(df["dept_code"], df["indicator"], strict=True)],
    )
    return df.reset_index(drop=True)


def filter_links(links: pd.DataFrame, severities: Sequence[str] = (), dimensions: Sequence[str] = (),
                 depts: Sequence[str] = ()) -> pd.DataFrame:
    """The weak links whose severity, dimension (Chinese name) and department are among the
    given ones (an empty selection keeps all), renumbered from 0."""
    keep = pd.Series(True, index=links.index)
    for col, wanted in (("severity", severities), ("dimension", dimensions), ("dept_code", depts)):
        if wanted:
            keep &= links[col].isin(list(wanted))
    return links[keep].reset_index(drop=True)


def weak_link_counts(links: pd.DataFrame, config: MetricsConfig, by: str) -> pd.DataFrame:
    """Number of weak links (``links`` as :func:`weak_links` gives them, perhaps filtered) per
    ``by`` (``dimension`` or ``dept_name``) and severity, wide: columns ``by``, ``dept_code``
    (for departments), 严重, 一般, total; dimensions in configuration order, departments
    most links first."""
    if by not in ("dimension", "dept_name"):
        raise MetricsRequestError(f"未知的分组方式 {by}。")
    keys = [by, "dept_code"] if by == "dept_name" else [by]
    cols = [*keys, "严重", "一般", "total"]
    if links.empty:
        return pd.DataFrame(columns=cols)
    table = links.pivot_table(index=keys, columns="severity", values="indicator", aggfunc="size", fill_value=0)
    table = table.reindex(columns=["严重", "一般"], fill_value=0).reset_index()
    table["total"] = table["严重"] + table["一般"]
    if by == "dimension":
        order = {d.name: i for i, d in enumerate(config.dimensions)}
        table = table.assign(_o=table["dimension"].map(order)).sort_values("_o").drop(columns="_o")
    else:
        table = table.sort_values(["total", "严重", "dept_code"], ascending=[False, False, True])
    table.columns.name = None
    return table[cols].reset_index(drop=True)
