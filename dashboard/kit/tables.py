"""Tables on a page: Chinese headers (from the catalogue or the data contract), 是/否 for
flags, scores to one decimal, — for missing values, CSV and Excel downloads built on click,
and an explanation instead of an empty space.  They only present what :mod:`metrics`
computed; none of them computes an indicator."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache, partial
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.kit.indicator_text import config, name
from dashboard.labels import has, t
from data import contract
from report import spreadsheet


@cache
def _contract_headers() -> dict[str, str]:
    """Column id → Chinese name from the data contract (a later table's name wins, so
    ``nl_code`` of an item is 负面清单事项编码); ids whose name differs by table (``channel``)
    are named in the catalogue's [columns]."""
    return {c.id: c.zh for table in contract.TABLES for c in table.columns}


def header(column: str) -> str:
    """The Chinese header of a column id (labels catalogue, else the data contract)."""
    if has(f"columns.{column}"):
        return t(f"columns.{column}")
    return _contract_headers().get(column, column)


SCORE_COLUMNS = frozenset({"score", "composite", "deductions", "previous_score", "previous_composite",
                           "composite_change", "办事流程", "服务渠道", "审批途径", "监管手段", "制度宣传保障"})


def display(df: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """``df`` (optionally only ``columns``) with Chinese headers, 是/否 for flags and scores
    to one decimal."""
    out = df if columns is None else df.loc[:, [c for c in columns if c in df.columns]]
    out = out.copy()
    for c in out.columns:
        if out[c].dtype == bool:
            out[c] = out[c].map({True: "是", False: "否"})
        elif c in SCORE_COLUMNS:
            out[c] = pd.to_numeric(out[c], errors="coerce").round(1)
    return out.rename(columns={c: header(c) for c in out.columns})


def indicator_columns(df: pd.DataFrame, ratios: Iterable[str] = (), values: Iterable[str] = ()) -> pd.DataFrame:
    """``df`` with indicator columns headed by the indicator's Chinese name: ``ratios`` as
    percentages to one decimal (header ``名称（%）``), ``values`` to two decimals, any other
    indicator column (a count) as it is."""
    out = df.copy()
    names: dict[str, str] = {}
    for col in ratios:
        if col in out.columns:
            out[col] = (pd.to_numeric(out[col], errors="coerce") * 100).round(1)
            names[col] = f"{name(col)}（%）"
    for col in values:
        if col in out.columns:
            out[col] = pd.to_numeric(out[col], errors="coerce").round(2)
            names[col] = name(col)
    known = config().indicators
    names.update({c: name(c) for c in out.columns if c in known and c not in names})
    return out.rename(columns=names)


def percent(df: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Fractions as percentages to one decimal (for non-indicator share columns)."""
    out = df.copy()
    for col in columns:
        if col in out.columns:
            out[col] = (pd.to_numeric(out[col], errors="coerce") * 100).round(1)
    return out


def rounded(df: pd.DataFrame, columns: Iterable[str], digits: int = 1) -> pd.DataFrame:
    """The given numeric columns rounded to ``digits`` decimals."""
    out = df.copy()
    for col in columns:
        if col in out.columns:
            out[col] = pd.to_numeric(out[col], errors="coerce").round(digits)
    return out


def score_format(*headers: str) -> dict[str, Any]:
    """``column_config`` showing the given (Chinese-headed) score columns to one decimal."""
    return {h: st.column_config.NumberColumn(h, format="%.1f") for h in headers}


_KINDS = {
    "percent": lambda: st.column_config.NumberColumn(format="percent"),
    "date": lambda: st.column_config.DateColumn(format="YYYY-MM-DD"),
    "time": lambda: st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
}


def column_formats(**columns: str) -> dict[str, Any]:
    """``column_config`` by column id: ``percent`` (a fraction shown as %, the download keeps
    the fraction), ``date`` or ``time`` display."""
    return {header(col): _KINDS[kind]() for col, kind in columns.items()}


def _xlsx(df: pd.DataFrame, sheet: str) -> bytes:
    """Every cell by its type; text that a spreadsheet would run as a formula stays text."""
    return spreadsheet.to_xlsx_bytes({sheet: df})


def _csv(df: pd.DataFrame) -> bytes:
    return spreadsheet.to_csv_bytes(df)


def downloads(df: pd.DataFrame, filename: str, *, key: str) -> None:
    """CSV (UTF-8 with BOM, opens in Excel) and Excel buttons for a table as shown; the files
    are built only when a button is clicked, not on every run, and a click does not rerun the page."""
    row = st.container(horizontal=True)
    row.download_button(t("common.download_csv"), partial(_csv, df),
                       f"{filename}.csv", "text/csv", key=f"{key}_csv", icon=":material/download:",
                       on_click="ignore")
    row.download_button(t("common.download_xlsx"), partial(_xlsx, df, filename), f"{filename}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key=f"{key}_xlsx", icon=":material/table_view:", on_click="ignore")


def table(df: pd.DataFrame, filename: str, *, key: str, columns: Sequence[str] | None = None,
          height: int | None = None, **kw: Any) -> Any:
    """A table with Chinese headers and its downloads; an explanation when it is empty."""
    shown = display(df, columns)
    if shown.empty:
        empty()
        return None
    kw.setdefault("placeholder", "—")  # missing values, never the English "None"
    event = st.dataframe(shown, hide_index=True, key=key, height=height or "auto", **kw)
    downloads(shown, filename, key=f"{key}_dl")
    return event


def empty(reason: str | None = None) -> None:
    """Say why there is nothing to show, never an empty space."""
    st.info(reason or t("common.empty_reason_period"), icon=":material/info:")
