"""The sections of the 数据质量 page (its tabs).

A cell of a heatmap sets the department filter and the drill parameter ``dq_month``; the
completeness field is ``dq_field``: both bound widgets, so a drilled view is a link.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import streamlit as st

from charts.data_quality import completeness_heatmap, volume_heatmap
from dashboard.kit import application, cache, definitions, fresh, kpi, plots, tables
from dashboard.kit.filters import Filters
from dashboard.labels import t
from data.importer import local_now
from metrics.periods import trailing_year_start as trend_start
from metrics.results import MetricsRequest, MetricsResult
from metrics.series import months
from metrics.views import data_quality as views

FIELD_PARAM, MONTH_PARAM = "dq_field", "dq_month"
RECORD_COLUMNS = ["app_id", "item_name", "status", "submitted_at", "accepted_at", "reviewed_at", "decided_at",
                  "completed_at", "visits", "rating"]


def _pick_cell(chart_key: str) -> None:
    """Heatmap callback: customdata (department, month) sets the department and ``dq_month``."""
    data = plots.first_customdata(st.session_state.get(chart_key))
    if isinstance(data, list | tuple) and len(data) > 1:
        st.session_state["f_dept"] = str(data[0])
        st.session_state[MONTH_PARAM] = str(data[1])


def kpis(result: MetricsResult, dept: str | None, flagged: int) -> None:
    c1, c2, _ = st.columns([1, 1, 2])
    with c1:
        kpi.of(result, "data_completeness", dept)
    c2.metric(t("data_quality.flagged_kpi"), f"{flagged}", help=t("data_quality.volume_rule"), border=True)


def _month_bounds(month: str, f: Filters) -> tuple[dt.date, dt.date]:
    first = dt.date.fromisoformat(f"{month}-01")
    return first, months(first, first + dt.timedelta(days=31))[0][1]


def completeness(f: Filters, dept: str | None, dept_name: str) -> None:
    start = trend_start(f.date_from, f.date_to)
    st.markdown(t("data_quality.completeness_intro"))
    definitions.popover("data_completeness", key="dq_def")
    field = st.segmented_control(t("data_quality.field_pick"), list(views.FIELDS), key=FIELD_PARAM,
                                 bind="query-params", default="all", required=True,
                                 format_func=lambda k: t(f"data_quality.field_{k}")) or "all"
    data = cache.view(views.completeness, start, f.date_to, field, f.street)
    if data.empty:
        tables.empty(t("data_quality.no_completed"))
        return
    plots.chart(plots.kept(completeness_heatmap, data, title=t("data_quality.completeness_title",
                                                        field=t(f"data_quality.field_{field}"))),
                    key="dq_complete_chart", on_select=partial(_pick_cell, "dq_complete_chart"),
                    selection_mode="points")
    st.caption(t("data_quality.cell_hint"))
    month_keys = [a.strftime("%Y-%m") for a, _ in months(start, f.date_to)]
    month = st.columns([1, 3])[0].selectbox(
        t("data_quality.month_pick"), ["", *month_keys], key=MONTH_PARAM, bind="query-params",
        format_func=lambda m: m or t("data_quality.month_all"))
    lo, hi = _month_bounds(month, f) if month else (start, f.date_to)
    scope = " · ".join((dept_name or t("common.district"),
                        month or t("data_quality.span", date_from=f"{lo:%Y-%m}", date_to=f"{hi:%Y-%m}")))
    gaps = cache.view(views.field_gaps, lo, hi, dept, f.street)
    st.markdown(f"**{t('data_quality.field_gaps', scope=scope)}**")
    tables.table(gaps, "字段缺失情况", key="dq_field_gaps",
             columns=["dq_field_name", "completed", "dq_missing", "dq_missing_share"],
             column_config=tables.column_formats(dq_missing_share="percent"))
    span = MetricsRequest(lo, hi, None, None, f.street)
    records = cache.records(span, dept, "data_completeness")
    st.markdown(f"**{t('data_quality.records_title', scope=scope, n=len(records))}**")
    if records.empty:
        st.success(t("data_quality.records_none"), icon=":material/check_circle:")
    else:
        records = records.assign(dept_name=records["dept_code"].map(cache.all_units().names()))
        application.record_table(span, records, "办件数据缺失明细", key="dq_records",
                                 columns=["dept_name", *RECORD_COLUMNS],
                                 column_config=tables.column_formats(submitted_at="time", accepted_at="time",
                                                                     reviewed_at="time", decided_at="time",
                                                                     completed_at="time"))


def volume(f: Filters, dept: str | None) -> None:
    start = trend_start(f.date_from, f.date_to)
    st.markdown(t("data_quality.volume_intro"))
    definitions.popover(text=t("data_quality.volume_rule"))
    data = cache.view(views.volume_check, start, f.date_to, f.street)
    if data.empty:
        tables.empty(t("data_quality.no_records"))
        return
    plots.chart(plots.kept(volume_heatmap, data, title=t("data_quality.volume_title"), zero_baseline=views.VOLUME_ZERO_BASELINE),
                    key="dq_volume_chart",
                    on_select=partial(_pick_cell, "dq_volume_chart"), selection_mode="points")
    st.caption(t("data_quality.cell_hint"))
    flagged = data[data["dq_flagged"]]
    if dept:
        flagged = flagged[flagged["dept_code"] == dept]
    st.markdown(f"**{t('data_quality.flagged_title', n=len(flagged))}**")
    if flagged.empty:
        st.success(t("data_quality.flagged_none"), icon=":material/check_circle:")
    else:
        tables.table(flagged, "疑似漏报月份", key="dq_flagged",
                 columns=["dept_name", "month", "dq_records", "dq_baseline", "dq_ratio"],
                 column_config=tables.column_formats(dq_ratio="percent"))


def imports() -> None:
    st.markdown(t("data_quality.imports_intro"))
    per_table = views.import_freshness(cache.view(views.table_rows), fresh.last_imports(), local_now())
    st.markdown(f"**{t('data_quality.tables_title')}**")
    tables.table(per_table, "各数据表最近导入", key="dq_tables",
             columns=["dq_table_name", "dq_rows", "dq_batch_id", "dq_finished_at", "dq_days_since"],
             column_config=tables.column_formats(dq_finished_at="time"))
    history = views.batch_table(fresh.batches())
    st.markdown(f"**{t('data_quality.batches_title', n=len(history))}**")
    st.caption(t("data_quality.batches_note"))
    tables.table(history, "导入批次记录", key="dq_batches",
             columns=["dq_batch_id", "dq_started", "dq_finished", "dq_user", "dq_outcome", "dq_problems",
                      "dq_files", "dq_tables"],
             column_config=tables.column_formats(dq_started="time", dq_finished="time"))
