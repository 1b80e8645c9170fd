"""操作日志 (administrator): every change made through the interface and every import."""

import streamlit as st

from dashboard.kit import cache, tables
from dashboard.kit.escape import escape_md
from dashboard.kit.page import require_role
from dashboard.labels import t
from dashboard.screens.audit.tables import readable
from data import audit

require_role("audit")
st.title(t("audit.page_title"))
st.caption(t("audit.intro"))
who = st.text_input(t("audit.user_filter"), key="audit_user", max_chars=64)
with cache.database().session() as session:
    log = audit.entries(session, limit=2000, user=who.strip() or None)
tables.table(readable(log, cache.code_names()["dept"]), "操作日志", key="audit_table", columns=["at", "user_name", "action", "target", "detail"],
             empty_reason=t("audit.none_for_user", user=escape_md(who.strip())) if who.strip() else t("audit.none"))
