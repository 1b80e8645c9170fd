"""办事流程: on-time rate, processing time, overdue work, the stage map with its bottleneck
and monthly control charts — drilled department → item → stage → applications.

Drill state: the department is the global filter (``dept``); the item and the stage are this
page's query parameters ``item`` and ``stage``, so every drilled view is a link.
"""

import streamlit as st

from dashboard import components as ui
from dashboard import context, drill, filters, shell
from dashboard import process_parts as parts
from dashboard.labels import t
from metrics.catalog import STAGES
from metrics.results import MetricsRequest
from metrics.views import process as pv

units = shell.data_page("process.py")
f = filters.current()
dept = drill.scope_dept(f)
request = MetricsRequest(f.date_from, f.date_to, f.as_of, None, f.street)
result = context.compute(request)
item_table = context.view(pv.item_process, request, dept) if dept else None
item = drill.param("item", set(item_table["item_code"]) if item_table is not None else set())
stage = drill.param("stage", STAGES)
item_row = item_table[item_table["item_code"] == item].iloc[0].to_dict() if item and item_table is not None else {}
s = drill.Scope(dept, units.name(dept) if dept else "", item, str(item_row.get("item_name", "")), stage,
                item_row)

st.title(f"{t('nav.process')} · {s.dept_name or t('common.district')}")
ui.period_caption(f, result)

# where we are, and the way back up
crumbs = [t("process.crumb_district"), *[x for x in (s.dept_name, s.item_name, s.stage) if x]]
if len(crumbs) > 1:
    row = st.container(horizontal=True, vertical_alignment="center")
    row.markdown(" › ".join(f"**{c}**" if i == len(crumbs) - 1 else c for i, c in enumerate(crumbs)))
    with row:
        if stage:
            drill.back_button(t("process.back_stage"), "stage", key="pr_back_stage")
        if item:
            drill.back_button(t("process.back_item"), "item", clear=("stage",), key="pr_back_item")

# headline figures of the department (or the district)
st.caption(t("process.kpi_hint"))
ui.kpi_grid(result, parts.KPIS, dept, per_row=3)

parts.department_compare(result, s)
parts.items(result, s, item_table)
parts.stage_map(request, result, s)
parts.applications(request, s)
left, right = st.columns(2)
with left:
    parts.distribution(request, result, s)
with right:
    indicator = parts.control(f.date_to, s, f.street)
parts.flags(request, indicator, s)
parts.backlog(request, s, f.as_of)
