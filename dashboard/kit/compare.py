"""Departments against the district on a chosen indicator, the section several pages open
with: a click on a department's bar sets the department filter."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import streamlit as st

from charts.common import department_bars
from dashboard.kit import definitions, plots, tables, url_state
from dashboard.kit.indicator_text import config, name
from dashboard.kit.scope import Scope
from dashboard.labels import t
from metrics.results import MetricsResult
from metrics.tables import department_values


def department_compare(result: MetricsResult, s: Scope, indicators: Sequence[str], *, prefix: str,
                       header: str, label: str, clear: Sequence[str] = (), index: int = 0) -> None:
    """Departments against the district on a chosen indicator; a click on a bar opens that
    department (and clears the page's deeper drill parameters ``clear``)."""
    st.subheader(header)
    c1, c2 = st.columns([3, 1])
    with c2:
        ind = st.selectbox(label, indicators, key=f"{prefix}_compare", format_func=name, index=index)
        definitions.popover(ind, key=f"{prefix}_compare_def")
        st.caption(t("common.click_hint"))
    cfg = config().indicator(ind)
    df = department_values(result, [ind])
    with c1:
        if df[ind].notna().any():
            fig = plots.kept(department_bars,
                df, ind, unit=cfg.unit, district=result.district.get(ind), title=cfg.name, highlight=s.dept,
                higher_is_better=cfg.direction != "down", adjust=plots.ROOM)
            plots.chart(fig, key=f"{prefix}_depts",
                            on_select=partial(url_state.on_pick, f"{prefix}_depts", "dept", clear=clear),
                            selection_mode="points")
        else:
            tables.empty()
