"""Case handling on a page (mechanism 5): the signed-in principal's 待办 list, and a case's
办理 panel — its handling status, history, the reporter's contact (administrator and the
responsible unit only) and one form for each step the principal may take now.

The rules of who may take which step are :mod:`data.case_handling`'s (``allowed_steps``,
``apply``); this module only draws them.  Each submitted form is one call of
``case_handling.apply`` in one transaction: a refusal is shown in Chinese and nothing is
stored; on success the cached data version is dropped and the page runs again, showing the
case's new status.  Every user-entered text (summary, facts, measures, replies, notes,
contact details) is shown as plain text (``st.text`` / tables) or escaped markdown.
"""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.kit import cache, url_state
from dashboard.kit.escape import escape_md
from dashboard.labels import t
from data import case_handling as ch
from data import feedback_store
from data.accounts import Principal
from data.case_queue import ToDo, to_do
from data.case_rows import today_local

_DONE = "_case_step_done"  # the success message of the last step, shown after the rerun
DEFAULT_HANDLING_DAYS = 15  # the deadline a transfer form proposes (calendar days from today)


def _fmt_day(value: Any) -> str:
    return f"{value:%Y-%m-%d}" if value else "—"


# ---------------------------------------------------------------- 待办 list


def todo_frame(items: list[ToDo], names: dict[str, str]) -> pd.DataFrame:
    """The to-do list as people read it: one row per case, overdue ones marked."""
    rows = [{
        t("handling.col_case_id"): i.entry.case_id,
        t("handling.col_received"): _fmt_day(i.entry.received_date),
        t("handling.col_source"): i.entry.source,
        t("handling.col_dept"): names.get(i.entry.dept_code, i.entry.dept_code),
        t("handling.col_status"): i.entry.status,
        t("handling.col_deadline"): _fmt_day(i.entry.handling_deadline),
        t("handling.col_overdue"): t("handling.overdue_mark") if i.entry.overdue else "",
        t("handling.col_steps"): "、".join(i.steps),
        t("handling.col_summary"): i.entry.summary or "",
    } for i in items]
    columns = ["col_case_id", "col_received", "col_source", "col_dept", "col_status", "col_deadline", "col_overdue",
               "col_steps", "col_summary"]
    return pd.DataFrame(rows, columns=[t(f"handling.{c}") for c in columns])


def todo_list(*, key: str, param: str = "case") -> None:
    """The principal's 待办 (cases waiting for it), overdue handling deadlines (judged at today,
    Asia/Shanghai) marked and counted; selecting a row opens the case (query parameter ``param``)."""
    p = cache.principal()
    if p is None or not (p.is_admin or p.is_department):
        return
    today = today_local()
    with cache.database().session() as session:
        items = to_do(session, p, today=today)
    st.subheader(t("handling.todo_header"))
    if not items:
        st.info(t("handling.todo_empty"), icon=":material/task_alt:")
        return
    late = sum(i.entry.overdue for i in items)
    st.caption(t("handling.todo_caption", n=len(items), late=late, today=f"{today:%Y-%m-%d}"))
    shown = todo_frame(items, cache.all_units().names())
    ids = [i.entry.case_id for i in items]
    widget = f"{key}_{zlib.crc32('|'.join(ids).encode()):08x}"

    def picked() -> None:
        rows = st.session_state[widget].selection.rows
        url_state.put(param, ids[rows[0]] if rows else None)

    overdue_col = t("handling.col_overdue")
    styled = shown.style.apply(
        lambda r: ["color: #b42318; font-weight: 600" if r[overdue_col] else "" for _ in r], axis=1)
    st.dataframe(styled, hide_index=True, key=widget, on_select=picked, selection_mode="single-row",
                 height=min(320, 35 * len(shown) + 38))


# ---------------------------------------------------------------- 办理 panel


def _submit(p: Principal, request: ch.Request) -> None:
    """One step in one transaction; a refusal shown, a success shown after the page reruns."""
    try:
        with cache.database().session() as session:
            result = ch.apply(session, p, request)
    except ch.CaseStepError as err:
        st.error(str(err), icon=":material/error:")
        return
    cache.invalidate()
    st.session_state[_DONE] = t("handling.done", step=result.step, case=result.case_id, status=result.to_status)
    st.rerun()


