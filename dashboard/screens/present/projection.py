"""全屏放映: the 汇报模式 page as a projector shows it — the slide alone on the screen.

The 展示 role (the meeting screen's account) sees 汇报模式 projected; anyone else switches
with 全屏放映, which sets ``show=1`` in the URL, so the projected view is a link to share.
Projected, the app's chrome (the sidebar with the page list and the filter bar, Streamlit's
header and toolbar) is hidden; the period and department are still the URL's (the filter
bar reads them, unseen). The slide is drawn at the PowerPoint slide's scale, so what the
file fits on a slide fits the screen, and a small bar at the bottom holds the counter,
上一页/下一页 (PageUp/PageDown from a presenter's clicker, and the arrow keys) and 退出放映 (Esc).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard.kit import url_state
from dashboard.kit.escape import escape_md
from dashboard.labels import t
from data.accounts import DISPLAY, Principal

QP_SHOW = "show"
ON, OFF = "1", "0"

# Only CSS (no user text). The sidebar is drawn (the filter bar keeps the URL's period and
# department) but not shown; the main area then takes the whole width.
CHROME_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
footer {display:none !important;}
[data-testid="stMainBlockContainer"] {max-width:none !important; padding:calc(100vw / 960 * 20) 3.75vw
  calc(100vw / 960 * 34) !important;}
[data-testid="stMain"] h1 {font-size:calc(100vw / 960 * 28); padding:0; margin:0; line-height:1.3; color:#1d4f91;}
.st-key-pm_keys {display:none !important;}
.st-key-pm_bar {position:fixed; left:0; right:0; bottom:0; z-index:999; padding:.15rem 1.2rem;
  background:rgba(255,255,255,.92); border-top:1px solid #d5dde8; opacity:.55; transition:opacity .2s;}
.st-key-pm_bar:hover, .st-key-pm_bar:focus-within {opacity:1;}
.st-key-pm_bar p {font-size:.85rem; color:#6b7785; margin:0;}
.st-key-pm_bar button {min-height:1.9rem; padding:0 .6rem;}
.st-key-pm_bar button p {font-size:.85rem;}
</style>
"""


def active(p: Principal | None) -> bool:
    """Whether 汇报模式 is projected: by default for the 展示 role, with ``show=1`` for others."""
    show = url_state.get(QP_SHOW, (ON, OFF), drop_invalid=True)
    if p is not None and p.role == DISPLAY:
        return show != OFF
    return show == ON


def _enter() -> None:
    url_state.put(QP_SHOW, ON)


def _leave(p: Principal) -> None:
    url_state.put(QP_SHOW, OFF if p.role == DISPLAY else None)


def start_button() -> None:
    """全屏放映: switch this page (and its link) to the projected view."""
    st.button(t("present.project"), icon=":material/fullscreen:", key="pm_project", on_click=_enter,
              help=t("present.project_help"), type="secondary")


def chrome() -> None:
    """Hide the app's chrome around the slide."""
    st.markdown(CHROME_CSS, unsafe_allow_html=True)


def controls(p: Principal, n: int, total: int, go: Callable[[int], None], footer: str) -> None:
    """The bar at the bottom of the projected slide: what it is, the counter, the page keys
    and the way out; the arrow keys' buttons are there but not shown."""
    keys = st.container(key="pm_keys")
    keys.button(t("present.prev"), key="pm_left", on_click=go, args=(-1,), disabled=n <= 1, shortcut="Left")
    keys.button(t("present.next"), key="pm_right", on_click=go, args=(1,), disabled=n >= total, shortcut="Right")
    bar = st.container(key="pm_bar", horizontal=True, vertical_alignment="center", gap="small")
    bar.markdown(escape_md(footer), width="stretch")
    bar.button(t("present.prev"), icon=":material/arrow_back:", on_click=go, args=(-1,), disabled=n <= 1,
               key="pm_prev", shortcut="PageUp")
    bar.markdown(f"**{t('present.counter_short', n=n, total=total)}**", width="content")
    bar.button(t("present.next"), icon=":material/arrow_forward:", on_click=go, args=(1,), disabled=n >= total,
               key="pm_next", shortcut="PageDown")
    bar.button(t("present.leave"), icon=":material/fullscreen_exit:", key="pm_leave", on_click=_leave, args=(p,),
               shortcut="Esc", help=t("present.leave_help"))
