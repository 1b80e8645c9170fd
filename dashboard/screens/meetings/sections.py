"""The pieces of 联席会议: the form that records a meeting with its decisions (the deck as
presented is rendered and kept with it, :mod:`followup.meeting_deck`), the list of meetings
with their decisions and today's lights, and the next meeting's deck, which opens with the
previous meeting's decisions and their status (:mod:`report.review`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import partial

import pandas as pd
import streamlit as st

from dashboard.kit import cache, deck_files, decks, tables
from dashboard.kit.escape import escape_md
from dashboard.labels import t
from data import meetings
from data.accounts import Principal
from followup.meeting_deck import capture_deck, record_with_deck
from metrics.alerts import AlertBoard, DecisionReview, decision_review
from metrics.lights import DECISION, LIGHT_NAMES, today_local
from metrics.results import MetricsRequest
from report.export import MIME
from report.review import status_text

MAX_DECISIONS = 20


def _decision_inputs(n: int, held_on: dt.date, names: dict[str, str]) -> list[tuple[str, str | None, dt.date, str]]:
    out = []
    for i in range(1, n + 1):
        st.markdown(f"**{t('meetings.decision_n', n=i)}**")
        c = st.columns([4, 2, 1.4, 1.4])
        content = c[0].text_input(t("meetings.decision_content"), key=f"mt_d{i}_content", max_chars=500)
        dept = c[1].selectbox(t("meetings.decision_dept"), list(names), key=f"mt_d{i}_dept", index=None,
                              format_func=lambda code: names.get(code, code), placeholder=t("meetings.decision_dept"))
        deadline = c[2].date_input(t("meetings.decision_deadline"), value=held_on + dt.timedelta(days=30),
                                   key=f"mt_d{i}_deadline", format="YYYY-MM-DD")
        responsible = c[3].text_input(t("meetings.decision_responsible"), key=f"mt_d{i}_resp", max_chars=64)
        out.append((content, dept, deadline, responsible))
    return out


def _missing(rows: list[tuple[str, str | None, dt.date, str]]) -> list[str]:
    """A message per decision with a field left blank (the data layer checks the rest)."""
    labels = (t("meetings.decision_content"), t("meetings.decision_dept"), t("meetings.decision_deadline"),
              t("meetings.decision_responsible"))
    out = []
    for n, row in enumerate(rows, start=1):
        blank = [label for label, v in zip(labels, row, strict=True) if v is None or (isinstance(v, str) and not v.strip())]
        if blank:
            out.append(t("meetings.missing", n=n, fields="、".join(blank)))
    return out


def record_form(p: Principal, request: MetricsRequest) -> None:
    """Record a meeting: date, convener, attending units, the period reviewed and its decisions."""
    st.subheader(t("meetings.record_header"))
    names = cache.all_units().names()
    n = int(st.number_input(t("meetings.decision_count"), 0, MAX_DECISIONS, 2, key="mt_count"))
    with st.form("mt_record", border=True):
        c = st.columns([1.2, 2, 4])
        held_on = c[0].date_input(t("meetings.held_on"), value=today_local(), key="mt_held_on", format="YYYY-MM-DD")
        convener = c[1].text_input(t("meetings.convener"), key="mt_convener", max_chars=64)
        units = c[2].multiselect(t("meetings.units"), list(names), key="mt_units",
                                 format_func=lambda code: names.get(code, code),
                                 placeholder=t("meetings.units_placeholder"))
        d = st.columns(3)
        period_from = d[0].date_input(t("meetings.period_from"), value=request.date_from, key="mt_from",
                                      format="YYYY-MM-DD")
        period_to = d[1].date_input(t("meetings.period_to"), value=request.date_to, key="mt_to", format="YYYY-MM-DD")
        as_of = d[2].date_input(t("meetings.as_of"), value=request.effective_as_of, key="mt_as_of",
                                format="YYYY-MM-DD")
        rows = _decision_inputs(n, held_on, names)
        if not st.form_submit_button(t("meetings.submit"), type="primary", icon=":material/save:"):
            return
    problems = _missing(rows)
    if problems:
        st.error("\n\n".join(problems), icon=":material/error:")
        return
    meeting = meetings.MeetingInput(held_on, convener, tuple(units), period_from, period_to, as_of)
    decisions = [meetings.DecisionInput(content, str(dept), deadline, responsible)
                 for content, dept, deadline, responsible in rows]
    try:
        with st.spinner(t("meetings.saving")):
            deck = capture_deck(cache.database(), cache.engine(), meeting)
            meeting_id = record_with_deck(cache.database(), p, meeting, deck, decisions)
    except (meetings.MeetingError, ValueError) as err:
        st.error(str(err), icon=":material/error:")
        return
    st.session_state["mt_saved"] = t("meetings.saved", id=meeting_id, n=len(decisions))
    for k in [k for k in st.session_state if str(k).startswith("mt_d")]:
        del st.session_state[k]
    st.rerun()


def _decisions_frame(found: list[meetings.DecisionStatus], board: AlertBoard, names: dict[str, str]) -> pd.DataFrame:
    def light(d: meetings.DecisionStatus) -> str | None:
        item = None if d.done else board.find(DECISION, str(d.task_id))
        return item.light if item else None

    lights = [light(d) for d in found]
    return pd.DataFrame({
        "meeting_seq": [d.seq for d in found], "decision_content": [d.content for d in found],
        "dept_name": [names.get(d.dept_code, d.dept_code) for d in found],
        "deadline": [d.deadline for d in found],
        "decision_status": [status_text(d.done, d.status, x) for d, x in zip(found, lights, strict=True)],
        "decision_light": [LIGHT_NAMES[x] if x else None for x in lights],
        "progress": [d.progress for d in found], "id": [d.task_id for d in found],
    })


def _kept_deck(meeting_id: int) -> bytes:
    with cache.database().session() as session:
        return meetings.meeting_deck(session, meeting_id)[0]


def meeting_list(board: AlertBoard) -> None:
    """Every meeting, newest first, with its decisions, their status and today's lights."""
    st.subheader(t("meetings.list_header"))
    with cache.database().session() as session:
        found = meetings.list_meetings(session)
        decisions = {m.id: meetings.decisions_of(session, m.id) for m in found}
    if not found:
        tables.empty(t("meetings.list_empty"))
        return
    names = cache.all_units().names()
    for i, m in enumerate(found):
        rows = decisions[m.id]
        with st.expander(t("meetings.meeting_title", day=m.held_on.isoformat(), convener=escape_md(m.convener)),
                         expanded=i == 0, icon=":material/groups:"):
            st.text(t("meetings.meeting_line", units="、".join(names.get(u, u) for u in m.units),
                      period_from=m.period_from.isoformat(), period_to=m.period_to.isoformat(),
                      as_of=m.as_of.isoformat(), by=m.recorded_by, at=m.recorded_at.strftime("%Y-%m-%d %H:%M")))
            if rows:
                st.caption(t("meetings.decisions_summary", n=len(rows), done=sum(d.done for d in rows)))
                tables.table(_decisions_frame(rows, board, names), f"联席会议议定事项_{m.held_on}", key=f"mt_dec_{m.id}")
            else:
                st.caption(t("meetings.no_decisions"))
            st.download_button(t("meetings.deck_download", fmt=m.deck_format.upper()),
                               data=partial(_kept_deck, m.id), file_name=f"联席会议_{m.held_on:%Y%m%d}.{m.deck_format}",
                               mime=MIME.get(m.deck_format, "application/octet-stream"), key=f"mt_deck_{m.id}",
                               icon=":material/download:", on_click="ignore")


def review_now() -> DecisionReview:
    """The review the next meeting's deck opens with: the last meeting held by today."""
    with cache.database().session() as session:
        return decision_review(session, today_local() + dt.timedelta(days=1))


def next_deck(request: MetricsRequest, period_label: str) -> None:
    """What the next meeting's deck opens with, and the deck itself (PPTX)."""
    st.subheader(t("meetings.next_header"))
    review = review_now()
    if review.meeting is None:
        st.caption(t("meetings.next_none"))
    else:
        st.caption(t("meetings.next_caption", day=review.meeting.held_on.isoformat(), period=escape_md(period_label)))
    # the period's slides with the open tasks and the review of the last meeting as they are
    # when clicked (live parts judged against that day, not the period's as_of)
    request = replace(request, dept=None)
    deck_files.built_downloads(decks.deck_builder(request, None), deck_files.file_stem(request, None, ""),
                               key="mt_next_deck", labels={"pptx": t("meetings.next_download")}, formats=("pptx",))