def _history(file: ch.CaseFile) -> pd.DataFrame:
    rows = [{t("handling.col_at"): f"{s.at:%Y-%m-%d %H:%M}", t("handling.col_user"): s.user_name,
             t("handling.col_step"): s.step, t("handling.col_from"): s.from_status or "—",
             t("handling.col_to"): s.to_status, t("handling.col_note"): s.note or ""} for s in file.steps]
    cols = ["col_at", "col_user", "col_step", "col_from", "col_to", "col_note"]
    return pd.DataFrame(rows, columns=[t(f"handling.{c}") for c in cols])


def _may_read_contact(p: Principal, file: ch.CaseFile) -> bool:
    return file.is_feedback and (p.is_admin or (p.is_department and p.dept == file.values["dept_code"]))


def _contact(p: Principal, case_id: str, key: str) -> None:
    """The reporter's contact on request (each reading is audited by the data layer)."""
    if not st.button(t("handling.contact_show"), key=f"{key}_contact", icon=":material/contact_phone:"):
        return
    try:
        with cache.database().session() as session:
            c = feedback_store.contact(session, p, case_id)
    except feedback_store.FeedbackError as err:
        st.warning(str(err), icon=":material/lock:")
        return
    st.text(t("handling.contact_text", reporter=c.reporter, uscc=c.uscc or "—", phone=c.phone))


def _step_form(p: Principal, file: ch.CaseFile, step: str, key: str) -> None:
    """The form of one step; its submit is one :func:`data.case_handling.apply`."""
    case_id = str(file.values["case_id"])
    today = today_local()
    with st.form(f"{key}_{step}_{case_id}", border=True):
        st.markdown(f"**{escape_md(step)}**")
        request: ch.Request | None = None
        if step == ch.STEP_TRANSFER:
            names = cache.all_units().names()
            codes = list(names)
            current = str(file.values["dept_code"])
            dept = st.selectbox(t("handling.transfer_dept"), codes, index=codes.index(current) if current in codes else 0,
                                format_func=lambda c: names.get(c, c))
            deadline = st.date_input(t("handling.transfer_deadline"), value=today + dt.timedelta(DEFAULT_HANDLING_DAYS),
                                     min_value=today, format="YYYY-MM-DD")
            on = st.date_input(t("handling.step_date"), value=today, max_value=today, format="YYYY-MM-DD")
            note = st.text_area(t("handling.note"), max_chars=ch.MAX_TEXT, height=80)
            if st.form_submit_button(t("handling.submit_transfer"), type="primary"):
                request = ch.Transfer(case_id, str(dept), deadline, note, on)
        elif step == ch.STEP_START:
            note = st.text_area(t("handling.note"), max_chars=ch.MAX_TEXT, height=80)
            if st.form_submit_button(t("handling.submit_start"), type="primary"):
                request = ch.StartVerification(case_id, note)
        elif step == ch.STEP_VERIFY:
            verdict = st.radio(t("handling.verdict"), [ch.TRUE, ch.FALSE], horizontal=True)
            facts = st.text_area(t("handling.facts"), max_chars=ch.MAX_TEXT, height=110)
            rect_deadline = st.date_input(t("handling.rectify_deadline"), value=None, min_value=today,
                                          format="YYYY-MM-DD")
            person = st.text_input(t("handling.responsible_person"), max_chars=64)
            on = st.date_input(t("handling.step_date"), value=today, max_value=today, format="YYYY-MM-DD")
            if st.form_submit_button(t("handling.submit_verify"), type="primary"):
                request = ch.Verify(case_id, str(verdict), facts, rect_deadline if verdict == ch.TRUE else None,
                                    person, on)
        elif step == ch.STEP_TASK:
            title = st.text_input(t("handling.task_title"), value=t("handling.task_title_default", case=case_id),
                                  max_chars=200)
            responsible = st.text_input(t("handling.task_responsible"), max_chars=64)
            deadline = st.date_input(t("handling.task_deadline"), value=today + dt.timedelta(30), min_value=today,
                                     format="YYYY-MM-DD")
            requirement = st.text_area(t("handling.task_requirement"), value=file.facts or "", height=110)
            if st.form_submit_button(t("handling.submit_task"), type="primary"):
                request = ch.SpawnTask(case_id, title, responsible, deadline, requirement)
        elif step == ch.STEP_RECTIFY:
            measures = st.text_area(t("handling.measures"), max_chars=ch.MAX_TEXT, height=110)
            on = st.date_input(t("handling.step_date"), value=today, max_value=today, format="YYYY-MM-DD")
            if st.form_submit_button(t("handling.submit_rectify"), type="primary"):
                request = ch.Rectify(case_id, measures, on)
        elif step == ch.STEP_REPORT:
            note = st.text_area(t("handling.report_note"), max_chars=ch.MAX_TEXT, height=110)
            if st.form_submit_button(t("handling.submit_report"), type="primary"):
                request = ch.ReportBack(case_id, note)
        elif step == ch.STEP_CLOSE:
            note = st.text_area(t("handling.note"), max_chars=ch.MAX_TEXT, height=80)
            on = st.date_input(t("handling.step_date"), value=today, max_value=today, format="YYYY-MM-DD")
            if st.form_submit_button(t("handling.submit_close"), type="primary"):
                request = ch.Close(case_id, note, on)
        elif step == ch.STEP_PUBLISH:
            reply = st.text_area(t("handling.reply"), value=file.reply or "", max_chars=ch.MAX_TEXT, height=110)
            if st.form_submit_button(t("handling.submit_publish"), type="primary"):
                request = ch.PublishReply(case_id, reply)
    if request is not None:
        _submit(p, request)


