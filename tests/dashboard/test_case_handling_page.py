"""Case handling in 案例线索 (AppTest on the demo data): the 待办 list with overdue handling
deadlines, the 办理 panel's step forms by role (administrator, the responsible unit, another
unit, a leader), each submit one step stored with its history, refusals in Chinese with
nothing stored, the reporter's contact for the administrator and the unit only, and user
text shown as text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from data import case_handling as ch
from data.accounts import Principal
from data.case_rows import read_case, today_local
from data.db import Database
from data.feedback_form import Submission
from data.feedback_store import submit
from data.importer import import_files
from tests.fixtures.apptest import as_role, assert_clean, frame, open_page, page_text

PAGE = "cases"
HOSTILE = "<script>alert('x')</script> **粗体** [链接](http://example.invalid) :red[红字]"
ADMIN = Principal("demo-管理员", "演示管理员", "管理员")
UNIT = Principal("demo-部门用户", "演示部门用户", "部门用户", "JH009")


def _feedback(db_url: str, tmp_path: Path, description: str = "办理施工许可时被要求提供额外证明。") -> str:
    """A public feedback submitted to the demo database (status 待转办); its case_id."""
    s = Submission("江门市某某建材有限公司", None, "13800138000", "违规设置隐性壁垒", "另设条件", None, None,
                   description)
    db = Database(db_url)
    try:
        with db.session() as session:
            return submit(session, s, [], tmp_path / "attachments").case_id
    finally:
        db.dispose()


def _imported(db_url: str, tmp_path: Path, received: dt.date) -> str:
    """An imported case (source 市级转办, status 待转办, received on ``received``); its case_id."""
    row = {"case_id": "XS209900077", "received_date": f"{received:%Y-%m-%d}", "source": "市级转办",
           "category": "其他", "dept_code": "JH009", "status": "待转办"}
    path = tmp_path / "cases.csv"
    path.write_text(",".join(row) + "\n" + ",".join(row.values()) + "\n", encoding="utf-8")
    db = Database(db_url)
    try:
        with db.session() as session:
            report = import_files(session, [path], user="tests")
            assert report.ok, report.problems[:3]
    finally:
        db.dispose()
    return row["case_id"]


def _steps(db_url: str, *requests: tuple[Principal, ch.Request]) -> None:
    db = Database(db_url)
    try:
        with db.session() as session:
            for actor, request in requests:
                ch.apply(session, actor, request)
    finally:
        db.dispose()


def _case(db_url: str, case_id: str) -> dict[str, Any]:
    db = Database(db_url)
    try:
        with db.session() as session:
            row = read_case(session, case_id)
            assert row is not None
            return dict(row)
    finally:
        db.dispose()


def _status(db_url: str, case_id: str) -> str:
    return str(_case(db_url, case_id)["status"])


def _todo_ids(app: AppTest) -> set[str]:
    """The case ids of the 待办 list (empty when the page says there is nothing to do)."""
    tables = [d.value.data if hasattr(d.value, "data") else d.value for d in app.dataframe]
    todo = [t for t in tables if "待办事项" in t.columns]
    return set(todo[0]["线索编号"]) if todo else set()


def _one(elements: Any, label: str) -> Any:
    """The only widget of ``elements`` labelled ``label``."""
    found = [e for e in elements if e.label == label]
    assert len(found) == 1, [e.label for e in elements]
    return found[0]


def _form_button(app: AppTest, label: str) -> Any:
    return _one(app.button, label)


def test_admin_transfers_from_the_todo_list(app: AppTest, demo_db_url: str, tmp_path: Path) -> None:
    case_id = _feedback(demo_db_url, tmp_path)
    open_page(as_role(app, "管理员"), PAGE, period="2026Q4", case=case_id)
    assert_clean(app)
    todo = frame(app, "待办事项")
    mine = todo[todo["线索编号"] == case_id]
    assert list(mine["办理状态"]) == ["待转办"] and list(mine["待办事项"]) == ["转办"]
    assert "我的待办线索" in [s.value for s in app.subheader]
    assert [t.label for t in app.tabs] == ["转办"]
    dept = _one(app.selectbox, "转办至责任单位")
    dept.set_value("JH009")
    deadline = _one(app.date_input, "办理时限")
    deadline.set_value(today_local() + dt.timedelta(days=10))
    _form_button(app, "确认转办").click().run()
    assert_clean(app)
    assert _status(demo_db_url, case_id) == "已转办"
    assert any(f"线索 {case_id} 已转办，当前状态：已转办" in s.value for s in app.success)
    history = frame(app, "办理步骤")
    assert list(history["办理步骤"]) == ["受理", "转办"]
    assert "JH009" in history.iloc[1]["说明"]
    assert [t.label for t in app.tabs] == []  # nothing more for the administrator until the unit reports
    assert "当前状态下您没有可办理的步骤。" in [c.value for c in app.caption]
    # the transferred case waits for the unit now, not for the administrator
    assert case_id not in _todo_ids(app)


def test_unit_verifies_refusal_then_success(app: AppTest, demo_db_url: str, tmp_path: Path) -> None:
    case_id = _feedback(demo_db_url, tmp_path)
    _steps(demo_db_url, (ADMIN, ch.Transfer(case_id, "JH009", today_local() + dt.timedelta(days=10))))
    open_page(as_role(app, "部门用户", "JH009"), PAGE, period="2026Q4", case=case_id)
    assert_clean(app)
    todo = frame(app, "待办事项")
    assert set(todo["责任单位"]) == {"区住房城乡建设局"}  # only its own cases
    assert list(todo[todo["线索编号"] == case_id]["待办事项"]) == ["开始核查、核查"]
    assert [t.label for t in app.tabs] == ["开始核查", "核查"]
    _form_button(app, "提交核查结论").click().run()
    assert [e.value for e in app.error] == ["请填写核查情况。"]
    assert _status(demo_db_url, case_id) == "已转办"  # refused: nothing stored
    facts = _one(app.text_area, "核查情况")
    facts.set_value(HOSTILE)
    _one(app.radio, "核查结论").set_value("属实")
    _form_button(app, "提交核查结论").click().run()
    assert_clean(app)
    assert _status(demo_db_url, case_id) == "整改中"
    assert [t.label for t in app.tabs] == ["整改"]
    # the facts come back as text, never as markup
    assert HOSTILE in [t.value for t in app.text]
    assert "<script>" not in page_text(app) and "**粗体**" not in page_text(app)
    assert frame(app, "办理步骤").iloc[-1]["说明"] == f"属实：{HOSTILE}"


def test_whole_path_in_the_panel(app: AppTest, demo_db_url: str, tmp_path: Path) -> None:
    case_id = _feedback(demo_db_url, tmp_path)
    _steps(demo_db_url, (ADMIN, ch.Transfer(case_id, "JH009", today_local() + dt.timedelta(days=10))),
           (UNIT, ch.Verify(case_id, "不属实", "经核查，所需材料为法定材料")))
    open_page(as_role(app, "部门用户", "JH009"), PAGE, period="2026Q4", case=case_id)
    assert [t.label for t in app.tabs] == ["反馈"]
    _one(app.text_area, "反馈内容（核查和办理情况）").set_value("已向企业说明")
    _form_button(app, "反馈办理结果").click().run()
    assert_clean(app)
    assert [t.label for t in app.tabs] == []
    as_role(app, "管理员").run()
    assert [t.label for t in app.tabs] == ["办结"]
    _form_button(app, "确认办结").click().run()
    assert _status(demo_db_url, case_id) == "已办结"
    assert [t.label for t in app.tabs] == ["发布答复"]
    todo = frame(app, "待办事项")
    assert list(todo[todo["线索编号"] == case_id]["待办事项"]) == ["发布答复"]
    _one(app.text_area, "答复内容（反映人凭受理编号和查询码查看）").set_value("经核查，所需材料为法定材料。")
    _form_button(app, "发布答复").click().run()
    assert_clean(app)
    assert "经核查，所需材料为法定材料。" in [t.value for t in app.text]
    assert list(frame(app, "办理步骤")["办理步骤"]) == ["受理", "转办", "核查", "反馈", "办结", "发布答复"]
    assert case_id not in _todo_ids(app)  # answered: off the to-do list


def test_overdue_handling_deadline_marked(app: AppTest, demo_db_url: str, tmp_path: Path) -> None:
    today = today_local()
    case_id = _imported(demo_db_url, tmp_path, today - dt.timedelta(days=10))
    _steps(demo_db_url, (ADMIN, ch.Transfer(case_id, "JH009", today - dt.timedelta(days=1),
                                            on=today - dt.timedelta(days=3))))
    open_page(as_role(app, "部门用户", "JH009"), PAGE, period="2026Q4", case=case_id)
    assert_clean(app)
    todo = frame(app, "待办事项")
    row = todo[todo["线索编号"] == case_id].iloc[0]
    assert row["是否逾期"] == "已逾期" and row["办理时限"] == f"{today - dt.timedelta(days=1):%Y-%m-%d}"
    late = int((todo["是否逾期"] == "已逾期").sum())
    assert any(f"其中 {late} 件已超过办理时限（按今天 {today:%Y-%m-%d} 判断）" in c.value for c in app.caption)
    assert any("已超过办理时限" in w.value for w in app.warning)


def test_other_unit_and_leader_cannot_act(app: AppTest, demo_db_url: str, tmp_path: Path) -> None:
    case_id = _feedback(demo_db_url, tmp_path)
    _steps(demo_db_url, (ADMIN, ch.Transfer(case_id, "JH009", today_local() + dt.timedelta(days=10))))
    open_page(as_role(app, "部门用户", "JH010"), PAGE, period="2026Q4", case=case_id)
    assert_clean(app)
    assert [t.label for t in app.tabs] == []
    assert not any(b.label == "查看反映人联系方式" for b in app.button)
    assert case_id not in _todo_ids(app)
    assert "没有找到编号为该值的案例" in page_text(app)  # another unit's case: nothing of it
    as_role(app, "领导").run()
    assert_clean(app)
    assert [t.label for t in app.tabs] == []
    assert "我的待办线索" not in [s.value for s in app.subheader]
    assert "线索由管理员（区发展改革局）和责任单位办理，您可查看办理记录。" in [c.value for c in app.caption]
    assert not any(b.label == "查看反映人联系方式" for b in app.button)


def test_contact_for_admin_and_responsible_unit(app: AppTest, demo_db_url: str, tmp_path: Path) -> None:
    case_id = _feedback(demo_db_url, tmp_path)
    _steps(demo_db_url, (ADMIN, ch.Transfer(case_id, "JH009", today_local() + dt.timedelta(days=10))))
    open_page(as_role(app, "管理员"), PAGE, period="2026Q4", case=case_id)
    assert not any("13800138000" in t.value for t in app.text)  # only on request (each reading is audited)
    _form_button(app, "查看反映人联系方式").click().run()
    assert any("联系电话：13800138000" in t.value for t in app.text)
    as_role(app, "部门用户", "JH009").run()  # the responsible unit
    assert not any("13800138000" in t.value for t in app.text)
    _form_button(app, "查看反映人联系方式").click().run()
    assert any("联系电话：13800138000" in t.value for t in app.text)


def test_admin_spawns_a_rectification_task(app: AppTest, demo_db_url: str, tmp_path: Path) -> None:
    case_id = _feedback(demo_db_url, tmp_path)
    today = today_local()
    _steps(demo_db_url, (ADMIN, ch.Transfer(case_id, "JH009", today + dt.timedelta(days=10))),
           (UNIT, ch.Verify(case_id, "属实", "窗口要求额外证明", rectify_deadline=today + dt.timedelta(days=20))))
    open_page(as_role(app, "管理员"), PAGE, period="2026Q4", case=case_id)
    assert [t.label for t in app.tabs] == ["下达整改任务"]
    assert case_id not in _todo_ids(app)  # offered, but nobody waits for it
    assert _one(app.text_area, "整改要求").value == "窗口要求额外证明"  # the facts as the requirement
    _form_button(app, "下达整改任务").click().run()
    assert [e.value for e in app.error] == ["责任人不能为空。"]
    assert _status(demo_db_url, case_id) == "整改中" and "任务" not in str(_case(demo_db_url, case_id)["rectify_tasks"])
    _one(app.text_input, "任务责任人").set_value("张科长")
    _form_button(app, "下达整改任务").click().run()
    assert_clean(app)
    tasks = str(_case(demo_db_url, case_id)["rectify_tasks"])
    assert tasks.startswith("任务") and tasks.endswith(f"：线索{case_id}整改")
    assert frame(app, "办理步骤").iloc[-1]["办理步骤"] == "下达整改任务"
    assert _status(demo_db_url, case_id) == "整改中"  # the unit still records the rectification
