"""Cases on a page, shared by 案例线索 and 督查督办台账: a selectable case list whose selection
is the ``case`` query parameter, and one case whole — its free text (summary, tasks, names)
shown as plain text, never as HTML or markdown — with its 办理 panel
(:mod:`dashboard.kit.case_steps`)."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.kit import tables, url_state
from dashboard.kit.case_steps import handling_panel
from dashboard.kit.escape import escape_md
from dashboard.labels import t

LIST_COLUMNS = ["case_id", "received_date", "source", "category", "dept_name", "street_name", "case_progress",
                "transfer_wd", "verify_wd", "rectify_wd", "waiting_wd", "rectify_deadline", "days_overdue", "summary"]
DETAIL_FIELDS = ["case_id", "received_date", "source", "category", "dept_code", "dept_name", "street_code",
                 "street_name", "status", "case_progress", "transferred_date", "verified_date", "verified",
                 "dept_reported", "key_case", "rectify_deadline", "rectified_date", "closed_date",
                 "responsible_person", "transfer_wd", "verify_wd", "rectify_wd", "close_wd", "waiting_wd"]


def _drawn(cases: pd.DataFrame, columns: Sequence[str]) -> tuple[pd.DataFrame, Any]:
    """A case list with Chinese headers (``transfer_wd`` named as in :mod:`dashboard.kit.records`),
    and what ``st.dataframe`` draws of it (:func:`dashboard.kit.tables.drawn_data`)."""
    return tables.drawn_data(cases, [c for c in columns if c in cases.columns],
                             {"transfer_wd": t("scorecard.col_transfer_wd"), "alert": t("ledger.col_alert")})


def case_list(cases: pd.DataFrame, filename: str, *, key: str, columns: Sequence[str] = LIST_COLUMNS,
              param: str = "case", height: int = 360, styler: Any = None) -> str | None:
    """A selectable case table: selecting a row sets the query parameter ``param`` to its
    case_id (deselecting removes it); a case named in the URL comes preselected.  Returns the
    selected case_id if it is in ``cases``."""
    ids = tuple(str(c) for c in cases["case_id"])
    current = url_state.get(param)
    widget = f"{key}_{zlib.crc32('|'.join(ids).encode()):08x}"

    def picked() -> None:
        rows = st.session_state[widget].selection.rows
        url_state.put(param, ids[rows[0]] if rows else None)

    default: Any = {"selection": {"rows": [ids.index(current)]}} if current in ids else None
    shown, drawn = _drawn(cases, columns)
    data = styler(shown) if styler is not None else drawn
    st.dataframe(data, hide_index=True, key=widget, height=min(height, 35 * len(shown) + 38), placeholder="—",
                 on_select=picked,
                 selection_mode="single-row", selection_default=default)
    tables.downloads(shown, filename, key=f"{key}_dl")
    return current if current in ids else None


def _text(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return t("cases.detail_none")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date | pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return str(value)


def fields_frame(record: dict[str, Any]) -> pd.DataFrame:
    """A case's fields as (字段, 内容) rows of plain strings."""
    rows = [(tables.header(f) if f != "transfer_wd" else t("scorecard.col_transfer_wd"), _text(record.get(f)))
            for f in DETAIL_FIELDS]
    return pd.DataFrame(rows, columns=[t("cases.field"), t("cases.content")])


def case_detail(record: dict[str, Any] | None, as_of: dt.date, *, key: str) -> None:
    """One case whole: its fields, its free text as plain text, its overdue notes, downloads,
    then its handling (history and the steps the signed-in principal may take)."""
    if record is None:
        tables.empty(t("cases.detail_missing"))
        return
    box = st.container(border=True)
    box.markdown(f"**{escape_md(record['case_id'])} · {escape_md(record.get('dept_name') or '')}**")
    box.caption(escape_md(t("cases.detail_progress", as_of=f"{as_of:%Y-%m-%d}",
                               progress=record.get("case_progress") or "")))
    if record.get("transfer_overdue"):
        box.warning(t("cases.detail_transfer_late"), icon=":material/schedule:")
    if record.get("rectify_overdue"):
        box.warning(t("cases.detail_rectify_late", days=record.get("days_overdue")), icon=":material/alarm:")
    elif record.get("rectify_late"):
        box.warning(t("cases.detail_rectify_late_done"), icon=":material/history:")
    c1, c2 = box.columns([1, 1])
    fields = fields_frame(record)
    with c1:
        st.markdown(f"**{t('cases.detail_fields')}**")
        st.dataframe(fields, hide_index=True, key=f"{key}_fields", height=35 * len(fields) + 38, placeholder="—")
    with c2:
        st.markdown(f"**{t('cases.detail_summary')}**")
        st.text(_text(record.get("summary")))
        st.markdown(f"**{t('cases.detail_tasks')}**")
        st.text(_text(record.get("rectify_tasks")))
    full = fields_frame(record)
    full.loc[len(full)] = [t("cases.detail_summary"), _text(record.get("summary"))]
    full.loc[len(full)] = [t("cases.detail_tasks"), _text(record.get("rectify_tasks"))]
    with box:
        tables.downloads(full, f"案例_{record['case_id']}", key=f"{key}_dl")
    handling_panel(str(record["case_id"]), key=f"{key}_handling")
