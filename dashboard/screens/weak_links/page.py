"""短板清单: every weak link of the period by severity, dimension and department, each
explaining itself and opening the records behind it; CSV / Excel and the meeting export.

Drill state: the selected weak link is the query parameter ``link`` (``<dept_code>.<indicator>``).
"""

import zlib
from functools import partial
from typing import Any

import streamlit as st

from charts.scorecard import weak_link_bars
from dashboard.kit import (
    cache,
    definitions,
    filters,
    indicator_text,
    plots,
    records,
    tables,
    task_form,
    url_state,
)
from dashboard.kit.escape import escape_md
from dashboard.kit.page import page
from dashboard.labels import t
from dashboard.screens.weak_links import tables as link_tables
from metrics.views import scorecard as views

ctx = page("weak_links")
f, request = ctx.filters, ctx.request
result = ctx.result()
config = cache.engine().config
links = views.weak_links(result, config)
scope = ctx.unit_name(f.dept)

st.title(f"{t('nav.weak_links')} · {escape_md(scope)}")
filters.period_caption(f, result, previous=True)
c0, c1 = st.columns([6, 1])
c0.caption(t("weak_links.caption"))
with c1:
    definitions.popover(text=t("weak_links.definition"), key="wl_def")
if not result.scored:  # 数据不完整: no weak links were made (the preamble says why)
    st.info(t("trust.not_scored"), icon=":material/hourglass_empty:")
    st.stop()
if links.empty:
    st.success(t("weak_links.none_in_period"), icon=":material/check_circle:")
    st.stop()

# ---- filters on the page (the global department filter preselects its department)
dept_names = dict(zip(links["dept_code"], links["dept_name"], strict=False))
if f.dept and "wl_dept" not in st.session_state and f.dept in dept_names:
    st.session_state["wl_dept"] = [f.dept]
fc = st.columns(3)
sev = fc[0].multiselect(t("weak_links.filter_severity"), ["严重", "一般"], key="wl_sev",
                        placeholder=t("weak_links.filter_placeholder"))
dims = fc[1].multiselect(t("weak_links.filter_dimension"), [d.name for d in config.dimensions], key="wl_dim",
                         placeholder=t("weak_links.filter_placeholder"))
depts = fc[2].multiselect(t("weak_links.filter_dept"), sorted(dept_names), key="wl_dept",
                          format_func=lambda c: dept_names.get(c, c), placeholder=t("weak_links.filter_placeholder"))
shown = views.filter_links(links, sev, dims, depts)

k = st.columns(4)
k[0].metric(t("weak_links.count_total"), len(shown), border=True)
k[1].metric(t("weak_links.count_serious"), int((shown["severity"] == "严重").sum()), border=True)
k[2].metric(t("weak_links.count_ordinary"), int((shown["severity"] == "一般").sum()), border=True)
k[3].metric(t("weak_links.count_depts"), shown["dept_code"].nunique(), border=True)


def _filter_from(chart: str, widget: str) -> None:
    picked = plots.selected_points(st.session_state.get(chart))
    if picked:
        st.session_state[widget] = [str(picked[0])]


g1, g2 = st.columns([2, 3])
with g1:
    by_dim = views.weak_link_counts(shown, config, "dimension")
    plots.chart(plots.kept(weak_link_bars, by_dim, "dimension", "dimension", title=t("weak_links.by_dimension"),
                                   horizontal=False),
                    key="wl_by_dim", on_select=lambda: _filter_from("wl_by_dim", "wl_dim"),
                    selection_mode="points")
with g2:
    by_dept = views.weak_link_counts(shown, config, "dept_name")
    plots.chart(plots.kept(weak_link_bars, by_dept, "dept_code", "dept_name", title=t("weak_links.by_dept")),
                    key="wl_by_dept", on_select=lambda: _filter_from("wl_by_dept", "wl_dept"),
                    selection_mode="points")
st.caption(t("weak_links.chart_hint"))

# ---- the list: select a row → the link's detail and records
st.subheader(t("weak_links.list_header"))
if shown.empty:
    tables.empty(t("weak_links.none_after_filter"))
    st.stop()
link = url_state.get("link", list(shown["link"]))
ids = tuple(shown["link"])
list_key = f"wl_list_{zlib.crc32('|'.join(ids).encode()):08x}"


def _pick_link() -> None:
    rows = st.session_state[list_key].selection.rows
    url_state.put("link", ids[rows[0]] if rows else None)


st.caption(t("weak_links.list_hint"))
default: Any = {"selection": {"rows": [ids.index(link)]}} if link else None
tables.table(link_tables.list_frame(shown, config.deductions), f"短板清单_{f.label}", key=list_key, placeholder="—",
         height=min(420, 35 * len(shown) + 38), column_config=tables.score_format(tables.header("score")),
         on_select=_pick_link, selection_mode="single-row", selection_default=default)
st.download_button(t("weak_links.meeting_export"),
                   partial(link_tables.meeting_workbook, shown, period=filters.period_text(f, as_of=False),
                           as_of=f"{f.as_of:%Y-%m-%d}", deductions=config.deductions),
                   f"会议材料_短板清单_{f.label}.xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key="wl_meeting", icon=":material/co_present:", help=t("weak_links.meeting_help"), type="primary",
                   on_click="ignore")

st.subheader(t("weak_links.detail_header"))
if link is None:
    tables.empty(t("weak_links.detail_missing") if url_state.get("link") else t("weak_links.detail_pick"))
else:
    row = shown[shown["link"] == link].iloc[0]
    box = st.container(border=True)
    title = escape_md(f"{row['dept_name']} · {row['dimension']} · {row['indicator_name']}")
    box.markdown(f"**{title}** :{'red' if row['severity'] == '严重' else 'orange'}-badge[{row['severity']}]")
    box.markdown(escape_md(link_tables.explain(row, config.deductions)))
    with box:
        definitions.popover(str(row["indicator"]), key="wl_ind_def")
        task_form.weak_link_task(
            row.to_dict(), period=(f.date_from, f.date_to), as_of=f.as_of, key=f"wl_task_{link}",
            value_text=indicator_text.fmt(str(row["indicator"]), row["value"]),
            district_text=indicator_text.fmt(str(row["indicator"]), row["district_value"]))
    records.records_table(request, str(row["dept_code"]), str(row["indicator"]), key="wl_records",
                     scope=str(row["dept_name"]))