def handling_panel(case_id: str, *, key: str) -> None:
    """The 办理 panel of one case: status, handling deadline, facts, measures, reply, history,
    the reporter's contact (administrator and responsible unit) and the principal's step forms."""
    p = cache.principal()
    if p is None:
        return
    done = st.session_state.pop(_DONE, None)
    if done:
        st.success(done, icon=":material/task_alt:")
    try:
        with cache.database().session() as session:
            file = ch.case_file(session, p, case_id)
    except ch.CaseStepError as err:
        st.info(str(err), icon=":material/lock:")
        return
    box = st.container(border=True)
    with box:
        st.markdown(f"**{t('handling.header')}**")
        deadline = file.handling_deadline
        late = (deadline is not None and deadline < today_local() and file.reported_at is None
                and file.status not in (ch.RECEIVED, ch.CLOSED))
        st.markdown(escape_md(t("handling.status_line", status=file.status, deadline=_fmt_day(deadline),
                                reported=f"{file.reported_at:%Y-%m-%d %H:%M}" if file.reported_at else "—")))
        if late:
            st.warning(t("handling.deadline_passed", deadline=_fmt_day(deadline)), icon=":material/alarm:")
        for label, value in ((t("handling.facts"), file.facts), (t("handling.measures"), file.measures),
                             (t("handling.reply_label") if file.reply_published else t("handling.reply_draft"),
                              file.reply)):
            if value:
                st.markdown(f"**{escape_md(label)}**")
                st.text(value)
        if _may_read_contact(p, file):
            _contact(p, case_id, key)
        st.markdown(f"**{t('handling.history')}**")
        history = _history(file)
        if history.empty:
            st.caption(t("handling.history_empty"))
        else:
            st.dataframe(history, hide_index=True, key=f"{key}_history", height=min(320, 35 * len(history) + 38))
        steps = ch.allowed_steps(p, file)
        if not steps:
            st.caption(t("handling.no_steps_now") if p.is_admin or p.is_department else t("handling.no_steps_viewer"))
            return
        st.caption(t("handling.steps_caption", steps="、".join(steps)))
        tabs = st.tabs(list(steps))
        for tab, step in zip(tabs, steps, strict=True):
            with tab:
                _step_form(p, file, step, key)
