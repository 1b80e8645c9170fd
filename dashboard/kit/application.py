"""One application whole, below a record table that drills to it: its stage timeline on the
working-day clock against the promised and legal limits (suspended days shown), then every
field of the contract and the derived ones as plain text, with names beside codes and
downloads.

:func:`record_table` is the one way a page draws a table of applications: a row selection
writes the query parameter ``app`` (so the opened application is a link), and the
application opens below the table.  The record is fetched through the cache boundary on
the principal's engine, so a department user only ever opens its own applications; an
``app`` link it may not see says so (:func:`link_check`, run by every data page's
preamble).  This module only presents what :mod:`metrics` returns.
"""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

import pandas as pd
import streamlit as st

from charts.application import stage_timeline
from dashboard.kit import cache, plots, tables, url_state
from dashboard.kit.escape import escape_md
from dashboard.labels import t
from metrics.results import DatedRequest
from metrics.timeline import Timeline, timeline
from metrics.views.application import application_record

APP = "app"  # the query parameter of the opened application
_CLAIM = "_app_view_claim"  # the table under which the opened application is drawn in this run

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


def clock_text(tl: Timeline) -> str:
    """The timeline's clock in one sentence: working days passed, suspended, counted, limits."""
    if not tl.clocked:
        return t("application.no_clock")
    key = "application.clock_open" if tl.open else "application.clock_done"
    promised = tl.promised_limit_days  # 0: 即办, the same day
    legal = tl.legal_limit_days  # 0: no legal limit
    text = t(key, elapsed=tl.elapsed_wd, suspended=tl.suspended_days, counted=tl.counted_wd,
             promised=t("application.days", n=promised) if promised is not None else t("application.no_legal"),
             legal=t("application.days", n=legal) if legal else t("application.no_legal"))
    if tl.legal_overdue:
        return f"{text}{t('application.state_legal_overdue')}"
    if tl.overdue:
        return f"{text}{t('application.state_overdue')}"
    return f"{text}{t('application.state_open') if tl.open else t('application.state_on_time')}"


def timeline_chart(record: dict[str, Any], as_of: dt.date, *, key: str) -> None:
    """The application's steps on the working-day clock, with its limits and suspended days."""
    tl = timeline(record, as_of)
    if tl.clocked:
        clock = {"elapsed_wd": tl.elapsed_wd, "counted_wd": tl.counted_wd, "suspended_days": tl.suspended_days,
                 "promised_limit_days": tl.promised_limit_days, "legal_limit_days": tl.legal_limit_days,
                 "overdue": tl.overdue, "legal_overdue": tl.legal_overdue, "open": tl.open}
        fig = plots.kept(stage_timeline, tl.rows, clock, title=t("application.timeline_title"))
        plots.chart(fig, key=f"{key}_timeline")
    text = clock_text(tl) + (t("application.calendar_note") if tl.clocked else "")
    if tl.overdue or tl.legal_overdue:
        st.warning(text, icon=":material/schedule:")
    else:
        st.caption(f":material/schedule: {text}")


def application_detail(record: dict[str, Any] | None, as_of: dt.date, *, key: str, missing: str | None = None) -> None:
    """One application whole (judged at ``as_of``), or why it cannot be shown."""
    if record is None:
        st.warning(missing or t("application.missing"), icon=":material/search_off:")
        return
    box = st.container(border=True)
    box.markdown(f"**{escape_md(str(record['app_id']))} · {escape_md(str(record.get('item_name') or ''))}**")
    box.caption(t("application.caption", as_of=f"{as_of:%Y-%m-%d}"))
    fields = fields_frame(record)
    with box:
        timeline_chart(record, as_of, key=key)
        with st.expander(t("application.fields"), expanded=False):
            st.dataframe(fields, hide_index=True, key=f"{key}_fields", height=35 * len(fields) + 38)
            tables.downloads(fields, f"办件_{record['app_id']}", key=f"{key}_dl")


def fetch(request: DatedRequest, app_id: str) -> dict[str, Any] | None:
    """The application ``app_id`` as the signed-in principal may see it (None: not found, or
    another department's)."""
    return cache.view(application_record, request, app_id)  # type: ignore[no-any-return]


def new_run() -> None:
    """Forget which table drew the opened application (called once per page run)."""
    st.session_state[_CLAIM] = None


def link_check(request: DatedRequest) -> None:
    """An ``app`` link the principal may not open (unknown, or another department's) says so;
    the application itself opens below the record table that lists it."""
    new_run()
    current = url_state.get(APP)
    if current and fetch(request, current) is None:
        st.warning(t("application.not_found"), icon=":material/search_off:")


def record_table(request: DatedRequest, df: pd.DataFrame, filename: str, *, key: str, **kw: Any) -> Any:
    """A record table (:func:`dashboard.kit.tables.table`) whose rows open their application:
    selecting a row writes ``app`` into the URL and the application (fetched through the
    principal's engine) opens below the table.  ``df`` needs an ``app_id`` column; the
    opened application is drawn under the first table of the page run that lists it."""
    if df.empty or "app_id" not in df.columns:
        return tables.table(df, filename, key=key, **kw)
    df = tables.capped(df, filename, key=key, columns=kw.get("columns"))
    ids: list[str] = df["app_id"].astype(str).tolist()
    widget = f"{key}_{zlib.crc32('|'.join(ids).encode()):08x}"
    current = url_state.get(APP)

    def picked() -> None:
        rows = st.session_state[widget].selection.rows
        url_state.put(APP, ids[rows[0]] if rows else None)

    default: Any = {"selection": {"rows": [ids.index(current)]}} if current in ids else None
    event = tables.table(df, filename, key=widget, on_select=picked, selection_mode="single-row",
                         selection_default=default, **kw)
    if current not in ids:
        st.caption(t("application.pick_hint"))
        return event
    if st.session_state.get(_CLAIM) not in (None, key):
        st.caption(t("application.shown_above", app=escape_md(current[:64])))
        return event
    st.session_state[_CLAIM] = key
    st.markdown(f"**{t('application.header')}**")
    application_detail(fetch(request, current), request.effective_as_of, key=f"{key}_app",
                       missing=t("application.not_found"))
    st.button(t("application.close"), key=f"{key}_app_close", icon=":material/close:",
              on_click=url_state.put, args=(APP, None))
    return event
