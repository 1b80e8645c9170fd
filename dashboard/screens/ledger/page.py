"""督查督办台账: key cases with deadline, tasks, responsible person, progress and the days
left or overdue at as_of (late rows red, due-soon rows amber); and the 通报候选 of the
period — verified cases found by others that the department did not report itself.

Drill state: the selected case is the query parameter ``case`` (shared with 案例线索).
"""

import streamlit as st

from charts.cases import candidate_bars
from dashboard.kit import cache, definitions, filters, kpi, plots, tables, task_form, url_state
from dashboard.kit.cases import case_detail, case_list
from dashboard.kit.escape import escape_md
from dashboard.kit.page import judged_today_caption, page
from dashboard.labels import t
from dashboard.screens.ledger import tables as ledger_tables
from data import urgings
from metrics.lights import KEY_CASE
from metrics.views import cases as case_views
from metrics.views import ledger as views

ctx = page("ledger")
f, request = ctx.filters, ctx.dept_request
result = ctx.result()
scope = ctx.unit_name(f.dept)

st.title(f"{t('nav.ledger')} · {escape_md(scope)}")
filters.period_caption(f)
c0, c1 = st.columns([6, 1])
c0.caption(t("ledger.caption"))
with c0:
    today = judged_today_caption(f.as_of)  # deadlines are live work: days left/overdue at today
with c1:
    definitions.popover(text=t("ledger.definition"), key="lg_def")

# ---- headline counts
counts = cache.view(views.ledger_counts, request, today)
k = st.columns(4)
k[0].metric(t("ledger.kpi_total"), counts["total"], help=t("ledger.kpi_total_help"), border=True)
with k[1]:
    value = result.value("key_overdue_count", f.dept) if f.dept else result.district.get("key_overdue_count")
    kpi.card("key_overdue_count", value)
k[2].metric(t("ledger.kpi_due_soon"), counts["due_soon"], help=t("ledger.kpi_due_soon_help"), border=True)
k[3].metric(t("ledger.kpi_rectified"), counts["rectified"], border=True,
            help=t("ledger.kpi_rectified_help", late=counts["late_done"]))

# ---- the ledger (late rows highlighted) → case detail
st.subheader(t("ledger.ledger_header"))
ledger = cache.view(views.key_cases, request, today)
if ledger.empty:
    tables.empty(t("ledger.ledger_empty"))
else:
    st.caption(t("ledger.ledger_hint"))
    with cache.database().session() as session:
        urged = urgings.counts(session, (KEY_CASE,))
    case_list(ledger_tables.with_urgings(ledger_tables.with_alerts(ledger), urged), f"督查督办台账_{f.label}", key="lg_ledger",
                    columns=ledger_tables.LEDGER_COLUMNS, styler=ledger_tables.ledger_styler(ledger))

# ---- 通报候选
st.subheader(t("ledger.candidates_header"))
definitions.popover("unreported_count", key="lg_def_unreported")
st.caption(t("ledger.candidates_caption"))
candidates = cache.view(views.notification_candidates, request)
if candidates.empty:
    tables.empty(t("ledger.candidates_empty"))
else:
    by_dept = cache.view(views.candidates_by_dept, request)
    g1, g2 = st.columns([2, 3])
    with g1:
        plots.chart(plots.kept(candidate_bars, by_dept, title=t("ledger.candidates_chart")), key="lg_cand_chart")
    with g2:
        st.caption(t("ledger.candidates_list", n=len(candidates)))
        case_list(candidates, f"通报候选_{f.label}", key="lg_candidates", columns=ledger_tables.CANDIDATE_COLUMNS,
                        height=300)

st.subheader(t("ledger.detail_header"))
case_id = url_state.get("case")
if case_id is None:
    tables.empty(t("ledger.detail_pick"))
else:
    record = cache.view(case_views.case_record, case_id, today)  # live work: as it stands today
    case_detail(record, today, key="lg_detail")
    if record is not None and record.get("key_case"):
        task_form.key_case_task(record, as_of=f.as_of, key=f"lg_task_{case_id}")
