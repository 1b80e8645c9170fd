"""Breakdowns for the dashboard: monthly trend series and per-item process figures."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from metrics.catalog import APPLICATION_BASED, KNOWN_INDICATORS, STAGES
from metrics.populations import Scope, Window, window_of
from metrics.results import MetricsRequest, MetricsRequestError

if TYPE_CHECKING:
    from metrics.engine import MetricsEngine


def months(date_from: dt.date, date_to: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Calendar months overlapping ``[date_from, date_to]``, clipped to it."""
    out = []
    first = date_from.replace(day=1)
    while first <= date_to:
        nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        out.append((max(first, date_from), min(nxt - dt.timedelta(days=1), date_to)))
        first = nxt
    return out


def months_with_data(engine: MetricsEngine, date_from: dt.date, date_to: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The months of ``[date_from, date_to]`` (see :func:`months`) that begin on or before the
    data's end: a month after it has no records, and drawing it would show open work that
    never closes (超期未办结 climbing) as if it were a real trend."""
    end = engine.data_end
    return [(first, last) for first, last in months(date_from, date_to) if end is None or first <= end]


def monthly_series(
    engine: MetricsEngine,
    indicator: str,
    date_from: dt.date,
    date_to: dt.date,
    dept: str | None = None,
    street: str | None = None,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """One row per month: ``month`` ("2025-03"), ``date_from``, ``date_to``, ``as_of``, ``value``.

    Each month is a period of its own judged at its last day (or at ``as_of`` if earlier), so
    a month's figure equals what ``compute`` gives for that month.  ``dept`` None = district.
    Months after the data's end are left out (:func:`months_with_data`).
    """
    if indicator not in KNOWN_INDICATORS:
        raise MetricsRequestError(f"未知指标 {indicator}。")
    engine.check(MetricsRequest(date_from, date_to, as_of, dept, street))
    grouping = engine.district_grouping if dept is None else engine.department_grouping
    rows = []
    for first, last in months_with_data(engine, date_from, date_to):
        judged = last if as_of is None else min(last, as_of)
        m = engine.measures(Window(first, last, judged), grouping, street, [indicator])[indicator]
        if dept is None:
            value = m.district
        else:
            value = None if m.groups is None else m.groups[grouping.keys.index(dept)]
        rows.append({"month": first.strftime("%Y-%m"), "date_from": first, "date_to": last,
                     "as_of": judged, "value": value})
    return pd.DataFrame(rows, columns=["month", "date_from", "date_to", "as_of", "value"])


def monthly_values(
    engine: MetricsEngine,
    indicators: tuple[str, ...],
    date_from: dt.date,
    date_to: dt.date,
    street: str | None = None,
) -> pd.DataFrame:
    """Every month's values of ``indicators`` for the district and every department at once.

    One pass of the indicator families per month (department grouping, which yields the
    district too), instead of one per month, indicator and department; a month already
    computed by the engine is not computed again.  Rows: ``month``,
    ``dept_code`` (None = the district), then one column per indicator; each month is a
    period of its own judged at its last day, so a value equals :func:`monthly_series`';
    months after the data's end are left out.
    """
    unknown = [i for i in indicators if i not in KNOWN_INDICATORS]
    if unknown:
        raise MetricsRequestError(f"未知指标 {'、'.join(unknown)}。")
    engine.check(MetricsRequest(date_from, date_to, None, None, street))
    grouping = engine.department_grouping
    rows: list[dict[str, object]] = []
    for first, last in months_with_data(engine, date_from, date_to):
        measures = engine.month_measures(first, last, street, indicators)
        month = first.strftime("%Y-%m")
        rows.append({"month": month, "dept_code": None, **{i: measures[i].district for i in indicators}})
        for pos, code in enumerate(grouping.keys):
            rows.append({"month": month, "dept_code": code, **{
                i: None if measures[i].groups is None else measures[i].groups[pos]  # type: ignore[index]
                for i in indicators}})
    return pd.DataFrame(rows, columns=["month", "dept_code", *indicators])


def series_of(table: pd.DataFrame, indicator: str, dept: str | None = None) -> pd.DataFrame:
    """One line (``month``, ``value``) of a :func:`monthly_values` table."""
    rows = table[table["dept_code"].isna()] if dept is None else table[table["dept_code"] == dept]
    return pd.DataFrame({"month": rows["month"].to_numpy(), "value": rows[indicator].to_numpy()})


def item_breakdown(engine: MetricsEngine, request: MetricsRequest, dept: str | None) -> pd.DataFrame:
    """The application-based indicators per item (a department's items, or all items).

    Columns: item_code, item_name, dept_code, submitted/completed/open counts, every
    application-based indicator, and the stage medians as ``受理_hours`` … ``送达_hours``.
    """
    engine.check(MetricsRequest(request.date_from, request.date_to, request.as_of, dept, request.street))
    grouping = engine.item_grouping(dept)
    window = window_of(request)
    measures = engine.measures(window, grouping, request.street, APPLICATION_BASED)
    _, per_item = engine.tables(measures, grouping, APPLICATION_BASED)
    scope = Scope(engine.data, window, request.street)
    codes = grouping.apps
    assert codes is not None
    size = grouping.size

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(codes[mask], minlength=size + 1)[:size]

    items = engine.data.items.frame.set_index("item_code")
    table = pd.DataFrame.from_dict(per_item, orient="index")
    table.index.name = "item_code"
    for stage in STAGES:
        table[f"{stage}_hours"] = [
            None if not isinstance(v, dict) else v.get(stage) for v in table.get("stage_hours", [None] * len(table))
        ]
    keys = list(grouping.keys)
    head = pd.DataFrame({
        "item_code": keys,
        "item_name": items["item_name"].reindex(keys).to_numpy(),
        "dept_code": items["dept_code"].reindex(keys).to_numpy(),
        "submitted_count": count(scope.submitted),
        "completed_count": count(scope.completed),
        "open_count": count(scope.open),
    })
    return head.merge(table.reset_index(), on="item_code", how="left")
