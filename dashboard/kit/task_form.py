"""One-click rectification tasks: from a weak link, from a key case, or by hand.

Pages call these to put a "下达整改任务" control beside what they show; the task itself is
stored by :mod:`data.tasks` (which checks who may create it) with an audit entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import streamlit as st

from dashboard.kit import cache
from dashboard.labels import t
from data import clock
from data import tasks as task_store


def _create(**fields: Any) -> None:
    p = cache.principal()
    if p is None:
        return
    try:
        with cache.database().session() as session:
            task_id = task_store.create_task(session, p, **fields)
    except task_store.TaskError as err:
        st.warning(str(err), icon=":material/warning:")
        return
    st.success(t("tasks.created", id=task_id), icon=":material/task_alt:")


def task_form(*, key: str, dept: str, title: str, requirement: str, source_kind: str,
              source_ref: str | None, as_of: date) -> None:
    """A small form (in a popover) that creates a task with these defaults."""
    p = cache.principal()
    if p is None or not p.can_edit_tasks:
        return
    with st.popover(t("tasks.create"), icon=":material/add_task:"), st.form(key, border=False):
        st.caption(cache.all_units().name(dept))
        f_title = st.text_input(t("tasks.title"), value=title, max_chars=200)
        f_resp = st.text_input(t("tasks.responsible"), max_chars=64)
        f_deadline = st.date_input(t("tasks.deadline"), value=max(as_of, clock.today_local()) + timedelta(days=30), format="YYYY-MM-DD")
        f_req = st.text_area(t("tasks.requirement"), value=requirement, height=110)
        if st.form_submit_button(t("tasks.submit_create"), type="primary"):
            _create(title=f_title, dept=dept, responsible=f_resp, deadline=f_deadline, requirement=f_req,
                    source_kind=source_kind, source_ref=source_ref)


def weak_link_task(link: Mapping[str, Any], *, period: tuple[date, date], as_of: date, key: str,
                   value_text: str, district_text: str) -> None:
    """The task control for one weak link row (metrics.tables.weak_link_table)."""
    name = link.get("dept_name") or link["dept_code"]
    requirement = t("tasks.weak_link_requirement", period=f"{period[0]:%Y-%m-%d} 至 {period[1]:%Y-%m-%d}",
                    indicator=link.get("indicator_name") or link["indicator"], value=value_text,
                    district=district_text, reason=link["reason"])
    task_form(key=key, dept=str(link["dept_code"]),
              title=f"{name}：{link.get('indicator_name') or link['indicator']}{link['reason']}整改",
              requirement=requirement, source_kind=task_store.SOURCE_WEAK_LINK,
              source_ref=f"短板:{link['dept_code']}:{link['indicator']}:{period[0]}:{period[1]}", as_of=as_of)


def key_case_task(case: Mapping[str, Any], *, as_of: date, key: str) -> None:
    """The task control for one key case (督查督办)."""
    deadline = case.get("rectify_deadline")
    requirement = t("tasks.key_case_requirement", case=case["case_id"],
                    tasks=case.get("rectify_tasks") or "", deadline=str(deadline)[:10] if deadline else "")
    task_form(key=key, dept=str(case["dept_code"]), title=f"重点案例{case['case_id']}督办整改",
              requirement=requirement, source_kind=task_store.SOURCE_KEY_CASE,
              source_ref=f"案例:{case['case_id']}", as_of=as_of)
