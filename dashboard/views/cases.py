"""案例线索: cases received by month, source, category, department and street; the flow
接收 → 转办 → 核查 → 整改 → 办结 with working-day timeliness; the cases overdue at a step;
one case whole.

Drill state (query parameters): ``grp`` = ``<breakdown>:<key>`` (a clicked bar), ``step`` and
``kind`` (a clicked flow bar: reached, pending or overdue), ``case`` (the selected case).
"""

import streamlit as st

from dashboard import cases_parts as parts
from dashboard import components as ui
from dashboard import context, filters, shell
from dashboard import scorecard_parts as sp
from dashboard.figures.cases import flow_bars, received_bars
from dashboard.labels import t
from metrics.results import MetricsRequest
from metrics.views import cases as views

units = shell.data_page("cases.py")
f = filters.current()
request = MetricsRequest(f.date_from, f.date_to, f.as_of, f.dept, f.street)
result = context.compute(MetricsRequest(f.date_from, f.date_to, f.as_of, None, f.street))
scope = units.name(f.dept) if f.dept else t("common.district")

st.title(f"{t('nav.cases')} · {scope}")
ui.period_caption(f, result)
c0, c1 = st.columns([6, 1])
c0.caption(t("cases.caption"))
with c1:
    sp.text_definition(t("cases.flow_definition"), key="cs_def_flow")

# ---- headline figures (indicators of 监管手段, with their 口径 as help)
st.subheader(t("cases.kpi_header"))
kcols = st.columns(3)
for i, ind in enumerate(("case_count", "verified_count", "transfer_on_time_rate", "rectify_on_time_rate",
                         "overdue_rectification_count", "unreported_count")):
    with kcols[i % 3]:
        if f.dept:
            ui.kpi(ind, result.value(ind, f.dept), result.previous_departments.get(f.dept, {}).get(ind),
                   help_district=result.district.get(ind))
        else:
            ui.kpi(ind, result.district.get(ind), result.previous_district.get(ind))

cases = context.view(views.received_cases, request)
if cases.empty:
    ui.empty(t("cases.no_cases"))

# ---- received, by a breakdown (click a bar → filter the list)
st.subheader(t("cases.received_header"))
by_labels = {b: t(f"cases.by_{b}") for b in views.BREAKDOWNS}
by = st.segmented_control(t("cases.by_label"), list(by_labels), format_func=lambda b: by_labels.get(b, b), key="cs_by",
                          default="month", required=True) or "month"
breakdown = context.view(views.received_breakdown, request, by)


def _pick_group() -> None:
    picked = ui.selected_points(st.session_state.get("cs_received"))
    if picked:
        sp.set_param("grp", f"{by}:{picked[0]}")
        sp.clear_params("step", "kind", "case")


g1, g2 = st.columns([3, 2])
with g1:
    if breakdown["received"].sum() > 0:
        st.plotly_chart(received_bars(breakdown, title=t("cases.received_title", by=by_labels[by]),
                                      horizontal=by != "month"),
                        key="cs_received", on_select=_pick_group, selection_mode="points",
                        config={"displayModeBar": False})
        st.caption(t("cases.received_hint"))
    else:
        ui.empty(t("cases.no_cases"))
with g2:
    ui.definition("case_count", key="cs_def_count")
    ui.table(parts.breakdown_table(breakdown), f"线索接收_{by_labels[by]}_{f.label}", key="cs_breakdown",
             placeholder="—")

# ---- the flow with timeliness (click a bar → those cases)
st.subheader(t("cases.flow_header"))
flow = context.view(views.case_flow, request)


def _pick_step() -> None:
    picked = ui.selected_points(st.session_state.get("cs_flow"))
    if picked:
        step, _, kind = str(picked[0]).partition("|")
        sp.set_param("step", step)
        sp.set_param("kind", kind)
        sp.clear_params("grp", "case")


kinds = {"reached": t("cases.step_reached"), "pending": t("cases.step_pending"), "overdue": t("cases.step_overdue")}
st.plotly_chart(flow_bars(flow, title=t("cases.flow_title"), labels=kinds), key="cs_flow",
                on_select=_pick_step, selection_mode="points", config={"displayModeBar": False})
st.caption(t("cases.flow_hint"))
ui.definition("transfer_on_time_rate", key="cs_def_transfer")
ui.table(parts.flow_table(flow), f"办理流程时效_{f.label}", key="cs_flow_table", placeholder="—")

# ---- the list (filtered by the clicked bar) → one case
st.subheader(t("cases.list_header"))
step, kind = sp.get_param("step", views.STEPS), sp.get_param("kind", views.STEP_KINDS)
grp = sp.get_param("grp")
what: str | None = None
if step and kind:
    listed = context.view(views.step_cases, request, step, kind)
    what = t(f"cases.kind_{kind}", step=step)
elif grp and ":" in grp:
    g_by, _, g_key = grp.partition(":")
    listed = context.view(views.group_cases, request, g_by, g_key) if g_by in views.BREAKDOWNS else cases
    what = f"{by_labels.get(g_by, g_by)} · {g_key or t('cases.no_street')}"
else:
    listed = cases
if what:
    l1, l2 = st.columns([5, 1])
    l1.caption(t("cases.list_filtered", what=what, n=len(listed)))
    l2.button(t("cases.clear_filter"), key="cs_clear", icon=":material/filter_alt_off:",
              on_click=sp.clear_params, args=("grp", "step", "kind"))
else:
    st.caption(t("cases.list_all", n=len(listed)))
if listed.empty:
    ui.empty(t("cases.empty_list"))
else:
    parts.case_list(listed, f"案例清单_{f.label}", key="cs_list")

st.subheader(t("cases.detail_header"))
case_id = sp.get_param("case")
if case_id is None:
    ui.empty(t("cases.detail_pick"))
else:
    parts.case_detail(context.view(views.case_record, case_id, f.as_of), f.as_of, key="cs_detail")
