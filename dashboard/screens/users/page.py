"""用户管理 (administrator): accounts, roles, disabling and password resets."""

import streamlit as st

from dashboard.kit import cache, tables
from dashboard.kit.page import require_role
from dashboard.labels import t
from data import accounts

p = require_role("users")
names = cache.all_units().names()

st.title(t("users.page_title"))
with cache.database().session() as session:
    users = accounts.list_users(session)
tables.table(users.assign(dept_name=users["dept_code"].map(names)), "用户", key="users_table",
         columns=["username", "display_name", "role", "dept_name", "active", "locked_until", "last_login_at"],
         empty_reason=t("users.none"))

add, manage = st.columns(2)
with add, st.form("user_add", border=True):
    st.markdown(f"**{t('users.add')}**")
    username = st.text_input(t("auth.username"), max_chars=64)
    display = st.text_input(t("users.display_name"), max_chars=64)
    role = st.selectbox(t("users.role"), accounts.ROLES)
    dept = st.selectbox(t("users.dept"), ["", *names], format_func=lambda c: names.get(c, t("users.no_dept")))
    password = st.text_input(t("auth.password"), type="password", help=t("users.password_rule"))
    if st.form_submit_button(t("users.add"), type="primary"):
        try:
            with cache.database().session() as session:
                accounts.add_user(session, username, password, role, display_name=display or None,
                                  dept=dept or None, actor=p.username)
        except accounts.AccountError as err:
            st.error(str(err), icon=":material/error:")
        else:
            st.success(t("users.added", name=username))
            st.rerun()
with manage, st.form("user_manage", border=True):
    st.markdown(f"**{t('users.manage')}**")
    target = st.selectbox(t("auth.username"), users["username"].tolist())
    action = st.radio(t("users.action"), ["disable", "enable", "reset"], horizontal=True,
                      format_func=lambda a: t(f"users.action_{a}"))
    new_password = st.text_input(t("users.new_password"), type="password", help=t("users.password_rule"))
    if st.form_submit_button(t("users.apply"), type="primary") and target:
        try:
            with cache.database().session() as session:
                if action == "reset":
                    accounts.reset_password(session, target, new_password, actor=p.username)
                else:
                    if target == p.username and action == "disable":
                        raise accounts.AccountError(t("users.no_self_disable"))
                    accounts.set_active(session, target, action == "enable", actor=p.username)
        except accounts.AccountError as err:
            st.error(str(err), icon=":material/error:")
        else:
            st.success(t("users.applied"))
            st.rerun()
