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

shell.require_role("routes.py")
units = context.units()
if not shell.require_data(units):
    st.stop()
f = filters.current()
dept = drill.scope_dept(f)
request = MetricsRequest(f.date_from, f.date_to, f.as_of, None, f.street)
result = context.compute(request)
s = drill.Scope(dept, units.name(dept) if dept else "")

st.title(f"{t('nav.routes')} · {s.name}")
st.caption(f"{f.label}（{f.date_from:%Y-%m-%d} 至 {f.date_to:%Y-%m-%d}，评估基准日 {f.as_of:%Y-%m-%d}）")
if result.calendar_note:
    st.warning(result.calendar_note, icon=":material/calendar_month:")

st.caption(t("routes.kpi_hint"))
for row in (parts.KPIS[:4], parts.KPIS[4:]):
    cols = st.columns(4)
    for col, ind in zip(cols, row, strict=True):
        with col:
            if dept:
                ui.kpi(ind, result.value(ind, dept), result.previous_departments.get(dept, {}).get(ind),
                       help_district=result.district.get(ind))
            else:
                ui.kpi(ind, result.district.get(ind), result.previous_district.get(ind))

parts.mix(request, s)
parts.department_compare(result, s)
parts.timing(request, s)
parts.rejections(request, s)
parts.limits(request, s)
