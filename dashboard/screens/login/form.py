"""The sign-in form, for the 登录 page and for every page of a link opened while signed out.

Signed out, the entry file registers each real page's URL with this form behind it (hidden
pages, :func:`dashboard.navigation.signed_out`), so a shared drilled link (page, item,
stage, filters in the query string) shows the form in Chinese — never Streamlit's "Page
not found" — and keeps its address.  After sign-in the browser goes through the session
route (which sets the HttpOnly cookie, :func:`dashboard.kit.auth.hand_off`) back to the same
address, which then opens the real page with its query parameters; a role that may not open
it gets the hidden 无权访问 page at that address (:func:`dashboard.kit.auth.refusal`, logged).
"""

from __future__ import annotations

import streamlit as st

from dashboard.kit import auth, cache
from dashboard.labels import t
from dashboard.navigation import PageSpec
from data.accounts import user_count


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
    auth.hand_off()  # via the session route back to this same address, signed in
