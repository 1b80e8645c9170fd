"""服务渠道: online and mobile application, visits, 好差评, the channel mix by month, by
department and by street, and the online capability of items.

A department or street picked in a chart sets the global filter (``dept`` / ``street``).
"""

import streamlit as st

from dashboard.kit import filters, kpi
from dashboard.kit.escape import escape_md
from dashboard.kit.page import page
from dashboard.kit.scope import Scope
from dashboard.labels import t
from dashboard.screens.channels import sections

ctx = page("channels")
f, dept, request = ctx.filters, ctx.dept, ctx.request
result = ctx.result()
s = Scope(dept, ctx.dept_name)

title_scope = " · ".join(x for x in (s.dept_name or t("common.district"), ctx.units.name(f.street) if f.street else "")
                         if x)
st.title(f"{t('nav.channels')} · {escape_md(title_scope)}")
filters.period_caption(f, result)

st.caption(t("channels.kpi_hint"))
kpi.grid(result, sections.KPIS, dept, per_row=5)

sections.department_compare(result, s)
sections.streets(request, f.street)
sections.unit_mixes(request, result, s, f.street)
sections.monthly(f, s)
sections.visits_and_ratings(request, s)
sections.bad_ratings(request, s)
sections.items(request, s)
