"""预警中心: today's red, yellow and green lights (Asia/Shanghai, by working days) per
department and kind, the list behind every count, each item whole with a drill to its
record, and 催办 of red items by a leader or the administrator — a department user sees its
own items and the urgings it received.

Drill state: ``dept`` (the global filter), ``kind``, ``light`` and ``id`` — the links of the
reminders (followup.digest) open ``alerts?dept=&kind=&id=``.
"""

import streamlit as st

from dashboard.kit import lights, url_state
from dashboard.kit.escape import escape_md
from dashboard.kit.page import page
from dashboard.labels import t
from dashboard.screens.alerts import sections
from metrics.lights import KINDS, LIGHTS

ctx = page("alerts")
p, dept = ctx.principal, ctx.dept
board = lights.board()
kind = url_state.get(sections.QP_KIND, KINDS, drop_invalid=True)
light = url_state.get(sections.QP_LIGHT, LIGHTS, drop_invalid=True)
item_id = url_state.get(sections.QP_ID)

st.title(f"{t('nav.alerts')} · {escape_md(ctx.unit_name(dept))}")
lights.judged_caption(board.today)
st.caption(t("alerts.intro"))
if "al_urged" in st.session_state:
    st.success(st.session_state.pop("al_urged"), icon=":material/campaign:")
sections.totals(board, dept)

if p.is_department:
    st.subheader(t("alerts.received_header"))
    n = lights.urgings_received(p.dept, key="al_received")
    if n:
        st.warning(t("alerts.received_count", n=n), icon=":material/campaign:")

sections.counts(board, dept, kind)
sections.item_list(board, dept, kind, light, ctx.unit_name(dept))
sections.item_detail(board, kind, item_id, p)
