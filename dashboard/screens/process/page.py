"""办事流程: on-time rate, processing time, overdue work, the stage map with its bottleneck
and monthly control charts — drilled department → item → stage → applications.

Drill state: the department is the global filter (``dept``); the item and the stage are this
page's query parameters ``item`` and ``stage``, so every drilled view is a link.
"""

import streamlit as st

from dashboard.kit import cache, filters, kpi, url_state
from dashboard.kit.escape import escape_md
from dashboard.kit.page import page
from dashboard.kit.scope import Scope
from dashboard.labels import t
from dashboard.screens.process import sections
from metrics.catalog import STAGES
from metrics.views import process as pv

ctx = page("process")
f, dept, request = ctx.filters, ctx.dept, ctx.request
result = ctx.result()
item_table = cache.view(pv.item_process, request, dept) if dept else None
item = url_state.get("item", set(item_table["item_code"]) if item_table is not None else set(), drop_invalid=True)
stage = url_state.get("stage", STAGES, drop_invalid=True)
item_row = item_table[item_table["item_code"] == item].iloc[0].to_dict() if item and item_table is not None else {}
s = Scope(dept, ctx.dept_name, item, str(item_row.get("item_name", "")), stage, item_row)

st.title(f"{t('nav.process')} · {escape_md(s.dept_name or t('common.district'))}")
filters.period_caption(f, result)

# where we are, and the way back up
crumbs = [t("process.crumb_district"), *[x for x in (s.dept_name, s.item_name, s.stage) if x]]
if len(crumbs) > 1:
    row = st.container(horizontal=True, vertical_alignment="center")
    row.markdown(" › ".join(f"**{escape_md(c)}**" if i == len(crumbs) - 1 else escape_md(c)
                            for i, c in enumerate(crumbs)))
    with row:
        if stage:
            url_state.back_button(t("process.back_stage"), "stage", key="pr_back_stage")
        if item:
            url_state.back_button(t("process.back_item"), "item", clear=("stage",), key="pr_back_item")

# headline figures of the item (once one is chosen), else of the department (or the district)
st.caption(t("process.kpi_hint"))
if s.item:
    figures = cache.view(pv.item_figures, request, dept, s.item)
    st.markdown(t("process.kpi_item", item=escape_md(s.item_name), dept=escape_md(s.dept_name)))
    kpi.figures(figures.values, figures.previous, sections.KPIS, per_row=3, partial=result.incomplete)
else:
    kpi.grid(result, sections.KPIS, dept, per_row=3)

sections.department_compare(result, s)
sections.items(result, s, item_table)
sections.stage_map(request, result, s)
sections.applications(request, s)
left, right = st.columns(2)
with left:
    sections.distribution(request, result, s)
with right:
    indicator = sections.control(f.date_to, s, f.street)
sections.flags(request, indicator, s)
sections.backlog(request, s, f.as_of)
