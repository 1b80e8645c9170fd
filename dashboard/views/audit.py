"""操作日志 (administrator): every change made through the interface and every import."""

import streamlit as st

from dashboard import components as ui
from dashboard import context, shell
from dashboard.labels import t
from data import audit

shell.require_role("audit.py")
st.title(t("audit.page_title"))
st.caption(t("audit.intro"))
who = st.text_input(t("audit.user_filter"), key="audit_user", max_chars=64)
with context.database().session() as session:
    log = audit.entries(session, limit=2000, user=who.strip() or None)
ui.table(log, "操作日志", key="audit_table", columns=["at", "user_name", "action", "target", "detail"])
