"""Small rendering pieces every page uses: figures with their 口径, downloads, empty states.

They only present what :mod:`metrics` computed; none of them computes an indicator.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from functools import cache, partial
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.filters import Filters
from dashboard.labels import has, t
from data import contract
from metrics.config import MetricsConfig, load_config
from metrics.output import format_score, format_value
from metrics.results import MetricsResult


@cache
def config() -> MetricsConfig:
    return load_config()


def name(indicator_id: str) -> str:
    return config().indicator(indicator_id).name


def fmt(indicator_id: str, value: Any) -> str:
    """A value as people read it (ratios as %, 无数据 for null)."""
    return format_value(value, config().indicator(indicator_id).unit)


def score_text(score: float | None) -> str:
    """A score to one decimal, or 数据不足."""
    return format_score(score)


def definition_text(indicator_id: str) -> str:
    ind = config().indicator(indicator_id)
    arrow = {"up": "↑ 越高越好", "down": "↓ 越低越好"}.get(ind.direction, "· 仅展示，不计分")
    text = f"**{ind.name}**（`{ind.id}`，{arrow}）\n\n{ind.definition}"
    if ind.scored:
        text += f"\n\n计分：下限 {ind.floor:g} → 目标 {ind.target:g}，维度内权重 {ind.weight:g}。"
    return text


def definition(indicator_id: str, *, key: str | None = None) -> None:
    """A 口径说明 popover beside a figure, from the indicator configuration."""
    with st.popover(t("common.definition"), icon=":material/info:", key=key):
        st.markdown(definition_text(indicator_id))


def _delta(indicator_id: str, value: Any, previous: Any) -> tuple[str | None, str]:
    ind = config().indicator(indicator_id)
    if not isinstance(value, int | float) or not isinstance(previous, int | float):
        return None, "off"
    diff = float(value) - float(previous)
    if math.isclose(diff, 0.0, abs_tol=1e-12):
        return "持平", "off"
    text = f"{diff * 100:+.1f}个百分点" if ind.unit == "ratio" else f"{diff:+.2f}".rstrip("0").rstrip(".")
    color = {"up": "normal", "down": "inverse"}.get(ind.direction, "off")
    return text, color


def kpi(indicator_id: str, value: Any, previous: Any = None, *, help_district: Any = None) -> None:
    """A headline figure with its change from the previous period and its definition as help."""
    delta, color = _delta(indicator_id, value, previous)
    arrow = "off" if delta == "持平" else "auto"
    help_text = definition_text(indicator_id)
    if help_district is not None:
        help_text += f"\n\n{t('common.district_value')}：{fmt(indicator_id, help_district)}"
    st.metric(name(indicator_id), fmt(indicator_id, value), delta=delta, delta_color=color,  # type: ignore[arg-type]
              delta_arrow=arrow, help=help_text, border=True)  # type: ignore[arg-type]


def kpi_grid(result: MetricsResult, indicators: Sequence[str], dept: str | None, per_row: int = 3) -> None:
    """Headline figures in rows of ``per_row``: the department's against the district when a
    department is chosen, else the district's against the previous period."""
    for start in range(0, len(indicators), per_row):
        cols = st.columns(per_row)
        for col, ind in zip(cols, indicators[start:start + per_row], strict=False):
            with col:
                if dept:
                    kpi(ind, result.value(ind, dept), result.previous_departments.get(dept, {}).get(ind),
                        help_district=result.district.get(ind))
                else:
                    kpi(ind, result.district.get(ind), result.previous_district.get(ind))


def period_text(f: Filters, *, as_of: bool = True) -> str:
    """The period as a caption says it: 2026年第三季度（2026-07-01 至 2026-09-30，评估基准日 …）;
    a custom period (whose label is already its dates) is not repeated."""
    span = "" if f.kind == "custom" else f"{f.date_from:%Y-%m-%d} 至 {f.date_to:%Y-%m-%d}"
    parts = [p for p in (span, f"评估基准日 {f.as_of:%Y-%m-%d}" if as_of else "") if p]
    return f"{f.label}（{'，'.join(parts)}）" if parts else f.label


