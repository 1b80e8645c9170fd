"""整改任务: the rectification loop — tasks, overdue ones highlighted, progress and history."""

import streamlit as st

from dashboard.kit import cache, filters, tables, task_form, url_state
from dashboard.kit.page import judged_today_caption, require_role
from dashboard.labels import t
from data import tasks as task_store

p = require_role("tasks")
f = filters.current()
names = cache.all_units().names()

st.title(t("tasks.page_title"))
st.caption(t("tasks.intro"))
today = judged_today_caption()  # tasks are live work: judged at today, whatever the period

with cache.database().session() as session:
    all_tasks = task_store.list_tasks(session, p, today)
if f and f.dept:
    all_tasks = all_tasks[all_tasks["dept_code"] == f.dept]
all_tasks = all_tasks.assign(dept_name=all_tasks["dept_code"].map(names))

c = st.columns(4)
c[0].metric(t("tasks.total"), len(all_tasks), border=True)
c[1].metric(t("tasks.open"), int((all_tasks["status"] != task_store.DONE).sum()), border=True)
c[2].metric(t("tasks.overdue"), int(all_tasks["overdue"].sum()), border=True)
c[3].metric(t("tasks.done"), int((all_tasks["status"] == task_store.DONE).sum()), border=True)

if p.can_edit_tasks:
    with st.expander(t("tasks.manual"), icon=":material/add_task:"):
        dept = str(st.selectbox(t("common.department"), list(names.keys()), format_func=lambda c: names[c],
                                key="task_new_dept"))
        task_form.task_form(key="task_new", dept=dept, title="", requirement="",
                               source_kind=task_store.SOURCE_MANUAL, source_ref=None, as_of=today)

f1, f2 = st.columns([3, 1])
statuses = f1.multiselect(t("tasks.status_filter"), task_store.STATUSES, default=list(task_store.STATUSES),
                          key="task_status")
overdue_only = f2.toggle(t("tasks.overdue_only"), key="task_overdue")
shown = all_tasks[all_tasks["status"].isin(statuses)]
if overdue_only:
    shown = shown[shown["overdue"]]

if all_tasks.empty:
    tables.empty(t("tasks.none"))
    st.stop()
cols = ["id", "title", "dept_name", "responsible", "deadline", "days_left", "status", "progress", "task_overdue",
        "source_kind", "updated_at"]
event = tables.table(shown.reset_index(drop=True).assign(task_overdue=shown["overdue"].to_numpy()), "整改任务", key="task_table", columns=cols,
                 on_select="rerun", selection_mode="single-row")
st.caption(t("tasks.select_hint"))
rows = event.selection.rows if event is not None else []
selected = url_state.get("task")
if rows:
    selected = str(int(shown.iloc[rows[0]]["id"]))
    url_state.put("task", selected)
if not selected or not selected.isdigit() or int(selected) not in set(all_tasks["id"]):
    st.stop()

task = all_tasks[all_tasks["id"] == int(selected)].iloc[0]
st.subheader(f"{t('tasks.detail')} · {task['id']}")
d1, d2 = st.columns([3, 2])
with d1:
    st.text(f"{task['title']}\n{task['dept_name']} · {t('tasks.responsible')}：{task['responsible']}"
            f" · {t('tasks.deadline')}：{task['deadline']} · {task['status']}（{task['progress']}%）")
    st.text(task["requirement"])
    if task["overdue"]:
        st.error(f"已逾期 {-int(task['days_left'])} 天", icon=":material/alarm:")
    with cache.database().session() as session:
        history = task_store.task_history(session, p, int(task["id"]))
    st.markdown(f"**{t('tasks.history')}**")
    tables.table(history, f"任务{task['id']}进展", key="task_history")
with d2:
    may_update = p.role in ("部门用户", "管理员") and p.may_see(task["dept_code"])
    if not may_update:
        st.info(t("tasks.no_permission"), icon=":material/visibility:")
    else:
        options = [task["status"], *[b for (a, b), roles in task_store.TRANSITIONS.items()
                                     if a == task["status"] and p.role in roles]]
        # the version this editor loaded: a save against it is refused if someone saved since
        loaded_key = f"task_loaded_version_{task['id']}"
        st.session_state.setdefault(loaded_key, int(task["version"]))
        with st.form(f"task_update_{task['id']}", border=True):
            st.markdown(f"**{t('tasks.update')}**")
            status = st.selectbox(t("tasks.new_status"), options, key="task_new_status")
            progress = st.slider(t("tasks.progress"), 0, 100, int(task["progress"]), step=5, key="task_progress",
                                 help=t("tasks.progress_help"))
            note = st.text_area(t("tasks.note"), key="task_note", max_chars=2000)
            if st.form_submit_button(t("tasks.save"), type="primary"):
                try:
                    with cache.database().session() as session:
                        new_version = task_store.update_task(
                            session, p, int(task["id"]), expected_version=st.session_state[loaded_key],
                            status=status, progress=None if progress == int(task["progress"]) else progress,
                            note=note)  # an untouched slider says nothing: 已完成 alone means 100%
                except task_store.TaskError as err:
                    st.error(str(err), icon=":material/sync_problem:")
                    # the editor has now been shown the latest version and may save again
                    st.session_state[loaded_key] = int(task["version"])
                else:
                    st.session_state[loaded_key] = new_version
                    st.success(t("tasks.saved"))
                    st.rerun()
