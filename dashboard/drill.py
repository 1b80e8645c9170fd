"""Drill-down state of the 办事流程, 服务渠道 and 审批途径 pages, kept in the URL.

A page's own drill level (``item``, ``stage`` …) is a query parameter, so a drilled view is
a link; a department or street picked in a chart sets the global filter (``f_dept`` /
``f_street``), as the overview does.  Also small presentation helpers those pages share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import components as ui
from dashboard import context
from dashboard.figures.common import department_bars
from dashboard.filters import Filters
from dashboard.labels import t
from metrics.results import MetricsResult
from metrics.tables import department_values

UNIT_WIDGETS = {"dept": "f_dept", "street": "f_street"}


def param(name: str, valid: Collection[str] | None = None) -> str | None:
    """The query parameter ``name`` if it is one of ``valid`` (any value when None); an
    invalid value is dropped from the URL."""
    value = st.query_params.get(name)
    if not value:
        return None
    if valid is not None and value not in valid:
        del st.query_params[name]
        return None
    return value


def set_param(name: str, value: str | None, *, clear: Iterable[str] = ()) -> None:
    """Set (or with None remove) a drill parameter, removing the deeper levels ``clear``."""
    for k in (*clear, name):
        if k in st.query_params:
            del st.query_params[k]
    if value:
        st.query_params[name] = value


def on_pick(chart_key: str, target: str, *, clear: Sequence[str] = ()) -> None:
    """Callback of a chart whose points carry a code as customdata: ``target`` is a drill
    parameter, or ``dept`` / ``street`` for the global filter."""
    picked = ui.selected_points(st.session_state.get(chart_key))
    if not picked:
        return
    code = str(picked[0])
    if target in UNIT_WIDGETS:
        st.session_state[UNIT_WIDGETS[target]] = code
        for k in clear:
            if k in st.query_params:
                del st.query_params[k]
    else:
        set_param(target, code, clear=clear)


def back_button(label: str, name: str, *, clear: Sequence[str] = (), key: str) -> None:
    """A button that leaves one drill level (removes ``name`` and the deeper ``clear``)."""
    st.button(label, key=key, icon=":material/arrow_back:", on_click=set_param, args=(name, None),
              kwargs={"clear": clear})


def indicator_columns(df: pd.DataFrame, ratios: Iterable[str] = (), values: Iterable[str] = ()) -> pd.DataFrame:
    """``df`` with indicator columns headed by the indicator's Chinese name: ``ratios`` as
    percentages to one decimal (header ``名称（%）``), ``values`` to two decimals, any other
    indicator column (a count) as it is."""
    out = df.copy()
    names: dict[str, str] = {}
    for col in ratios:
        if col in out.columns:
            out[col] = (pd.to_numeric(out[col], errors="coerce") * 100).round(1)
            names[col] = f"{ui.name(col)}（%）"
    for col in values:
        if col in out.columns:
            out[col] = pd.to_numeric(out[col], errors="coerce").round(2)
            names[col] = ui.name(col)
    known = ui.config().indicators
    names.update({c: ui.name(c) for c in out.columns if c in known and c not in names})
    return out.rename(columns=names)


def percent(df: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Fractions as percentages to one decimal (for non-indicator share columns)."""
    out = df.copy()
    for col in columns:
        if col in out.columns:
            out[col] = (pd.to_numeric(out[col], errors="coerce") * 100).round(1)
    return out


def rounded(df: pd.DataFrame, columns: Iterable[str], digits: int = 1) -> pd.DataFrame:
    out = df.copy()
    for col in columns:
        if col in out.columns:
            out[col] = pd.to_numeric(out[col], errors="coerce").round(digits)
    return out


def table(df: pd.DataFrame, filename: str, *, key: str, columns: Sequence[str] | None = None,
          height: int | None = None, **kw: Any) -> Any:
    """A table as :func:`components.table` shows it (Chinese headers, 是/否, — for missing
    values, CSV and Excel built on click, an explanation when empty)."""
    return ui.table(df, filename, key=key, columns=columns, height=height, **kw)


def definitions(*indicator_ids: str, key: str) -> None:
    """One 口径说明 popover holding the definitions of several indicators of one figure."""
    with st.popover(t("common.definition"), icon=":material/info:", key=key):
        st.markdown("\n\n---\n\n".join(ui.definition_text(i) for i in indicator_ids))


def room_for_labels(fig: Any, share: float = 0.14) -> Any:
    """Widen the value axis of horizontal bars so that the value written outside the longest
    bar is not cut off at the figure's edge."""
    values = [float(v) for tr in fig.data if getattr(tr, "orientation", None) == "h" and tr.x is not None
              for v in tr.x if v is not None and v == v]
    if values and min(values) >= 0:
        fig.update_xaxes(range=[0, max(values) * (1 + share) or 1])
    return fig


def trend_start(date_from: dt.date, date_to: dt.date) -> dt.date:
    """First day of the trend window: the twelve months up to ``date_to``, or the period
    itself when it is about a year or longer (as the overview)."""
    if (date_to - date_from).days >= 330:
        return date_from
    return date_to.replace(year=date_to.year - 1, day=1)


@dataclass(frozen=True)
class Scope:
    """Where a page is drilled to: the district, a department, one of its items, a stage."""

    dept: str | None
    dept_name: str = ""
    item: str | None = None
    item_name: str = ""
    stage: str | None = None
    item_values: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The most specific level's name (全区 when nothing is selected)."""
        return self.item_name or self.dept_name or t("common.district")

    def values(self, result: MetricsResult) -> Mapping[str, Any]:
        """The indicator values of this scope: the item's (as given), the department's or the district's."""
        if self.item:
            return self.item_values
        if self.dept:
            return result.departments.get(self.dept, {})
        return result.district

    def dept_values(self, result: MetricsResult) -> Mapping[str, Any]:
        return result.departments.get(self.dept, {}) if self.dept else result.district


def scope_dept(f: Filters) -> str | None:
    """The department a page shows: the filter's, or a department user's own (never the
    restricted engine's own data labelled as the district)."""
    p = context.principal()
    if p is not None and p.is_department:
        return p.dept
    return f.dept


def department_compare(result: MetricsResult, s: Scope, indicators: Sequence[str], *, prefix: str,
                       header: str, label: str, clear: Sequence[str] = (), index: int = 0) -> None:
    """Departments against the district on a chosen indicator; a click on a bar opens that
    department (and clears the page's deeper drill parameters ``clear``)."""
    st.subheader(header)
    c1, c2 = st.columns([3, 1])
    with c2:
        ind = st.selectbox(label, indicators, key=f"{prefix}_compare", format_func=ui.name, index=index)
        ui.definition(ind, key=f"{prefix}_compare_def")
        st.caption(t("common.click_hint"))
    cfg = ui.config().indicator(ind)
    df = department_values(result, [ind])
    with c1:
        if df[ind].notna().any():
            fig = room_for_labels(department_bars(
                df, ind, unit=cfg.unit, district=result.district.get(ind), title=cfg.name, highlight=s.dept,
                higher_is_better=cfg.direction != "down"))
            st.plotly_chart(fig, key=f"{prefix}_depts", on_select=partial(on_pick, f"{prefix}_depts", "dept", clear=clear),
                            selection_mode="points")
        else:
            ui.empty()
