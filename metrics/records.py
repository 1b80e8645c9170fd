"""The records behind a figure: drill-down rows for a department (or the district).

:func:`application_frame` gives one row per application with the engine's derived values
(processing_wd, limits, overdue flags, open working days, stage hours, population flags).
:func:`records_behind` lists, for any indicator, the applications, items, cases, ratings,
publication channels or negative-list entries its rule (:data:`metrics.families.RULES`)
says drive it: for an ↑ ratio the records that fall short (e.g. overdue completed
applications for on_time_rate, licensing items lacking codes for mapping_rate), for a ↓
ratio or a count the records counted (e.g. the cases of unreported_count), for a mean or
quantile the whole population sorted worst first (records of equal value by their id).
No mask is written here: each comes from the indicator's rule.

Applications and cases are fetched by the engine's :meth:`~metrics.engine.MetricsEngine.record_rows`:
from its frames in memory, or, on :class:`~metrics.columnar.ColumnarEngine`, by the rule's
mask compiled to SQL, so that only the listed records leave the database
(:mod:`metrics.columnar.rows`; ``tests/test_columnar_records.py`` finds the lists equal).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from data.contract import DISCLOSURE_CHANNELS
from metrics.families import RULES
from metrics.populations import Scope
from metrics.results import MetricsRequest, MetricsRequestError, WeakLink
from metrics.rows import item_rows
from metrics.rules import Rule
from metrics.scoping import request_scope

if TYPE_CHECKING:
    from metrics.engine import MetricsEngine

POPULATIONS = ("S", "C", "O")


def dept_rows(frame: pd.DataFrame, column: str, dept: str | None) -> np.ndarray:
    """Rows of ``frame`` whose ``column`` is ``dept`` (every row for the district)."""
    if dept is None:
        return np.ones(len(frame), dtype=bool)
    return (frame[column] == dept).fillna(False).to_numpy(dtype=bool)


def application_frame(
    engine: MetricsEngine, request: MetricsRequest, dept: str | None = None, population: str | None = None
) -> pd.DataFrame:
    """Applications of the request's period for drill-down lists.

    ``population`` is ``"S"`` (submitted), ``"C"`` (completed) or ``"O"`` (open at as_of);
    None gives every application in any of them.  ``dept`` None means the district.  The rows
    are in the order of their ids, on every engine.
    """
    scope = request_scope(engine, request)
    masks = {"S": scope.submitted, "C": scope.completed, "O": scope.open}
    if population is None:
        pop = masks["S"] | masks["C"] | masks["O"]
    elif population in masks:
        pop = masks[population]
    else:
        raise MetricsRequestError(f"未知的办件范围 {population}（应为 S、C 或 O）。")
    rows = engine.record_rows(scope, "apps", pop & scope.data.dept_mask("apps", dept))
    return rows.sort_values("app_id", kind="stable").reset_index(drop=True)


RECORD_IDS = {"apps": "app_id", "cases": "case_id"}
"""The id that orders records of equal sort value, so that every engine lists them alike."""


def _sorted(rule: Rule, frame: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    if rule.annotate is not None:
        frame = rule.annotate(frame, scope)
    column = rule.sort(frame) if callable(rule.sort) else rule.sort
    tie = RECORD_IDS.get(rule.table)
    if tie is not None:
        by = [tie] if column is None else [column, tie]
        frame = frame.sort_values(by, ascending=[True] if column is None else [rule.ascending, True],
                                  na_position="last", kind="stable")
    elif column is not None:
        frame = frame.sort_values(column, ascending=rule.ascending, na_position="last", kind="stable")
    return frame.reset_index(drop=True)


def _channel_records(scope: Scope, rule: Rule, dept: str | None) -> pd.DataFrame:
    """One row per publication channel: whether and when the current list was published there."""
    pub = scope.data.frames.disclosures[rule.numerator(scope)]
    pub = pub[dept_rows(pub, "dept_code", dept)]
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


def rule_records(engine: MetricsEngine, scope: Scope, rule: Rule, dept: str | None) -> pd.DataFrame:
    """The records behind ``rule``'s figure for ``dept`` (None = the district) in ``scope``.

    Applications and cases are fetched by the engine (from its frames, or from the database
    for :class:`~metrics.columnar.ColumnarEngine`); the small tables are in memory on both."""
    d = scope.data
    if rule.table in RECORD_IDS:
        rows = engine.record_rows(scope, rule.table, rule.behind_mask(scope) & d.dept_mask(rule.table, dept))
        return _sorted(rule, rows, scope)
    if rule.table == "items":
        own = dept_rows(d.items.frame, "dept_code", dept)
        return _sorted(rule, item_rows(scope, rule.behind_mask(scope) & own), scope)
    if rule.table == "ratings":
        ratings = d.frames.credit_ratings
        if dept is None or rule.dept_population is None:
            pop = rule.population(scope)
        else:
            pop = rule.dept_population(scope)
        return _sorted(rule, ratings[rule.behind_mask(scope, pop) & dept_rows(ratings, "dept_code", dept)], scope)
    if rule.table == "disclosures":
        return _channel_records(scope, rule, dept)
    # negative-list entries: the district's (no department is responsible for the list)
    return _sorted(rule, d.frames.negative_list[rule.behind_mask(scope)], scope)


def records_behind(
    engine: MetricsEngine, request: MetricsRequest, dept: str | None, indicator: str
) -> pd.DataFrame:
    """The records that drive ``indicator`` for ``dept`` (None = the district) in the request's period."""
    scope = request_scope(engine, request)
    if dept is not None and dept not in engine.data.dept_names:
        raise MetricsRequestError(f"部门编码 {dept} 不存在。")
    rule = RULES.get(indicator)
    if rule is None:
        raise MetricsRequestError(f"未知指标 {indicator}。")
    return rule_records(engine, scope, rule, dept)


def link_records(engine: MetricsEngine, link: WeakLink) -> pd.DataFrame:
    """The records behind a weak link (its department, indicator and period)."""
    if link.request is None:
        raise MetricsRequestError("该短板缺少统计期间，无法查询明细。")
    return records_behind(engine, link.request, link.dept_code, link.indicator)


__all__ = ["POPULATIONS", "application_frame", "dept_rows", "link_records", "records_behind", "rule_records"]