def period_caption(f: Filters, result: MetricsResult | None = None, *, previous: bool = False) -> None:
    """The period line under a page title (with the previous period compared, if asked), and
    the calendar note when the period needs one."""
    text = period_text(f)
    if previous and result is not None:
        pp = result.previous_period
        text += f" · 对比上期 {pp.date_from:%Y-%m-%d} 至 {pp.date_to:%Y-%m-%d}"
    st.caption(text)
    if result is not None and result.calendar_note:
        st.warning(result.calendar_note, icon=":material/calendar_month:")


@cache
def _contract_headers() -> dict[str, str]:
    """Column id → Chinese name from the data contract (a later table's name wins, so
    ``nl_code`` of an item is 负面清单事项编码); ids whose name differs by table (``channel``)
    are named in the catalogue's [columns]."""
    return {c.id: c.zh for table in contract.TABLES for c in table.columns}


def header(column: str) -> str:
    """The Chinese header of a column id (labels catalogue, else the data contract)."""
    if has(f"columns.{column}"):
        return t(f"columns.{column}")
    return _contract_headers().get(column, column)


SCORE_COLUMNS = frozenset({"score", "composite", "deductions", "previous_score", "previous_composite",
                           "composite_change", "办事流程", "服务渠道", "审批途径", "监管手段", "制度宣传保障"})


def display(df: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """``df`` (optionally only ``columns``) with Chinese headers, 是/否 for flags and scores
    to one decimal."""
    out = df if columns is None else df.loc[:, [c for c in columns if c in df.columns]]
    out = out.copy()
    for c in out.columns:
        if out[c].dtype == bool:
            out[c] = out[c].map({True: "是", False: "否"})
        elif c in SCORE_COLUMNS:
            out[c] = pd.to_numeric(out[c], errors="coerce").round(1)
    return out.rename(columns={c: header(c) for c in out.columns})


def _xlsx(df: pd.DataFrame, sheet: str) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as xw:
        df.to_excel(xw, index=False, sheet_name=re.sub(r"[\[\]:*?/\\]", "_", sheet)[:31] or "Sheet1")
    return buf.getvalue()


def _csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False).encode("utf-8-sig")


def downloads(df: pd.DataFrame, filename: str, *, key: str) -> None:
    """CSV (UTF-8 with BOM, opens in Excel) and Excel buttons for a table as shown; the files
    are built only when a button is clicked, not on every run."""
    row = st.container(horizontal=True)
    row.download_button(t("common.download_csv"), partial(_csv, df),
                       f"{filename}.csv", "text/csv", key=f"{key}_csv", icon=":material/download:")
    row.download_button(t("common.download_xlsx"), partial(_xlsx, df, filename), f"{filename}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key=f"{key}_xlsx", icon=":material/table_view:")


def table(df: pd.DataFrame, filename: str, *, key: str, columns: Sequence[str] | None = None,
          height: int | None = None, **kw: Any) -> Any:
    """A table with Chinese headers and its downloads; an explanation when it is empty."""
    shown = display(df, columns)
    if shown.empty:
        empty()
        return None
    kw.setdefault("placeholder", "—")  # missing values, never the English "None"
    event = st.dataframe(shown, hide_index=True, key=key, height=height or "auto", **kw)
    downloads(shown, filename, key=f"{key}_dl")
    return event


def empty(reason: str | None = None) -> None:
    """Say why there is nothing to show, never an empty space."""
    st.info(reason or t("common.empty_reason_period"), icon=":material/info:")


def _points(event: Any) -> list[dict[str, Any]]:
    """The points selected in a Plotly chart event (attribute or dict form; empty if none)."""
    try:
        return list(event.selection.points)  # type: ignore[union-attr]
    except AttributeError:
        try:
            return list(event["selection"]["points"])
        except (KeyError, TypeError):
            return []


def first_customdata(event: Any) -> list[Any] | None:
    """The whole customdata of the first selected point, as a list (None if none)."""
    points = _points(event)
    if not points or points[0].get("customdata") is None:
        return None
    data = points[0]["customdata"]
    return list(data) if isinstance(data, list | tuple) else [data]


def selected_points(event: Any, field: str = "customdata") -> list[Any]:
    """Values of ``field`` of the points selected in a Plotly chart event (empty if none)."""
    out = []
    for p in _points(event):
        v = p.get(field)
        if isinstance(v, list):
            v = v[0] if v else None
        if v is not None:
            out.append(v)
    return out
