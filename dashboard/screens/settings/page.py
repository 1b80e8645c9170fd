"""指标设置 (administrator): floors, targets and weights of the scored indicators.

Changes are validated by the same loader as the configuration file (weights sum to 1,
floor ≠ target …) before they are saved; every page then scores with them.
"""

import pandas as pd
import streamlit as st

from dashboard.kit import cache, tables
from dashboard.kit.page import require_role
from dashboard.labels import t
from dashboard.screens.settings import alerts as alert_settings
from dashboard.screens.settings import screening as screening_settings
from data import settings as store
from metrics.config import ConfigError, load_config

p = require_role("settings")
st.title(t("settings.page_title"))
st.caption(t("settings.intro"))

with cache.database().session() as session:
    overrides = store.get(session, store.INDICATOR_OVERRIDES) or {}
cfg = load_config(overrides=overrides or None)
rows = [{"id": i.id, "indicator_name": i.name, "dimension": cfg.dimension(i.dimension).name,
         "floor": i.floor, "target": i.target, "weight": i.weight}
        for i in (cfg.indicator(x) for x in cfg.scored_indicators)]
edited = st.data_editor(
    pd.DataFrame(rows), key="settings_editor", hide_index=True, disabled=["id", "indicator_name", "dimension"],
    column_config={
        "id": st.column_config.TextColumn(t("settings.id")),
        "indicator_name": st.column_config.TextColumn(t("columns.indicator_name")),
        "dimension": st.column_config.TextColumn(t("columns.dimension")),
        "floor": st.column_config.NumberColumn(t("settings.floor"), format="%.3f"),
        "target": st.column_config.NumberColumn(t("settings.target"), format="%.3f"),
        "weight": st.column_config.NumberColumn(t("settings.weight"), format="%.3f", min_value=0.0, max_value=1.0),
    },
)
dims = {d.id: d for d in cfg.dimensions}
st.markdown(f"**{t('settings.dimension_weights')}**")
dim_cols = st.columns(len(dims))
dim_weights = {d_id: c.number_input(d.name, 0.0, 1.0, float(d.weight), 0.05, key=f"dimw_{d_id}")
               for c, (d_id, d) in zip(dim_cols, dims.items(), strict=True)}
c1, c2 = st.columns([1, 5])
if c1.button(t("settings.save"), type="primary", key="settings_save"):
    new = {"indicators": {r.id: {"floor": float(r.floor), "target": float(r.target), "weight": float(r.weight)}
                          for r in edited.itertuples()},
           "dimensions": {k: {"weight": float(v)} for k, v in dim_weights.items()}}
    if store.SCREENING in overrides:  # the screening settings below are saved on their own
        new[store.SCREENING] = overrides[store.SCREENING]
    try:
        load_config(overrides=new)
    except ConfigError as err:
        st.error(t("settings.invalid"), icon=":material/error:")
        for problem in err.problems:
            st.text(problem)
    else:
        with cache.database().session() as session:
            store.put(session, store.INDICATOR_OVERRIDES, new, p.username)
        cache.invalidate()
        st.success(t("settings.saved"))
if overrides and c2.button(t("settings.reset"), key="settings_reset"):
    with cache.database().session() as session:
        if store.SCREENING in overrides:  # back to the file's indicators; the screening settings stay
            store.put(session, store.INDICATOR_OVERRIDES, {store.SCREENING: overrides[store.SCREENING]}, p.username)
        else:
            store.clear(session, store.INDICATOR_OVERRIDES, p.username)
    cache.invalidate()
    st.rerun()
tables.empty(t("settings.overridden") if overrides else t("settings.defaults"))
st.divider()
screening_settings.section(p)

st.divider()
alert_settings.thresholds(p)
alert_settings.contacts(p)
