"""信用分类: business entities by credit risk class (A–D) per supervising department, how the
classes move over time, and the high-risk share month by month (mechanism 7).

A department picked in the grade chart sets the global filter (``dept``); a transition
(``cr_move``) or month (``cr_month``) picked in the movement charts is a query parameter.
"""

import streamlit as st

from dashboard.kit.escape import escape_md
from dashboard.kit.page import page
from dashboard.labels import t
from dashboard.screens.credit import sections

ctx = page("credit")
f, dept, dept_name = ctx.filters, ctx.dept, ctx.dept_name
result = ctx.result()

st.title(f"{t('nav.credit')} · {escape_md(dept_name or t('common.district'))}")
st.caption(t("credit.caption", label=f.label, date_from=f"{f.date_from:%Y-%m-%d}", date_to=f"{f.date_to:%Y-%m-%d}",
             as_of=f"{f.as_of:%Y-%m-%d}"))
sections.kpis(result, dept)
sections.distribution(f, dept)
sections.movements(f, dept, dept_name)
sections.trend(f, dept, dept_name)
