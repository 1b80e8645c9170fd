"""What every page shares around its content, in the sidebar: the brand, the 演示 mark, the
account box and the filter bar."""

from __future__ import annotations

import streamlit as st

from dashboard.kit import auth, cache, filters
from dashboard.kit.connection import is_demo
from dashboard.labels import t
from data.accounts import Principal
from metrics.directory import Directory


def sidebar(p: Principal, *, with_filters: bool = True) -> Directory:
    """Brand, demo mark, account box and (on a page about a period: ``with_filters``) the
    filter bar in the sidebar; returns the data directory.  Without the bar, its selection
    is kept for the next page that shows it."""
    with st.sidebar:
        st.markdown(f"### {t('app.title')}")
        st.caption(t("app.subtitle"))
        if is_demo():
            st.markdown(
                f":red-badge[:material/science: {t('app.demo_mark')}] "
                f"<span style='color:#6b7785;font-size:0.85em'>{t('app.demo_note')}</span>",
                unsafe_allow_html=True,
            )
    auth.user_box(p)
    units = cache.units()
    if units.empty:
        return units
    if not with_filters:
        filters.keep()
        return units
    filters.render(units, p.dept if p.is_department else None)
    return units
