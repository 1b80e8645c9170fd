"""Sections of the 办事流程 page (rendering only: every figure comes from ``metrics`` through
:mod:`dashboard.kit.cache`)."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st

from charts.common import department_bars
from charts.process import control_chart, processing_histogram, stage_flow
from dashboard.kit import application, cache, compare, definitions, indicator_text, plots, tables, url_state
from dashboard.kit.scope import Scope
from dashboard.labels import t
from metrics.results import MetricsRequest, MetricsResult
from metrics.views import process as pv

KPIS = ("on_time_rate", "median_processing_wd", "p90_processing_wd", "overdue_count", "legal_overdue_count",
        "open_overdue_count")
COMPARE = ("on_time_rate", "median_processing_wd", "p90_processing_wd", "overdue_count", "legal_overdue_count",
           "open_overdue_count", "open_overdue_rate", "speedup_rate")
ITEM_SORT = ("overdue_count", "on_time_rate", "median_processing_wd", "p90_processing_wd", "open_overdue_count")
RATIOS = ("on_time_rate", "open_overdue_rate", "speedup_rate")
VALUES = ("median_processing_wd", "p90_processing_wd", "avg_processing_wd")
HIST_CAP = 40
APP_LIMIT = 300
DRILL = ("item", "stage")


def department_compare(result: MetricsResult, s: Scope) -> None:
    compare.department_compare(result, s, COMPARE, prefix="pr", header=t("process.depts_header"),
                             label=t("process.compare"), clear=DRILL)


def distribution(request: MetricsRequest, result: MetricsResult, s: Scope) -> None:
    st.subheader(t("process.dist_header"))
    dist = cache.view(pv.processing_distribution, request, s.dept, s.item, HIST_CAP)
    if dist.empty or int(dist["total"].sum()) == 0:
        tables.empty()
        return
    values = s.values(result)
    fig = plots.kept(processing_histogram, dist, title=t("process.dist_title", scope=s.name),
                               median=values.get("median_processing_wd"), p90=values.get("p90_processing_wd"),
                               cap=HIST_CAP)
    plots.chart(fig, key="pr_hist")
    st.caption(t("process.dist_note", cap=HIST_CAP))
    definitions.popover("median_processing_wd", "p90_processing_wd", "overdue_count", key="pr_def_dist")


def stage_map(request: MetricsRequest, result: MetricsResult, s: Scope) -> None:
    st.subheader(t("process.map_header"))
    if s.item:
        reference, ref_label = result.value("stage_hours", s.dept), t("process.ref_dept")
    elif s.dept:
        reference, ref_label = result.district.get("stage_hours"), t("process.ref_district")
    else:
        reference, ref_label = None, None
    stages = cache.view(pv.stage_map, request, s.dept, s.item, pv.stage_reference(reference))
    if stages["median_hours"].isna().all():
        tables.empty(t("process.map_empty"))
        return
    fig = plots.kept(stage_flow, stages, title=f"{s.name}：{t('process.map_title')}", reference_label=ref_label)
    plots.chart(fig, key="pr_stages", on_select=partial(url_state.on_pick, "pr_stages", "stage"),
                    selection_mode="points")
    st.caption(t("process.map_note_ref", ref=ref_label) if ref_label else t("process.map_note_district"))
    definitions.popover("stage_hours", "bottleneck_stage", key="pr_def_stage")
    shown = tables.rounded(stages.rename(columns={"ratio": "stage_ratio"}),
                          ["median_hours", "reference_hours", "stage_ratio"], 2)
    cols = ["stage", "median_hours", "stage_count", "reference_hours", "stage_ratio", "slowness", "bottleneck"]
    if not ref_label:
        cols = ["stage", "median_hours", "stage_count", "bottleneck"]
    with st.expander(t("common.records")):
        tables.table(shown, f"环节用时_{s.name}", key="pr_stage_table", columns=cols)


def items(result: MetricsResult, s: Scope, table: pd.DataFrame | None) -> None:
    st.subheader(t("process.items_header"))
    if not s.dept or table is None:
        st.info(t("process.items_need_dept"), icon=":material/touch_app:")
        return
    if table.empty:
        tables.empty(t("process.items_empty"))
        return
    c1, c2 = st.columns([3, 1])
    with c2:
        ind = st.selectbox(t("process.items_pick"), ITEM_SORT, key="pr_item_sort", format_func=indicator_text.name)
        definitions.popover(ind, key="pr_item_def")
        st.caption(t("process.items_hint"))
    cfg = indicator_text.config().indicator(ind)
    bars = table.sort_values(ind, ascending=cfg.direction == "up", na_position="last").head(40)
    with c1:
        if bars[ind].notna().any():
            fig = plots.kept(department_bars,
                bars, ind, unit=cfg.unit, district=None, highlight=s.item, name_col="item_name",
                code_col="item_code", higher_is_better=cfg.direction != "down",
                title=t("process.items_title", dept=s.dept_name, name=cfg.name), adjust=plots.ROOM)
            plots.chart(fig, key="pr_items", selection_mode="points",
                            on_select=partial(url_state.on_pick, "pr_items", "item", clear=("stage",)))
        else:
            tables.empty()
    shown = tables.indicator_columns(tables.rounded(table, [f"{x}_hours" for x in ("受理", "审查", "决定", "送达")]),
                                    RATIOS, VALUES)
    shown = shown.rename(columns={"bottleneck_stage": "bottleneck"})
    tables.table(shown, f"事项办理情况_{s.dept_name}", key="pr_item_table")


def applications(request: MetricsRequest, s: Scope) -> None:
    st.subheader(t("process.apps_header"))
    if not s.item and not s.stage:
        st.info(t("process.apps_need_drill"), icon=":material/touch_app:")
        return
    frame, total = cache.view(pv.applications, request, s.dept, s.item, s.stage, APP_LIMIT)
    if s.stage:
        st.caption(t("process.apps_caption_stage", scope=s.name, stage=s.stage))
    else:
        st.caption(t("process.apps_caption", scope=s.name))
    if total == 0:
        tables.empty(t("process.apps_empty_stage", stage=s.stage) if s.stage else None)
        return
    if total > len(frame):
        st.caption(t("process.apps_truncated", total=total, shown=len(frame)))
    hours = [f"{x}_hours" for x in ("受理", "审查", "决定", "送达")]
    application.record_table(request, tables.rounded(frame, hours), f"办件清单_{s.name}", key="pr_apps")


def control(date_to: dt.date, s: Scope, street: str | None) -> str:
    st.subheader(t("process.control_header"))
    with st.container(horizontal=True, vertical_alignment="bottom"):
        ind = st.selectbox(t("process.control_pick"), tuple(pv.CONTROL_INDICATORS), key="pr_control",
                           format_func=indicator_text.name, width=260)
        definitions.popover(ind, key="pr_control_def")
    # an item drill-down charts the item's applications; else the department's (or the district's)
    table = cache.view(pv.control_table, ind, date_to, street, 24, s.item) if s.item else \
        cache.view(pv.control_table, ind, date_to, street)
    rows = pv.chart_rows(table, s.dept)
    if rows.empty or rows["value"].isna().all():
        tables.empty(t("process.control_empty"))
    else:
        cfg = indicator_text.config().indicator(ind)
        scope = s.name if s.item else s.dept_name or t("process.crumb_district")
        plots.chart(plots.kept(control_chart, rows, title=t("process.control_title", scope=scope, name=cfg.name,
                                                     n=len(rows)), unit=cfg.unit, name=cfg.name),
                        key="pr_control_chart")
    kind = pv.CONTROL_INDICATORS[ind][0]
    st.caption(t("process.control_note_p") if kind == "p" else t("process.control_note_x"))
    return ind


def flags(request: MetricsRequest, ind: str, s: Scope) -> None:
    st.markdown(f"**{t('process.flags_header')}**")
    table = pv.flags_in(cache.view(pv.control_table, ind, request.date_to, request.street), request.date_from,
                        s.dept)
    if table.empty:
        st.success(t("process.flags_none"), icon=":material/check_circle:")
        return
    st.caption(t("process.flags_hint"))
    shown = table.assign(
        signal=[f"{sig}（{t('process.signal_worse') if w else t('process.signal_better')}）"
                for sig, w in zip(table["signal"], table["worse"], strict=True)],
        value=[indicator_text.fmt(ind, v) for v in table["value"]],
        centre=[indicator_text.fmt(ind, v) for v in table["centre"]],
        lcl=[indicator_text.fmt(ind, v) for v in table["lcl"]],
        ucl=[indicator_text.fmt(ind, v) for v in table["ucl"]],
    ).rename(columns={"completed": "completed_count"})
    tables.table(shown, "超出控制限", key="pr_flags",
             columns=["dept_name", "month", "completed_count", "value", "centre", "lcl", "ucl", "signal"])


def backlog(request: MetricsRequest, s: Scope, as_of: dt.date) -> None:
    st.subheader(t("process.backlog_header", asof=f"{as_of:%Y-%m-%d}"))
    frame, total = cache.view(pv.open_overdue, request, s.dept, s.item, APP_LIMIT)
    if total == 0:
        st.success(t("process.backlog_none"), icon=":material/check_circle:")
        return
    if total > len(frame):
        st.caption(t("process.apps_truncated", total=total, shown=len(frame)))
    definitions.popover("open_overdue_count", key="pr_def_backlog")
    application.record_table(request, frame, f"超期未办结_{s.name}", key="pr_backlog")
