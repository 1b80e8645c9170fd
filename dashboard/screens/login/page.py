"""登录: sign in with an account the administrator created."""

import streamlit as st

from dashboard.kit import auth, cache
from dashboard.labels import t
from data.accounts import user_count

st.title(f"{t('app.title')} · {t('auth.title')}")
st.caption(t("app.subtitle"))
if st.session_state.get("_expired"):
    st.info(t("auth.expired"), icon=":material/schedule:")
with cache.database().session() as session:
    has_users = user_count(session) > 0
if not has_users:
    st.warning(t("auth.no_users"), icon=":material/person_off:")
with st.form("login", border=True, width=420):
    st.caption(t("auth.intro"))
    username = st.text_input(t("auth.username"), key="login_user")
    password = st.text_input(t("auth.password"), type="password", key="login_password")
    submitted = st.form_submit_button(t("auth.submit"), type="primary")
if submitted:
    error = auth.sign_in(username, password)
    if error:
        st.error(error, icon=":material/error:")
    else:
        auth.hand_off()
