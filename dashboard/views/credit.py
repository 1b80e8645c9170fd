"""信用分类: business entities by credit risk class (A–D) per supervising department, how the
classes move over time, and the high-risk share month by month (mechanism 7).

A department picked in the grade chart sets the global filter (``dept``); a transition
(``cr_move``) or month (``cr_month``) picked in the movement charts is a query parameter.
"""

import streamlit as st

from dashboard import context, drill, filters, shell
from dashboard import credit_parts as parts
from dashboard.labels import t
from metrics.results import MetricsRequest

units = shell.data_page()
f = filters.current()
dept = drill.scope_dept(f)
dept_name = units.name(dept) if dept else ""
result = context.compute(MetricsRequest(f.date_from, f.date_to, f.as_of, None, f.street))

st.title(f"{t('nav.credit')} · {dept_name or t('common.district')}")
st.caption(t("credit.caption", label=f.label, date_from=f"{f.date_from:%Y-%m-%d}", date_to=f"{f.date_to:%Y-%m-%d}",
             as_of=f"{f.as_of:%Y-%m-%d}"))
parts.kpis(result, dept)
parts.distribution(f, dept)
parts.movements(f, dept, dept_name)
parts.trend(f, dept, dept_name)
