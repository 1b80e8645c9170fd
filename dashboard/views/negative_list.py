"""负面清单落实: the current list version, its publication on the three channels, the
one-to-one mapping of licensing items, the five disclosure elements and stale guides
(mechanisms 2 and 3).

A department picked in a chart sets the global filter (``dept``); the tab is the query
parameter ``nl_tab`` and a picked disclosure element ``nl_element``, so every view is a link.
"""

import streamlit as st

from dashboard import context, drill, filters, shell
from dashboard import negative_list_parts as parts
from dashboard.labels import t
from metrics.results import MetricsRequest
from metrics.views import negative_list as views

units = shell.data_page()
f = filters.current()
dept = drill.scope_dept(f)
dept_name = units.name(dept) if dept else ""
request = MetricsRequest(f.date_from, f.date_to, f.as_of, None, f.street)
result = context.compute(request)

st.title(f"{t('nav.negative_list')} · {dept_name or t('common.district')}")
st.caption(t("negative_list.caption", label=f.label, date_from=f"{f.date_from:%Y-%m-%d}",
             date_to=f"{f.date_to:%Y-%m-%d}", as_of=f"{f.as_of:%Y-%m-%d}"))

parts.version_banner(context.view(views.current_version, f.as_of), f.as_of)
parts.kpis(result, dept)

TABS = {"channels": t("negative_list.tab_channels"), "mapping": t("negative_list.tab_mapping"),
        "elements": t("negative_list.tab_elements"), "guides": t("negative_list.tab_guides")}
tabs = dict(zip(TABS, st.tabs(list(TABS.values()), key="nl_tab", bind="query-params"), strict=True))
with tabs["channels"]:
    parts.channels(f, dept, dept_name)
with tabs["mapping"]:
    parts.mapping(f, result, dept, dept_name)
with tabs["elements"]:
    parts.elements(dept, dept_name)
with tabs["guides"]:
    parts.guides(f, result, dept, dept_name)
