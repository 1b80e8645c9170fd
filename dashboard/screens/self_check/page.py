"""部门自查: a department's own scores against the district, its weak links and tasks, and
the periodic 排查 of mechanism 5 whose findings become cases (source 部门自查), and the
department's own report (PPTX/PDF, the 汇报模式 deck of that department, 排查 included).

A department user sees only its own figures and, beside them, the district's published
aggregates (labelled 全区): the radar's district series is scored from those aggregates."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from charts.common import dimension_radar
from dashboard import navigation
from dashboard.kit import cache, deck_files, decks, indicator_text, lights, plots, tables
from dashboard.kit.page import judged_today_caption, page
from dashboard.labels import t
from data import self_checks
from data import tasks as task_store
from metrics.periods import calendar_key
from metrics.tables import weak_link_table

ctx = page("self_check")
p, f = ctx.principal, ctx.filters
# the period the 排查 is filed under (as in the report); none for a span that is no calendar period
period = calendar_key(f.date_from, f.date_to)
names = cache.all_units().names()

st.title(t("self_check.page_title"))
st.caption(f"{f.label} · {t('self_check.intro')}")

if p.is_department:
    dept = p.dept
else:
    st.subheader(t("self_check.submissions", period=f.label))
    if period is None:
        st.caption(t("self_check.not_a_period"))
    else:
        with cache.database().session() as session:
            done = self_checks.submissions(session, period)
        status = pd.DataFrame({"dept_code": list(names), "dept_name": list(names.values())})
        status["self_check_submitted"] = status["dept_code"].isin(done["dept_code"])
        c1, c2 = st.columns([1, 3])
        c1.metric(t("self_check.submitted_count"), f"{int(status['self_check_submitted'].sum())} / {len(status)}",
                  border=True)
        with c2:
            tables.table(status, f"{f.label}自查提交情况", key="sc_status", columns=["dept_name", "self_check_submitted"],
                         height=240)
    dept = f.dept or st.selectbox(t("self_check.pick_dept"), list(names.keys()), format_func=lambda c: names[c],
                                  key="sc_dept")
assert dept is not None
dept_name = names.get(dept, dept)

result = cache.compute(replace(ctx.request, dept=dept))
cfg = indicator_text.config()
dims = [d.name for d in cfg.dimensions]
own = result.scores.get(dept)
# the district's dimension scores, scored from its published aggregate values (every role)
district = cache.engine().scores_of(result.district)
st.subheader(t("self_check.scores", dept=dept_name))
s1, s2 = st.columns([2, 3])
with s1:
    series = {dept_name: [own.dimensions.get(d) if own else None for d in dims],
              t("common.district"): [district.dimensions.get(d) for d in dims]}
    plots.chart(plots.kept(dimension_radar, dims, series, title=t("self_check.radar")), key="sc_radar")
with s2:
    rows = [{"indicator_name": indicator_text.name(i), "value": indicator_text.fmt(i, result.value(i, dept)),
             "district_value": indicator_text.fmt(i, result.district.get(i)),
             "score": own.indicators.get(i) if own else None}
            for i in cfg.scored_indicators]
    tables.table(pd.DataFrame(rows), f"{dept_name}指标", key="sc_values", height=380)
    if own is not None:
        st.caption(t("self_check.composite", score=indicator_text.score_text(own.composite), deductions=own.deductions))

st.subheader(t("self_check.weak_links"))
links = weak_link_table(result)
links = links[links["dept_code"] == dept]
if links.empty:
    st.success(t("self_check.no_weak_links"), icon=":material/check_circle:")
else:
    tables.table(links.assign(value=[indicator_text.fmt(i, v) for i, v in zip(links["indicator"], links["value"], strict=True)]),
             f"{dept_name}短板", key="sc_links",
             columns=["dimension", "indicator_name", "value", "score", "reason", "severity"])

st.subheader(t("self_check.tasks"))
today = judged_today_caption(f.as_of)
with cache.database().session() as session:
    tasks = task_store.list_tasks(session, p, today)
tasks = tasks[tasks["dept_code"] == dept]
if tasks.empty:
    st.caption(t("tasks.none"))
else:
    tables.table(tasks.assign(task_overdue=tasks["overdue"]), f"{dept_name}整改任务", key="sc_tasks",
             columns=["id", "title", "responsible", "deadline", "days_left", "status", "progress", "task_overdue"])
    st.page_link(navigation.script("tasks"), label=t("self_check.to_tasks"), icon=":material/task_alt:")

st.subheader(t("alerts.received_header"))
if lights.urgings_received(dept, key="sc_urgings"):
    st.page_link(navigation.script("alerts"), label=t("alerts.overview_open"), icon=":material/notifications_active:")

st.subheader(t("self_check.report_title", dept=dept_name))
st.caption(t("self_check.report_hint", period=f.label))
report_request = replace(ctx.request, dept=dept)
deck_files.built_downloads(decks.deck_builder(report_request, dept), deck_files.file_stem(report_request, dept, dept_name),
                           key="sc_dl", help=t("self_check.report_help"),
                           labels={"pptx": t("self_check.download_pptx"), "pdf": t("self_check.download_pdf")})

st.subheader(t("self_check.form_title", period=f.label))
if period is None:
    st.info(t("self_check.not_a_period"), icon=":material/date_range:")
    st.stop()
with cache.database().session() as session:
    mine = self_checks.submissions(session, period, p)
mine = mine[mine["dept_code"] == dept]
if not mine.empty:
    st.info(t("self_check.already", at=str(mine.iloc[0]["submitted_at"]), by=mine.iloc[0]["submitted_by"]),
            icon=":material/assignment_turned_in:")
may_submit = p.role in ("部门用户", "管理员") and p.may_see(dept)
if not may_submit:
    st.caption(t("auth.read_only"))
    st.stop()
with st.form("self_check_form", border=True):
    q1 = st.checkbox(t("self_check.q_prohibited"), key="sc_q1")
    q2 = st.checkbox(t("self_check.q_licensed"), key="sc_q2")
    q3 = st.checkbox(t("self_check.q_barriers"), key="sc_q3")
    scope = st.text_area(t("self_check.scope_note"), key="sc_scope", max_chars=2000)
    st.caption(t("self_check.findings_hint"))
    findings = st.data_editor(
        pd.DataFrame({"category": pd.Series([], dtype="string"), "summary": pd.Series([], dtype="string")}),
        num_rows="dynamic", key="sc_findings", width="stretch",
        column_config={
            "category": st.column_config.SelectboxColumn(t("self_check.category"), options=list(self_checks.FINDING_CATEGORIES), required=True),
            "summary": st.column_config.TextColumn(t("self_check.summary"), max_chars=500, required=True),
        },
    )
    if st.form_submit_button(t("self_check.submit"), type="primary"):
        # every row as the form numbers it (a blank row is skipped by submit, a half-filled one refused)
        items = [self_checks.Finding("" if pd.isna(r.category) else str(r.category),
                                     "" if pd.isna(r.summary) else str(r.summary))
                 for r in findings.itertuples()]
        try:
            with cache.database().session() as session:
                ids = self_checks.submit(session, p, dept=dept, period=period, prohibited_approved=q1,
                                         licensed_violations=q2, hidden_barriers=q3, scope_note=scope,
                                         findings=items)
        except self_checks.SelfCheckError as err:
            st.error(str(err), icon=":material/error:")
        else:
            cache.invalidate()
            st.success(t("self_check.submitted", cases="、".join(ids) or t("self_check.no_cases")))
