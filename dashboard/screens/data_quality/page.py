"""数据质量: whether departments report their data whole (全面、全程、全量, mechanism 4):
milestone timestamps, visits and ratings of completed applications by department and month,
records per month against the usual volume, the last import of each table and the import
history.

A heatmap cell sets the department filter and ``dq_month``; the field shown is ``dq_field``
and the tab ``dq_tab``: every drilled view is a link.
"""

import streamlit as st

from dashboard.kit import cache
from dashboard.kit.escape import escape_md
from dashboard.kit.page import page
from dashboard.labels import t
from dashboard.screens.data_quality import sections
from metrics.periods import trailing_year_start
from metrics.views import data_quality as views

ctx = page("data_quality")
f, dept, dept_name = ctx.filters, ctx.dept, ctx.dept_name
result = ctx.result()
start = trailing_year_start(f.date_from, f.date_to)
volume = cache.view(views.volume_check, start, f.date_to, f.street)
flagged = volume[volume["dq_flagged"] & ((volume["dept_code"] == dept) if dept else True)]

st.title(f"{t('nav.data_quality')} · {escape_md(dept_name or t('common.district'))}")
st.caption(t("data_quality.caption", label=f.label, date_from=f"{start:%Y-%m}", date_to=f"{f.date_to:%Y-%m}"))
sections.kpis(result, dept, len(flagged))

TABS = {"completeness": t("data_quality.tab_completeness"), "volume": t("data_quality.tab_volume"),
        "imports": t("data_quality.tab_imports")}
tabs = dict(zip(TABS, st.tabs(list(TABS.values()), key="dq_tab", bind="query-params"), strict=True))
with tabs["completeness"]:
    sections.completeness(f, dept, dept_name)
with tabs["volume"]:
    sections.volume(f, dept)
with tabs["imports"]:
    sections.imports()
