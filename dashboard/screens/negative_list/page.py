"""负面清单落实: the current list version, its publication on the three channels, the
one-to-one mapping of licensing items, the five disclosure elements and stale guides
(mechanisms 2 and 3).

A department picked in a chart sets the global filter (``dept``); the tab is the query
parameter ``nl_tab`` and a picked disclosure element ``nl_element``, so every view is a link.
"""

import streamlit as st

from dashboard.kit import cache
from dashboard.kit.escape import escape_md
from dashboard.kit.page import page
from dashboard.labels import t
from dashboard.screens.negative_list import sections
from metrics.views import negative_list as views

ctx = page("negative_list")
f, dept, dept_name = ctx.filters, ctx.dept, ctx.dept_name
request = ctx.request
result = ctx.result()

st.title(f"{t('nav.negative_list')} · {escape_md(dept_name or t('common.district'))}")
st.caption(t("negative_list.caption", label=f.label, date_from=f"{f.date_from:%Y-%m-%d}",
             date_to=f"{f.date_to:%Y-%m-%d}", as_of=f"{f.as_of:%Y-%m-%d}"))

sections.version_banner(cache.view(views.current_version, f.as_of), f.as_of)
sections.kpis(result, dept, f.as_of)

TABS = {"channels": t("negative_list.tab_channels"), "mapping": t("negative_list.tab_mapping"),
        "elements": t("negative_list.tab_elements"), "guides": t("negative_list.tab_guides")}
tabs = dict(zip(TABS, st.tabs(list(TABS.values()), key="nl_tab", bind="query-params"), strict=True))
with tabs["channels"]:
    sections.channels(f, dept, dept_name)
with tabs["mapping"]:
    sections.mapping(f, result, dept, dept_name)
with tabs["elements"]:
    sections.elements(dept, dept_name)
with tabs["guides"]:
    sections.guides(f, result, dept, dept_name)
