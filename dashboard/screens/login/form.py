"""The sign-in form, for the 登录 page and for every page of a link opened while signed out.

Signed out, the entry file registers each real page's URL with this form behind it (hidden
pages, :func:`dashboard.navigation.signed_out`), so a shared drilled link (page, item,
stage, filters in the query string) shows the form in Chinese — never Streamlit's "Page
not found" — and keeps its address.  After sign-in the same address opens the real page
with its query parameters; a role that may not open it lands on its first page with a
Chinese 无权访问 message (:data:`FORBIDDEN_LINK`).
"""

from __future__ import annotations

import streamlit as st

from dashboard.kit import auth, cache
from dashboard.labels import t
from dashboard.navigation import PageSpec, allowed
from data.accounts import user_count

FORBIDDEN_LINK = "_forbidden_link"
"""Session key: the title of a linked page the signed-in role may not open (shown once)."""


def render(target: PageSpec | None = None) -> None:
    """The sign-in form; ``target`` is the page of the link being opened (None: the 登录 page)."""
    st.title(f"{t('app.title')} · {t('auth.title')}")
    st.caption(t("app.subtitle"))
    if st.session_state.get("_expired"):
        st.info(t("auth.expired"), icon=":material/schedule:")
    if target is not None:
        st.info(t("trust.link_after_sign_in", page=t(f"nav.{target.label}")), icon=":material/link:")
    with cache.database().session() as session:
        has_users = user_count(session) > 0
    if not has_users:
        st.warning(t("auth.no_users"), icon=":material/person_off:")
    with st.form("login", border=True, width=420):
        st.caption(t("auth.intro"))
        username = st.text_input(t("auth.username"), key="login_user")
        password = st.text_input(t("auth.password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("auth.submit"), type="primary")
    if not submitted:
        return
    error = auth.sign_in(username, password)
    if error:
        st.error(error, icon=":material/error:")
        return
    if target is not None and not allowed(target.page, cache.principal()):
        st.session_state[FORBIDDEN_LINK] = t(f"nav.{target.label}")
    st.rerun()  # the same address: now the real page (or, if not allowed, the role's first page)


def forbidden_notice() -> None:
    """The 无权访问 message for a link the signed-in role may not open (once)."""
    title = st.session_state.pop(FORBIDDEN_LINK, None)
    if title:
        st.warning(t("trust.forbidden_link", page=title), icon=":material/lock:")
