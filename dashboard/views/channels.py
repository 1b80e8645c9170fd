"""服务渠道: online and mobile application, visits, 好差评, the channel mix by month, by
department and by street, and the online capability of items.

A department or street picked in a chart sets the global filter (``dept`` / ``street``).
"""

import streamlit as st

from dashboard import channels_parts as parts
from dashboard import components as ui
from dashboard import context, drill, filters, shell
from dashboard.labels import t
from metrics.results import MetricsRequest

units = shell.data_page("channels.py")
f = filters.current()
dept = drill.scope_dept(f)
request = MetricsRequest(f.date_from, f.date_to, f.as_of, None, f.street)
result = context.compute(request)
s = drill.Scope(dept, units.name(dept) if dept else "")

title_scope = " · ".join(x for x in (s.dept_name or t("common.district"), units.name(f.street) if f.street else "")
                         if x)
st.title(f"{t('nav.channels')} · {title_scope}")
ui.period_caption(f, result)

st.caption(t("channels.kpi_hint"))
ui.kpi_grid(result, parts.KPIS, dept, per_row=5)

parts.department_compare(result, s)
parts.streets(request, f.street)
parts.unit_mixes(request, result, s, f.street)
parts.monthly(f, s)
parts.visits_and_ratings(request, s)
parts.bad_ratings(request, s)
parts.items(request, s)
