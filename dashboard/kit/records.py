"""The records behind an indicator, as a table people read: what a figure counts, one row
per application, case or item, with downloads (the rows come from ``metrics.records``
through the cache boundary).  Used wherever a figure opens its records (效能评估, 短板清单)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.kit import application, cache, tables
from dashboard.kit.indicator_text import name
from dashboard.labels import t
from metrics.results import MetricsRequest

RENAMED = {
    "pub_count": "scorecard.col_pub_count", "compression": "scorecard.col_compression",
    "used_share": "scorecard.col_used_share", "published": "scorecard.col_published",
    "transfer_wd": "scorecard.col_transfer_wd",
}
"""Columns of ``metrics.records`` without a shared header: named here (not in [columns],
so that another page's owner may still define them there)."""


def tidy(df: pd.DataFrame) -> pd.DataFrame:
    """Records for people: datetimes at midnight as dates, ratio helper columns as %."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            stamps = s.dropna()
            if len(stamps) == 0 or (stamps == stamps.dt.normalize()).all():
                out[col] = pd.Series([d.date() if not pd.isna(d) else None for d in s], index=s.index, dtype=object)
            else:
                out[col] = s.dt.strftime("%Y-%m-%d %H:%M").astype("string")
        elif s.dtype.kind == "f" and col.endswith("_hours"):
            out[col] = s.round(1)
    for col in ("compression", "used_share"):
        if col in out.columns:
            out[col] = [None if pd.isna(v) else f"{100 * float(v):.1f}%" for v in out[col]]
    return out.rename(columns={c: t(k) for c, k in RENAMED.items() if c in out.columns})


def records_table(request: MetricsRequest, dept: str | None, indicator: str, *, key: str, scope: str) -> None:
    """The records behind ``indicator`` for ``dept`` (None = district), with downloads."""
    st.markdown(f"**{t('scorecard.records_header', name=name(indicator))}**")
    try:
        df = cache.records(request, dept, indicator)
    except ValueError as err:  # MetricsRequestError: an unknown department or indicator
        st.warning(str(err), icon=":material/warning:")
        return
    if df.empty:
        tables.empty(t("scorecard.records_empty"))
        return
    st.caption(t("scorecard.records_caption", n=len(df), scope=scope))
    shown = tidy(df)
    application.record_table(request, shown, f"明细_{name(indicator)}", key=key, placeholder="—",
                             height=min(360, 35 * len(shown) + 38))
