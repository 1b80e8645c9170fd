"""案例线索: the signed-in principal's 待办 (cases waiting for its handling step); cases received by month, source, category, department and street; the flow
接收 → 转办 → 核查 → 整改 → 办结 with working-day timeliness; the cases overdue at a step;
one case whole.

Drill state (query parameters): ``grp`` = ``<breakdown>:<key>`` (a clicked bar), ``step`` and
``kind`` (a clicked flow bar: reached, pending or overdue), ``case`` (the selected case).
"""

import streamlit as st

from charts.cases import flow_bars, received_bars
from dashboard.kit import cache, definitions, filters, kpi, plots, tables, url_state
from dashboard.kit.case_steps import todo_list
from dashboard.kit.cases import case_detail, case_list
from dashboard.kit.escape import escape_md
from dashboard.kit.page import page
from dashboard.labels import t
from dashboard.screens.cases import tables as case_tables
from metrics.views import cases as views

ctx = page("cases")
f, request = ctx.filters, ctx.dept_request
result = ctx.result()
scope = ctx.unit_name(f.dept)

st.title(f"{t('nav.cases')} · {escape_md(scope)}")
filters.period_caption(f, result)
c0, c1 = st.columns([6, 1])
c0.caption(t("cases.caption"))
with c1:
    definitions.popover(text=t("cases.flow_definition"), key="cs_def_flow")

# ---- what the principal must act on (administrator / responsible unit), overdue ones marked
todo_list(key="cs_todo")

# ---- headline figures (indicators of 监管手段, with their 口径 as help)
st.subheader(t("cases.kpi_header"))
kcols = st.columns(3)
for i, ind in enumerate(("case_count", "verified_count", "transfer_on_time_rate", "rectify_on_time_rate",
                         "overdue_rectification_count", "unreported_count")):
    with kcols[i % 3]:
        kpi.of(result, ind, f.dept)

cases = cache.view(views.received_cases, request)
if cases.empty:
    tables.empty(t("cases.no_cases"))

# ---- received, by a breakdown (click a bar → filter the list)
st.subheader(t("cases.received_header"))
by_labels = {b: t(f"cases.by_{b}") for b in views.BREAKDOWNS}
by = st.segmented_control(t("cases.by_label"), list(by_labels), format_func=lambda b: by_labels.get(b, b), key="cs_by",
                          default="month", required=True) or "month"
breakdown = cache.view(views.received_breakdown, request, by)


def _pick_group() -> None:
    picked = plots.selected_points(st.session_state.get("cs_received"))
    if picked:
        url_state.put("grp", f"{by}:{picked[0]}")
        url_state.clear("step", "kind", "case")


g1, g2 = st.columns([3, 2])
with g1:
    if breakdown["received"].sum() > 0:
        plots.chart(plots.kept(received_bars, breakdown, title=t("cases.received_title", by=by_labels[by]),
                                      horizontal=by != "month"),
                        key="cs_received", on_select=_pick_group, selection_mode="points")
        st.caption(t("cases.received_hint"))
    else:
        tables.empty(t("cases.no_cases"))
with g2:
    definitions.popover("case_count", key="cs_def_count")
    tables.table(case_tables.breakdown_table(breakdown), f"线索接收_{by_labels[by]}_{f.label}", key="cs_breakdown",
             placeholder="—")

# ---- the flow with timeliness (click a bar → those cases)
st.subheader(t("cases.flow_header"))
flow = cache.view(views.case_flow, request)


def _pick_step() -> None:
    picked = plots.selected_points(st.session_state.get("cs_flow"))
    if picked:
        step, _, kind = str(picked[0]).partition("|")
        url_state.put("step", step)
        url_state.put("kind", kind)
        url_state.clear("grp", "case")


kinds = {"reached": t("cases.step_reached"), "pending": t("cases.step_pending"), "overdue": t("cases.step_overdue")}
plots.chart(plots.kept(flow_bars, flow, title=t("cases.flow_title"), labels=kinds), key="cs_flow",
                on_select=_pick_step, selection_mode="points")
st.caption(t("cases.flow_hint"))
definitions.popover("transfer_on_time_rate", key="cs_def_transfer")
tables.table(case_tables.flow_table(flow), f"办理流程时效_{f.label}", key="cs_flow_table", placeholder="—")

# ---- the list (filtered by the clicked bar) → one case
st.subheader(t("cases.list_header"))
step, kind = url_state.get("step", views.STEPS), url_state.get("kind", views.STEP_KINDS)
grp = url_state.get("grp")
what: str | None = None
if step and kind:
    listed = cache.view(views.step_cases, request, step, kind)
    what = t(f"cases.kind_{kind}", step=step)
elif grp and ":" in grp:
    g_by, _, g_key = grp.partition(":")
    listed = cache.view(views.group_cases, request, g_by, g_key) if g_by in views.BREAKDOWNS else cases
    what = f"{by_labels.get(g_by, g_by)} · {g_key or t('cases.no_street')}"
else:
    listed = cases
if what:
    l1, l2 = st.columns([5, 1])
    l1.caption(t("cases.list_filtered", what=what, n=len(listed)))
    l2.button(t("cases.clear_filter"), key="cs_clear", icon=":material/filter_alt_off:",
              on_click=url_state.clear, args=("grp", "step", "kind"))
else:
    st.caption(t("cases.list_all", n=len(listed)))
if listed.empty:
    tables.empty(t("cases.empty_list"))
else:
    case_list(listed, f"案例清单_{f.label}", key="cs_list")

st.subheader(t("cases.detail_header"))
case_id = url_state.get("case")
if case_id is None:
    tables.empty(t("cases.detail_pick"))
else:
    case_detail(cache.view(views.case_record, case_id, f.as_of), f.as_of, key="cs_detail")
