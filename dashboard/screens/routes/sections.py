"""Sections of the 审批途径 page (rendering only: every figure comes from ``metrics`` through
:mod:`dashboard.kit.cache`)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from charts.mix import unit_mix
from charts.routes import ROUTE_COLORS, item_compression, materials_histogram, route_timing
from dashboard.kit import application, cache, compare, definitions, plots, tables, url_state
from dashboard.kit.scope import Scope
from dashboard.labels import t
from metrics.results import MetricsRequest, MetricsResult
from metrics.views import routes as rv

KPIS = ("instant_rate", "commitment_rate", "tolerance_rate", "parallel_rate", "streamlined_rate",
        "rejection_rate", "compression_rate", "avg_materials")
LIST_LIMIT = 300


def mix(request: MetricsRequest, s: Scope) -> None:
    st.subheader(t("routes.mix_header"))
    df = cache.view(rv.route_mix, request)
    if df.empty:
        tables.empty()
        return
    fig = plots.kept(unit_mix, df, title=t("routes.mix_title"), label_col="route", code_col="dept_code", name_col="dept_name",
                   highlight=s.dept, colors=ROUTE_COLORS)
    plots.chart(fig, key="rt_mix", on_select=partial(url_state.on_pick, "rt_mix", "dept"), selection_mode="points")
    c1, c2 = st.columns([3, 1])
    c1.caption(t("routes.mix_note"))
    with c2:
        definitions.popover("streamlined_rate", key="rt_mix_def")
    shown = tables.percent(df.rename(columns={"share": "route_share", "count": "apps_count"}), ["route_share"])
    with st.expander(t("common.records")):
        tables.table(shown.drop(columns=["dept_code"]), "审批方式结构", key="rt_mix_table")


def department_compare(result: MetricsResult, s: Scope) -> None:
    compare.department_compare(result, s, KPIS, prefix="rt", header=t("routes.depts_header"),
                             label=t("routes.compare"), index=5)


def timing(request: MetricsRequest, s: Scope) -> None:
    st.subheader(t("routes.timing_header"))
    table = cache.view(rv.route_timing, request, s.dept)
    if int(table["submitted"].sum()) == 0 and int(table["completed"].sum()) == 0:
        tables.empty()
        return
    plots.chart(plots.kept(route_timing, table, title=t("routes.timing_title", scope=s.name)), key="rt_timing")
    st.caption(t("routes.timing_note"))
    definitions.popover("on_time_rate", "median_processing_wd", "p90_processing_wd", "avg_processing_wd",
                      key="rt_def_timing")
    shown = tables.indicator_columns(tables.percent(table, ["limit_use"]), ("on_time_rate", "rejection_rate"),
                                    ("avg_processing_wd", "median_processing_wd", "p90_processing_wd"))
    tables.table(shown, f"审批方式用时_{s.name}", key="rt_timing_table")


def rejections(request: MetricsRequest, s: Scope) -> None:
    st.subheader(t("routes.rejection_header"))
    definitions.popover("rejection_rate", key="rt_def_reject")
    frame, total = cache.view(rv.rejected, request, s.dept, LIST_LIMIT)
    if total == 0:
        st.success(t("routes.rejection_none"), icon=":material/check_circle:")
        return
    if total > len(frame):
        st.caption(t("routes.list_truncated", total=total, shown=len(frame)))
    application.record_table(request, frame, f"不予受理及不予许可_{s.name}", key="rt_rejected")


def limits(request: MetricsRequest, s: Scope) -> None:
    st.subheader(t("routes.limits_header"))
    table = cache.view(rv.item_limits, request, s.dept)
    left, right = st.columns([3, 2])
    with left:
        if table["compression"].notna().any():
            plots.chart(plots.kept(item_compression, table, title=t("routes.limits_title", scope=s.name)),
                            key="rt_compression")
            st.caption(t("routes.limits_note"))
            definitions.popover("compression_rate", key="rt_def_compression")
        else:
            tables.empty(t("routes.limits_empty"))
    with right:
        if table["materials"].notna().any():
            plots.chart(plots.kept(materials_histogram, table, title=t("routes.materials_title", scope=s.name)),
                            key="rt_materials")
            definitions.popover("avg_materials", key="rt_def_materials")
        else:
            tables.empty()
    shown = tables.percent(table, ["compression"])
    tables.table(shown.drop(columns=["dept_code"]), f"事项时限与材料_{s.name}", key="rt_items")
