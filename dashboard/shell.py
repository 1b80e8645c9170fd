"""What every page shares around its content: the brand, the 演示 mark, the filter bar."""

from __future__ import annotations

import streamlit as st

from dashboard import auth, context, filters
from dashboard.labels import t
from data.accounts import Principal
from metrics.directory import Directory


def sidebar(p: Principal) -> Directory:
    """Brand, demo mark, account box and filter bar in the sidebar; returns the data directory."""
    with st.sidebar:
        st.markdown(f"### {t('app.title')}")
        st.caption(t("app.subtitle"))
        if context.is_demo():
            st.markdown(
                f":red-badge[:material/science: {t('app.demo_mark')}] "
                f"<span style='color:#6b7785;font-size:0.85em'>{t('app.demo_note')}</span>",
                unsafe_allow_html=True,
            )
    auth.user_box(p)
    units = context.units()
    if units.empty:
        return units
    filters.render(units)
    return units


def require_data(units: Directory) -> bool:
    """False (after saying why) when the database holds no data yet."""
    if units.empty:
        st.info(f"**{t('app.no_data_title')}**\n\n{t('app.no_data_hint')}", icon=":material/database:")
        return False
    return True


def data_page(file: str | None = None) -> Directory:
    """The units of the data, once the page may go on: stops it (saying why) unless the
    signed-in principal may open ``file`` (when given) and the database holds data."""
    if file is not None:
        require_role(file)
    units = context.units()
    if not require_data(units):
        st.stop()
    return units


def require_role(file: str) -> None:
    """Stop the page (with the reason) unless the signed-in principal may open ``file``."""
    from dashboard.navigation import allowed

    if not allowed(file, context.principal()):
        st.warning(t("auth.forbidden"), icon=":material/lock:")
        st.stop()
