"""审批途径: the route mix by department, how each route changes processing time, rejections,
and the promised-limit compression and materials of each item.

A department picked in a chart sets the global filter (``dept``).
"""

import streamlit as st

from dashboard import components as ui
from dashboard import context, drill, filters, shell
from dashboard import routes_parts as parts
from dashboard.labels import t
from metrics.results import MetricsRequest

units = shell.data_page("routes.py")
f = filters.current()
dept = drill.scope_dept(f)
request = MetricsRequest(f.date_from, f.date_to, f.as_of, None, f.street)
result = context.compute(request)
s = drill.Scope(dept, units.name(dept) if dept else "")

st.title(f"{t('nav.routes')} · {s.name}")
ui.period_caption(f, result)

st.caption(t("routes.kpi_hint"))
ui.kpi_grid(result, parts.KPIS, dept, per_row=4)

parts.mix(request, s)
parts.department_compare(result, s)
parts.timing(request, s)
parts.rejections(request, s)
parts.limits(request, s)
