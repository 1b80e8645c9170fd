"""数据质量: whether departments report their data whole (全面、全程、全量, mechanism 4):
milestone timestamps, visits and ratings of completed applications by department and month,
records per month against the usual volume, the last import of each table and the import
history.

A heatmap cell sets the department filter and ``dq_month``; the field shown is ``dq_field``
and the tab ``dq_tab``: every drilled view is a link.
"""

import streamlit as st

from dashboard import context, drill, filters, shell
from dashboard import data_quality_parts as parts
from dashboard.labels import t
from metrics.results import MetricsRequest
from metrics.views import data_quality as views

units = shell.data_page()
f = filters.current()
dept = drill.scope_dept(f)
dept_name = units.name(dept) if dept else ""
result = context.compute(MetricsRequest(f.date_from, f.date_to, f.as_of, None, f.street))
start = parts.trend_start(f.date_from, f.date_to)
volume = context.view(views.volume_check, start, f.date_to, f.street)
flagged = volume[volume["dq_flagged"] & ((volume["dept_code"] == dept) if dept else True)]

st.title(f"{t('nav.data_quality')} · {dept_name or t('common.district')}")
st.caption(t("data_quality.caption", label=f.label, date_from=f"{start:%Y-%m}", date_to=f"{f.date_to:%Y-%m}"))
parts.kpis(result, dept, len(flagged))

TABS = {"completeness": t("data_quality.tab_completeness"), "volume": t("data_quality.tab_volume"),
        "imports": t("data_quality.tab_imports")}
tabs = dict(zip(TABS, st.tabs(list(TABS.values()), key="dq_tab", bind="query-params"), strict=True))
with tabs["completeness"]:
    parts.completeness(f, dept, dept_name)
with tabs["volume"]:
    parts.volume(f, dept)
with tabs["imports"]:
    parts.imports()
