"""审批途径: the route mix by department, how each route changes processing time, rejections,
and the promised-limit compression and materials of each item.

A department picked in a chart sets the global filter (``dept``).
"""

import streamlit as st

from dashboard.kit import filters, kpi
from dashboard.kit.escape import escape_md
from dashboard.kit.page import page
from dashboard.kit.scope import Scope
from dashboard.labels import t
from dashboard.screens.routes import sections

ctx = page("routes")
f, dept, request = ctx.filters, ctx.dept, ctx.request
result = ctx.result()
s = Scope(dept, ctx.dept_name)

st.title(f"{t('nav.routes')} · {escape_md(s.name)}")
filters.period_caption(f, result)

st.caption(t("routes.kpi_hint"))
kpi.grid(result, sections.KPIS, dept, per_row=4)

sections.mix(request, s)
sections.department_compare(result, s)
sections.timing(request, s)
sections.rejections(request, s)
sections.limits(request, s)
