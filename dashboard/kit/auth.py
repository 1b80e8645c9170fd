"""Sign-in bound to an HttpOnly cookie, checked on every run; sign-out; refused deep links;
the demo's role switcher.

The browser's session cookie (:mod:`dashboard.kit.session_cookie`, set by a route of
:mod:`dashboard.server`) carries a server-side session token; every script run resumes the
principal from it (:func:`data.accounts.resume`), so sign-out, a password reset or a
disabled account ends every open tab at its next run, and neither the Streamlit session id
nor its session state signs anyone in.  The principal is put into the session state only as
this run's answer for :func:`dashboard.kit.cache.principal`.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from urllib.parse import quote, urlencode, urlsplit

import streamlit as st

from dashboard.kit import cache, session_cookie
from dashboard.kit.connection import is_demo
from dashboard.kit.escape import escape_md
from dashboard.labels import t
from data import accounts, audit
from data.accounts import ADMIN, DEPT_USER, DISPLAY, LEADER, Principal

DEMO_ROLES = (LEADER, ADMIN, DEPT_USER, DISPLAY)
_HANDOFF = "_auth_handoff"  # the one-time code of a sign-in the browser has not redeemed yet
_EXPIRED = "_expired"


def _set(p: Principal | None) -> None:
    if p is None:
        st.session_state.pop(cache.PRINCIPAL_KEY, None)
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


def browser_token() -> str | None:
    """The session token of this browser's cookie (as sent with the websocket's request)."""
    return st.context.cookies.get(session_cookie.COOKIE) or None


def client_address() -> str | None:
    """The browser's address: the connection's, or behind a proxy on this host (the
    connection comes from a loopback address) the first ``X-Forwarded-For`` / ``X-Real-IP``."""
    address = st.context.ip_address
    address = address if isinstance(address, str) and address else None
    try:
        local = address is None or ipaddress.ip_address(address).is_loopback
    except ValueError:
        local = False
    if local:
        for header in ("X-Forwarded-For", "X-Real-IP"):
            forwarded = st.context.headers.get(header)
            first = forwarded.split(",")[0].strip() if isinstance(forwarded, str) else ""
            if first:
                return first[:64]
    return address


def current() -> Principal | None:
    """The signed-in principal, or None (no cookie, expired, signed out, disabled)."""
    if is_demo():
        role = st.session_state.get("demo_role", LEADER)
        dept = st.session_state.get("demo_dept")
        if role == DEPT_USER and not dept:
            role = LEADER
        p = demo_principal(role, dept)
        _set(p)
        return p
    token = browser_token()
    signed_in = None
    if token:
        with cache.database().session() as session:
            signed_in = accounts.resume(session, token)
        if signed_in is None:
            st.session_state[_EXPIRED] = True
    _set(signed_in)
    return signed_in


def sign_in(username: str, password: str) -> str | None:
    """Sign in; returns a Chinese error message, or None when the browser is to be sent to
    :func:`hand_off` (which sets the cookie)."""
    with cache.database().session() as session:
        outcome = accounts.authenticate(session, username, password, address=client_address())
    if outcome.principal is None or outcome.token is None:
        return outcome.message
    st.session_state[_HANDOFF] = session_cookie.issue(outcome.token)
    st.session_state.pop(_EXPIRED, None)
    return None


def _here() -> str:
    """This page's path and query (where the browser returns after the session route): the
    path the browser shows and the query parameters as they are now (``st.context.url`` holds
    the address the session was opened with, which may lack a drilled link's query)."""
    path = urlsplit(st.context.url or "/").path or "/"
    query = urlencode(st.query_params.to_dict())
    return path + (f"?{query}" if query else "")


def _go(target: str) -> None:
    """Send the browser to ``target`` (a path of this site) and stop the run."""
    st.caption(t("auth.signing_in"))
    st.html(f"<script>window.location.replace({json.dumps(target)});</script>", unsafe_allow_javascript=True)
    st.stop()


def hand_off() -> None:
    """After a sign-in: send the browser to the session route with its one-time code."""
    code = st.session_state.pop(_HANDOFF, None)
    if code is None:
        return
    _go(f"{session_cookie.SESSION_ROUTE}?code={quote(code)}&next={quote(session_cookie.safe_next(_here()))}")


def sign_out() -> None:
    """End this browser's session (every tab of it) and remove the cookie."""
    if not is_demo():
        with cache.database().session() as session:
            accounts.sign_out(session, browser_token())
    _set(None)
    _go(session_cookie.SIGN_OUT_ROUTE)


def refusal(page: str) -> Callable[[], None]:
    """A page for a path of ``page`` the principal may not open: says 无权访问 and logs the
    attempt (the page's own script never runs)."""
    def refuse() -> None:
        p = cache.principal()
        if p is not None and not is_demo():
            with cache.database().session() as session:
                audit.record(session, p.username, "越权访问", page, role=p.role, dept=p.dept)
        st.title(t("auth.forbidden_title"))
        st.warning(t("auth.forbidden"), icon=":material/lock:")

    refuse.__name__ = refuse.__qualname__ = f"refuse_{page}"
    return refuse


def user_box(p: Principal) -> None:
    """The sidebar's account box: who is signed in, the demo role switcher, sign-out."""
    with st.sidebar:
        role = p.role + (f" · {cache.units().name(p.dept)}" if p.dept else "")
        st.caption(f":material/person: {escape_md(p.display_name)}（{escape_md(role)}）")
        if is_demo():
            _demo_switcher()
        elif st.button(t("auth.sign_out"), key="sign_out", icon=":material/logout:"):
            sign_out()


def _demo_switcher() -> None:
    st.selectbox(t("auth.demo_role"), DEMO_ROLES, key="demo_role", help=t("auth.demo_role_help"))
    if st.session_state.get("demo_role") == DEPT_USER:
        names = cache.all_units().names()
        if st.session_state.get("demo_dept") not in names:
            st.session_state["demo_dept"] = next(iter(names), None)
        st.selectbox(t("auth.demo_dept"), list(names), key="demo_dept", format_func=lambda c: names.get(c, c))
