"""Sign-in, session expiry, sign-out and the demo's role switcher.

The principal of a browser session lives in ``st.session_state`` (what a session is for);
it is re-read from the database on every run, so a disabled account stops at once.  A
session expires after IDLE_LIMIT without activity or SESSION_LIMIT in all.
"""

from __future__ import annotations

import time

import streamlit as st

from dashboard.kit import cache
from dashboard.labels import t
from data import accounts
from data.accounts import ADMIN, DEPT_USER, DISPLAY, LEADER, Principal

IDLE_LIMIT = 2 * 3600
SESSION_LIMIT = 12 * 3600
_AUTH = "_auth"  # {"username", "login_at", "seen_at"}
DEMO_ROLES = (LEADER, ADMIN, DEPT_USER, DISPLAY)


def _set(p: Principal | None) -> None:
    if p is None:
        st.session_state.pop(cache.PRINCIPAL_KEY, None)
        st.session_state.pop(_AUTH, None)
    else:
        st.session_state[cache.PRINCIPAL_KEY] = p


DEMO_NAMES = {LEADER: "演示领导", ADMIN: "演示管理员", DEPT_USER: "演示部门用户", DISPLAY: "演示大屏"}


def demo_principal(role: str, dept: str | None) -> Principal:
    """The demo's signed-in user for a role (no account needed: demo data only)."""
    return Principal(f"demo-{role}", DEMO_NAMES[role], role, dept if role == DEPT_USER else None)


def display_names() -> dict[str, str]:
    """Username → the name people read (an account's 显示名称, the demo's 演示领导...), for
    the operator columns of logs and histories."""
    names = {f"demo-{role}": name for role, name in DEMO_NAMES.items()}
    with cache.database().session() as session:
        users = accounts.list_users(session)
    names.update(zip(users["username"].astype(str), users["display_name"].astype(str), strict=True))
    return names


def current() -> Principal | None:
    """The signed-in principal, or None (expired, signed out, disabled, never signed in)."""
    if cache.is_demo():
        role = st.session_state.get("demo_role", LEADER)
        dept = st.session_state.get("demo_dept")
        if role == DEPT_USER and not dept:
            role = LEADER
        p = demo_principal(role, dept)
        _set(p)
        return p
    auth = st.session_state.get(_AUTH)
    if not auth:
        _set(None)
        return None
    now = time.time()
    if now - auth["seen_at"] > IDLE_LIMIT or now - auth["login_at"] > SESSION_LIMIT:
        _set(None)
        st.session_state["_expired"] = True
        return None
    with cache.database().session() as session:
        signed_in = accounts.principal(session, auth["username"])
    if signed_in is None:
        _set(None)
        return None
    auth["seen_at"] = now
    _set(signed_in)
    return signed_in


def sign_in(username: str, password: str) -> str | None:
    """Sign in; returns a Chinese error message, or None on success."""
    with cache.database().session() as session:
        outcome = accounts.authenticate(session, username, password)
    if outcome.principal is None:
        return outcome.message
    p = outcome.principal
    now = time.time()
    st.session_state[_AUTH] = {"username": p.username, "login_at": now, "seen_at": now}
    st.session_state.pop("_expired", None)
    _set(p)
    return None


def sign_out() -> None:
    p = cache.principal()
    if p is not None and not cache.is_demo():
        from data import audit

        with cache.database().session() as session:
            audit.record(session, p.username, "退出登录", p.username)
    _set(None)


def user_box(p: Principal) -> None:
    """The sidebar's account box: who is signed in, the demo role switcher, sign-out."""
    with st.sidebar:
        role = p.role + (f" · {cache.units().name(p.dept)}" if p.dept else "")
        st.caption(f":material/person: {p.display_name}（{role}）")
        if cache.is_demo():
            _demo_switcher()
        elif st.button(t("auth.sign_out"), key="sign_out", icon=":material/logout:"):
            sign_out()
            st.rerun()


def _demo_switcher() -> None:
    st.selectbox(t("auth.demo_role"), DEMO_ROLES, key="demo_role", help=t("auth.demo_role_help"))
    if st.session_state.get("demo_role") == DEPT_USER:
        names = cache.all_units().names()
        if st.session_state.get("demo_dept") not in names:
            st.session_state["demo_dept"] = next(iter(names), None)
        st.selectbox(t("auth.demo_dept"), list(names), key="demo_dept", format_func=lambda c: names.get(c, c))
