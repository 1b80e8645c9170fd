"""The sections of the 信用分类 page.

A department picked in the grade chart sets the global filter; a cell of the transition
matrix sets the drill parameter ``cr_move`` (``C→D`` = from C to D) and a month of the
movement chart ``cr_month``: both are bound widgets, so a drilled view is a link.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st

from charts.common import trend_lines
from charts.credit import grade_bars, movement_bars, transition_heatmap
from dashboard.kit import cache, definitions, kpi, plots, tables
from dashboard.kit.filters import Filters
from dashboard.labels import t
from metrics.periods import trailing_year_start as trend_start
from metrics.results import MetricsResult
from metrics.series import months
from metrics.views import credit as views

KPIS = ("credit_entities", "high_risk_share")
MOVE_PARAM, MONTH_PARAM = "cr_move", "cr_month"
MOVES = [f"{a}→{b}" for a in views.GRADES for b in views.GRADES]  # option = label = URL value


def _pick_dept(chart_key: str) -> None:
    data = plots.first_customdata(st.session_state.get(chart_key))
    if data:
        st.session_state["f_dept"] = str(data[0])


def _pick_move(chart_key: str) -> None:
    data = plots.first_customdata(st.session_state.get(chart_key))
    if data and len(data) > 1:
        st.session_state[MOVE_PARAM] = f"{data[0]}→{data[1]}"


def _pick_month(chart_key: str) -> None:
    data = plots.first_customdata(st.session_state.get(chart_key))
    if data:
        st.session_state[MONTH_PARAM] = str(data[0])


def kpis(result: MetricsResult, dept: str | None) -> None:
    kpi.grid(result, KPIS, dept, per_row=4)


def distribution(f: Filters, dept: str | None) -> None:
    st.subheader(t("credit.dist_header"))
    st.caption(t("credit.dist_note", as_of=f"{f.as_of:%Y-%m-%d}"))
    definitions.popover("high_risk_share", key="cr_def_dist")
    dist = cache.view(views.grade_distribution, f.as_of)
    if dist.empty:
        tables.empty(t("credit.no_ratings"))
        return
    c1, c2 = st.columns([3, 1])
    with c1:
        plots.chart(plots.kept(grade_bars, dist, views.GRADES, title=t("credit.dist_title"), highlight=dept),
                        key="cr_dist_chart", on_select=partial(_pick_dept, "cr_dist_chart"),
                        selection_mode="points")
        st.caption(t("common.click_hint"))
    with c2:
        district = cache.published(views.district_distribution, f.as_of)  # 全区: the published aggregate
        st.markdown(f"**{t('credit.district_dist')}**")
        tables.table(district, "全区信用风险分类", key="cr_district", columns=["grade", "cr_entities", "cr_share"],
                 column_config=tables.column_formats(cr_share="percent"))
        st.caption(t("credit.district_note"))
    grades = cache.view(views.grade_table, f.as_of)
    if dept:
        grades = grades[grades["dept_code"] == dept]
    tables.table(grades, "各部门信用风险分类", key="cr_table",
             columns=["dept_name", *[f"cr_grade_{g}" for g in views.GRADES], "cr_entities", "cr_high_share"],
             column_config=tables.column_formats(cr_high_share="percent"))


def movements(f: Filters, dept: str | None, dept_name: str) -> None:
    start = trend_start(f.date_from, f.date_to)
    scope = dept_name or t("common.district")
    st.subheader(t("credit.moves_header"))
    st.caption(t("credit.moves_note", date_from=f"{start:%Y-%m-%d}", date_to=f"{f.date_to:%Y-%m-%d}"))
    matrix = cache.view(views.transition_matrix, start, f.date_to, dept)
    if int(matrix["cr_moves"].sum()) == 0:
        tables.empty(t("credit.no_moves"))
        return
    c1, c2 = st.columns([1, 1])
    with c1:
        plots.chart(plots.kept(transition_heatmap, matrix, views.GRADES, title=t("credit.matrix_title", scope=scope)),
                        key="cr_matrix_chart", on_select=partial(_pick_move, "cr_matrix_chart"),
                        selection_mode="points")
    with c2:
        monthly = cache.view(views.monthly_movements, start, f.date_to, dept)
        plots.chart(plots.kept(movement_bars, monthly, title=t("credit.monthly_title", scope=scope)),
                        key="cr_monthly_chart", on_select=partial(_pick_month, "cr_monthly_chart"),
                        selection_mode="points")
    st.caption(t("credit.moves_click"))
    month_keys = [a.strftime("%Y-%m") for a, _ in months(start, f.date_to)]
    p1, p2, _ = st.columns([1, 1, 2])
    move = p1.selectbox(t("credit.move_pick"), ["", *MOVES], key=MOVE_PARAM, bind="query-params",
                        format_func=lambda m: m or t("credit.move_all"))
    month = p2.selectbox(t("credit.month_pick"), ["", *month_keys], key=MONTH_PARAM, bind="query-params",
                         format_func=lambda m: m or t("credit.month_all"))
    lo, hi = start, f.date_to
    if month:
        lo = dt.date.fromisoformat(f"{month}-01")
        hi = min(_month_end(lo), f.date_to)
    rows = cache.view(views.movements, lo, hi, dept, move[0] if move else None, move[-1] if move else None)
    if not move:
        rows = rows[rows["cr_direction"] != views.SAME]  # re-ratings into the same class are not moves
    label = " · ".join(x for x in (scope, t("credit.move_label", a=move[0], b=move[-1]) if move else "", month) if x)
    st.markdown(f"**{t('credit.moves_list', scope=label, n=len(rows))}**")
    if rows.empty:
        tables.empty(t("credit.no_moves_selected"))
        return
    tables.table(rows, "信用类别变动明细", key="cr_moves",
             columns=["entity_id", "entity_name", "dept_name", "cr_from_grade", "cr_from_date", "cr_to_grade",
                      "cr_to_date", "cr_direction"],
             column_config=tables.column_formats(cr_from_date="date", cr_to_date="date"))


def _month_end(first: dt.date) -> dt.date:
    return (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()


def trend(f: Filters, dept: str | None, dept_name: str) -> None:
    start = trend_start(f.date_from, f.date_to)
    st.subheader(t("credit.trend_header"))
    st.caption(t("credit.trend_note"))
    definitions.popover("high_risk_share", key="cr_def_trend")
    own = cache.view(views.high_risk_trend, start, f.date_to)
    published = cache.published(views.high_risk_trend, start, f.date_to)  # the 全区 line: the published aggregate
    data = pd.concat([published[published["dept_code"] == ""], own[own["dept_code"] != ""]], ignore_index=True)
    data = data.sort_values("month", kind="stable").reset_index(drop=True)
    if data.empty:
        tables.empty(t("credit.no_ratings"))
        return
    codes = [dept] if dept else [c for c in dict.fromkeys(data["dept_code"]) if c]
    lines = {t("common.district"): data[data["dept_code"] == ""].rename(columns={"cr_share": "value"})}
    for code in codes:
        part = data[data["dept_code"] == code]
        if not part.empty:
            lines[part["dept_name"].iloc[0]] = part.rename(columns={"cr_share": "value"})
    fig = plots.kept(trend_lines, lines, unit="ratio", title=t("credit.trend_title", scope=dept_name or t("common.district")),
                     adjust=plots.Adjust(layout={"height": 380,
                                                 "legend": {"y": -0.3, "yanchor": "top", "x": 0, "xanchor": "left"}}))
    plots.chart(fig, key="cr_trend_chart")
    tables.table(data if not dept else data[data["dept_code"].isin(["", dept])], "高风险主体占比月度趋势",
             key="cr_trend_table", columns=["month", "dept_name", "cr_entities", "cr_high_risk", "cr_share"],
             column_config=tables.column_formats(cr_share="percent"), height=260)
