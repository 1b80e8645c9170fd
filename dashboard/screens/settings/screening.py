"""The screening settings on 指标设置 (administrator): the local area (district, city or
province prefix of the credit code's division code) and the thresholds of screening.md.

Saved with the indicator overrides by ``data.settings.put_screening`` — validated as a
whole by the configuration loader (``metrics.screening.settings.validate_overrides``) and
audited in the same transaction; the cache is keyed by the settings, so every page screens
with them at once.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.kit import cache
from dashboard.labels import t
from data import settings as store
from data.accounts import Principal
from metrics.config import ConfigError, load_config
from metrics.screening.settings import validate_overrides

PREFIXES = ("440704", "4407", "44")
"""The areas offered: 江海区, 江门市, 广东省."""


def values_from(prefix: str, min_group: int, rate_points: float, days: float, visits: float,
                fdr: float) -> dict[str, Any]:
    """The settings as stored (the rate gap from percentage points to a fraction)."""
    return {"local_prefix": prefix, "min_group": int(min_group), "min_rate_gap": round(rate_points / 100, 6),
            "min_days_gap": float(days), "min_visits_gap": float(visits), "fdr": float(fdr)}


def section(p: Principal) -> None:
    st.subheader(t("screening_settings.header"))
    st.caption(t("screening_settings.intro"))
    with cache.database().session() as session:
        overrides = store.get(session, store.INDICATOR_OVERRIDES) or {}
    rules = load_config(overrides=overrides or None).screening
    options = list(PREFIXES) if rules.local_prefix in PREFIXES else [*PREFIXES, rules.local_prefix]
    with st.form("scr_settings", border=True):
        c1, c2, c3 = st.columns(3)
        prefix = c1.selectbox(t("screening_settings.local_prefix"), options, index=options.index(rules.local_prefix),
                              key="scr_set_prefix",
                              format_func=lambda x: t(f"screening_settings.prefix_{x}") if x in PREFIXES else x)
        min_group = c2.number_input(t("screening_settings.min_group"), min_value=1, max_value=100_000, step=1,
                                    value=rules.min_group, key="scr_set_group")
        fdr = c3.number_input(t("screening_settings.fdr"), min_value=0.001, max_value=1.0, step=0.01, format="%.3f",
                              value=rules.fdr, key="scr_set_fdr")
        c4, c5, c6 = st.columns(3)
        rate = c4.number_input(t("screening_settings.min_rate_gap"), min_value=0.0, max_value=100.0, step=1.0,
                               format="%.1f", value=rules.min_rate_gap * 100, key="scr_set_rate")
        days = c5.number_input(t("screening_settings.min_days_gap"), min_value=0.0, step=0.5, format="%.1f",
                               value=rules.min_days_gap, key="scr_set_days")
        visits = c6.number_input(t("screening_settings.min_visits_gap"), min_value=0.0, step=0.1, format="%.2f",
                                 value=rules.min_visits_gap, key="scr_set_visits")
        submitted = st.form_submit_button(t("screening_settings.save"), type="primary")
    if submitted:
        save(p, values_from(str(prefix), int(min_group), float(rate), float(days), float(visits), float(fdr)))
    if store.SCREENING in overrides:
        st.caption(t("screening_settings.overridden"))
        if st.button(t("screening_settings.reset"), key="scr_set_reset"):
            with cache.database().session() as session:
                store.clear_screening(session, p.username)
            cache.invalidate()
            st.rerun()
    else:
        st.caption(t("screening_settings.defaults"))


def save(p: Principal, values: dict[str, Any]) -> None:
    try:
        with cache.database().session() as session:
            store.put_screening(session, values, p.username, validate_overrides)
    except ConfigError as err:
        st.error(t("screening_settings.invalid"), icon=":material/error:")
        for problem in err.problems:
            st.text(problem)
        return
    cache.invalidate()
    st.success(t("screening_settings.saved"), icon=":material/check_circle:")
