"""Rendering helpers of 效能评估 (and the drill-down pieces 短板清单, 案例线索 and 督查督办台账
share): drill state kept in the URL, the records behind an indicator, the indicator table.

Drill-down state lives in page-specific query parameters so that every drilled view is a
link: a selectbox mirrors its parameter (:func:`select_param`), a chart or table selection
callback writes it (:func:`set_param`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import components as ui
from dashboard import context
from dashboard.labels import t
from metrics.results import MetricsRequest

MAX_ROWS = 2000  # rows drawn in a records table (downloads hold them all)


# ---------------------------------------------------------------------- URL drill state


def get_param(name: str, options: Sequence[str] | None = None) -> str | None:
    """The query parameter ``name`` if present (and one of ``options`` when given)."""
    value = st.query_params.get(name)
    if not value or (options is not None and value not in options):
        return None
    return str(value)


def set_param(name: str, value: str | None) -> None:
    """Set (or, for None, remove) a drill-down query parameter."""
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


def clear_params(*names: str) -> None:
    for name in names:
        set_param(name, None)


def select_param(label: str, options: Sequence[str], *, key: str, param: str, placeholder: str,
                 format_func: Callable[[Any], str] = str, clears: Sequence[str] = (), **kw: Any) -> str | None:
    """A selectbox that mirrors the query parameter ``param`` (None = nothing selected):
    the URL seeds it, a change writes the URL and clears the deeper ``clears`` parameters."""
    current = get_param(param, options)
    if st.session_state.get(key) != current:
        st.session_state[key] = current

    def changed() -> None:
        set_param(param, st.session_state.get(key))
        clear_params(*clears)

    return st.selectbox(label, list(options), key=key, index=None, placeholder=placeholder,
                        format_func=format_func, on_change=changed, **kw)


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&")


def escape_md(text: object) -> str:
    """``text`` (data, never trusted) safe inside ``st.markdown``: every markdown, HTML,
    directive and LaTeX character backslash-escaped, line breaks kept."""
    return "".join(f"\\{ch}" if ch in _MD_SPECIAL else ch for ch in str(text)).replace("\n", "  \n")


def text_definition(markdown: str, *, key: str) -> None:
    """A 口径说明 popover for a definition that is not one indicator's (scores, flows)."""
    with st.popover(t("common.definition"), icon=":material/info:", key=key):
        st.markdown(markdown)


# ---------------------------------------------------------------------- records


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
    st.markdown(f"**{t('scorecard.records_header', name=ui.name(indicator))}**")
    try:
        df = context.records(request, dept, indicator)
    except ValueError as err:  # MetricsRequestError: an unknown department or indicator
        st.warning(str(err), icon=":material/warning:")
        return
    if df.empty:
        ui.empty(t("scorecard.records_empty"))
        return
    st.caption(t("scorecard.records_caption", n=len(df), scope=scope))
    shown = tidy(df)
    if len(shown) > MAX_ROWS:
        st.caption(t("scorecard.records_too_many", shown=MAX_ROWS, n=len(shown)))
        ui.downloads(ui.display(shown), f"明细_{ui.name(indicator)}", key=f"{key}_all")
        shown = shown.head(MAX_ROWS)
    ui.table(shown, f"明细_{ui.name(indicator)}", key=key, placeholder="—", height=min(360, 35 * len(shown) + 38))


# ---------------------------------------------------------------------- indicator table


def score_format(*headers: str) -> dict[str, Any]:
    """``column_config`` showing the given (Chinese-headed) score columns to one decimal."""
    return {h: st.column_config.NumberColumn(h, format="%.1f") for h in headers}


def direction_label(direction: str) -> str:
    return t(f"scorecard.direction_{direction}")


def indicator_table(df: pd.DataFrame) -> pd.DataFrame:
    """:func:`metrics.views.scorecard.dimension_indicators` as people read it (Chinese headers)."""
    fmt = [
        (t("scorecard.col_value"), "value"), (t("scorecard.col_district_value"), "district_value"),
        (t("scorecard.col_previous_value"), "previous_value"),
    ]
    out = pd.DataFrame({t("columns.indicator_name"): df["indicator_name"]})
    for label, col in fmt:
        out[label] = [ui.fmt(i, v) for i, v in zip(df["indicator"], df[col], strict=True)]
    for label, col in ((t("scorecard.col_score"), "score"), (t("scorecard.col_district_score"), "district_score"),
                       (t("scorecard.col_previous_score"), "previous_score")):
        out[label] = [t("scorecard.not_scored") if not s else ("—" if pd.isna(v) else f"{float(v):.1f}")
                      for s, v in zip(df["scored"], df[col], strict=True)]
    out[t("scorecard.col_weight")] = ["—" if pd.isna(w) else f"{float(w):g}" for w in df["weight"]]
    out[t("scorecard.col_direction")] = [direction_label(d) for d in df["direction"]]
    return out


def score_table(matrix: pd.DataFrame, dims: Sequence[str], *, ranked: bool) -> pd.DataFrame:
    """The score matrix as a table: departments (by rank when ranked), then the district."""
    district = matrix[matrix["dept_code"] == ""].assign(dept_name=t("scorecard.district_row"))
    depts = matrix[matrix["dept_code"] != ""]
    if ranked:
        depts = depts.sort_values(["rank", "dept_code"], na_position="last", kind="stable")
    data = pd.concat([depts, district], ignore_index=True)
    cols = ["dept_name", *dims, "deductions", "unreported_count", "key_overdue_count", "composite",
            "previous_composite", "composite_change"]
    out = ui.display(data, cols)
    out = out.rename(columns={ui.header("unreported_count"): t("scorecard.col_unreported"),
                              ui.header("key_overdue_count"): t("scorecard.col_key_overdue")})
    if ranked:
        out.insert(0, t("scorecard.col_rank"), data["rank"].astype("Int64").to_numpy())
    return out


def dim_change_table(matrix: pd.DataFrame, dept_code: str, dims: Sequence[str]) -> pd.DataFrame:
    """One row per dimension of one department ("" = district): score, previous score, change."""
    row = matrix[matrix["dept_code"] == dept_code].iloc[0]

    def one(v: object) -> str:
        return t("common.data_insufficient") if pd.isna(v) else f"{float(v):.1f}"  # type: ignore[arg-type]

    return pd.DataFrame({
        t("common.dimension"): list(dims),
        t("columns.score"): [one(row[d]) for d in dims],
        t("columns.previous_score"): [one(row[f"{d}_prev"]) for d in dims],
        t("columns.composite_change"): ["—" if pd.isna(row[f"{d}_change"]) else f"{float(row[f'{d}_change']):+.1f}"
                                        for d in dims],
    })
