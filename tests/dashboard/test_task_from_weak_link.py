"""A weak link becomes a rectification task in one click from the 短板清单 page, and a key
case from the ledger; the task then appears on the tasks page for the department."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from data import tasks as task_store
from data.accounts import DEPT_USER, LEADER, Principal
from data.db import Database
from tests.fixtures.apptest import as_role, assert_clean, open_page


def _submit(app: AppTest, label: str = "下达") -> None:
    next(b for b in app.button if b.label == label).click()
    app.run()


def test_weak_link_to_task_to_department(app: AppTest, demo_db_url: str) -> None:
    open_page(app, "weak_links.py", period="2026Q3", link="JH009.on_time_rate")
    assert_clean(app)
    resp = next(w for w in app.text_input if w.label == "责任人")
    resp.input("王五")
    _submit(app)
    assert_clean(app)
    assert any("已下达整改任务" in s.value for s in app.success)
    db = Database(demo_db_url)
    with db.session() as s:
        tasks = task_store.list_tasks(s, Principal("l", "领导", LEADER))
    row = tasks.iloc[0]
    assert (row["dept_code"], row["responsible"], row["source_kind"], row["status"]) == ("JH009", "王五", "短板", "待整改")
    assert row["source_ref"] == "短板:JH009:on_time_rate:2026-07-01:2026-09-30"
    # one click only: the same weak link is not assigned twice
    _submit(app)
    assert any("已有未完成的整改任务" in w.value for w in app.warning)
    # the department sees it on its tasks page
    as_role(app, DEPT_USER, "JH009")
    open_page(app, "tasks.py")
    assert_clean(app)
    assert int(row["id"]) in app.dataframe[0].value["编号"].tolist()
