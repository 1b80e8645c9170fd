"""One application whole, below a list that drills to it: every field of the contract and
the derived ones (processing_wd, limits, overdue flags, open working days) as plain text,
with names beside codes and downloads.  The record comes from ``metrics`` through the
cache boundary; this module only presents it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.kit import tables
from dashboard.kit.escape import escape_md
from dashboard.labels import t

FIELDS = ("app_id", "item_code", "item_name", "dept_code", "dept_name", "street_name", "entity_id", "division_code",
          "channel", "route", "status", "result", "submitted_at", "accepted_at", "reviewed_at", "decided_at",
          "completed_at", "suspended_days", "processing_wd", "promised_limit_days", "legal_limit_days", "overdue",
          "legal_overdue", "open_wd", "open_overdue", "visits", "rating")


def _text(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return t("application.none")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, pd.Timestamp | dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def fields_frame(record: dict[str, Any]) -> pd.DataFrame:
    """An application's fields as (字段, 内容) rows of plain strings."""
    rows = [(tables.header(f), _text(record.get(f))) for f in FIELDS if f in record]
    return pd.DataFrame(rows, columns=[t("application.field"), t("application.content")])


def application_detail(record: dict[str, Any] | None, as_of: dt.date, *, key: str) -> None:
    """One application whole (judged at ``as_of``), or why it cannot be shown."""
    if record is None:
        tables.empty(t("application.missing"))
        return
    box = st.container(border=True)
    box.markdown(f"**{escape_md(str(record['app_id']))} · {escape_md(str(record.get('item_name') or ''))}**")
    box.caption(t("application.caption", as_of=f"{as_of:%Y-%m-%d}"))
    fields = fields_frame(record)
    with box:
        st.dataframe(fields, hide_index=True, key=f"{key}_fields", height=35 * len(fields) + 38)
        tables.downloads(fields, f"办件_{record['app_id']}", key=f"{key}_dl")
