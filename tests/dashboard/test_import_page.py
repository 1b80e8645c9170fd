"""数据导入 page (AppTest): an administrator uploads files through the real file uploader; a bad
file shows every problem (file, row, column, value, reason) and changes nothing; a good file
shows its preview, commits whole on confirmation, changes the data version and is audited; an
empty database can be filled from the page; only administrators have the page."""

from __future__ import annotations

import io
from collections.abc import Iterator

import openpyxl
import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from dashboard.navigation import allowed
from dashboard.screens.data_import import upload as parts
from data.accounts import ADMIN, LEADER, Principal
from data.batches import data_version
from data.db import Database
from tests.fixtures.apptest import APP, as_role, assert_clean, frame

HEADER = ("办件编号,事项编码,受理部门编码,街道编码,申请渠道,审批方式,申请时间,受理时间,审查完成时间,决定时间,"
          "办结时间,办理状态,办理结果,特别程序用时,到现场次数,好差评\n")
GOOD = (HEADER
        + "JH20990101000001,440704-BA-0414-01,JH004,JH017,网上办理,即办件,2026-10-20 09:00,2026-10-20 09:10,"
          "2026-10-20 09:30,2026-10-20 09:40,2026-10-20 10:00,已办结,准予,0,0,5\n"
        + "JH20990101000002,440704-BA-0414-01,JH004,,窗口办理,即办件,2026-10-21 09:00,2026-10-21 09:10,"
          "2026-10-21 09:30,2026-10-21 09:40,2026-10-21 10:00,已办结,准予,0,1,4\n").encode("utf-8")
BAD = (HEADER
       + "JH20990101000003,440704-BA-0414-01,JH004,JH017,飞鸽传书,即办件,2026-10-20 09:00,2026-10-20 09:10,"
         ",,2026-10-20 10:00,已办结,准予,0,0,5\n"
       + "JH20990101000004,NOPE-ITEM,JH004,,网上办理,即办件,2026-13-45 09:00,,,,,在办,,0,,\n").encode("utf-8")


def departments_workbook(row: list[str]) -> bytes:
    """An .xlsx file with one sheet 部门 holding ``row`` under the contract's headers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "部门"
    ws.append(["部门编码", "部门名称", "部门类型"])
    ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def admin_page(app: AppTest) -> AppTest:
    as_role(app, ADMIN)
    app.run()
    app.switch_page("screens/data_import/page.py")
    app.run()
    return app


@pytest.fixture
def demo_db(demo_db_url: str) -> Iterator[Database]:
    """The test's demo database, opened once for the whole test (as the app keeps it open)."""
    database = Database(demo_db_url)
    try:
        yield database
    finally:
        database.dispose()


def count(db: Database, table: str) -> int:
    with db.session() as session:
        return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def version(db: Database) -> int:
    with db.session() as session:
        return data_version(session)


def test_bad_file_shows_every_problem_and_changes_nothing(app: AppTest, demo_db: Database) -> None:
    before = count(demo_db, "applications"), version(demo_db)
    admin_page(app)
    assert_clean(app)
    assert [t.value for t in app.title] == ["数据导入"]
    app.file_uploader[0].set_value(("办件.csv", BAD, "text/csv")).run()
    assert_clean(app)
    assert any("共发现 4 个问题" in w.value and "数据库未作任何更改" in w.value for w in app.warning)
    problems = frame(app, "原因")
    assert problems.columns.tolist() == ["文件", "行号", "列", "单元格内容", "原因"]  # no sheets in a CSV
    got = {(r["文件"], r["行号"], r["列"], r["单元格内容"]) for _, r in problems.iterrows()}
    assert ("办件.csv", 2, "申请渠道", "飞鸽传书") in got
    assert ("办件.csv", 3, "事项编码", "NOPE-ITEM") in got
    assert ("办件.csv", 3, "申请时间", "2026-13-45 09:00") in got
    missing = problems[problems["列"] == "受理时间"]  # an empty cell: no content to show
    assert missing[["文件", "行号"]].values.tolist() == [["办件.csv", 3]]
    assert missing["单元格内容"].isna().all()
    assert "办理状态为「在办」时受理时间必填" in missing["原因"].iloc[0]
    assert len(problems) == 4
    assert problems["原因"].str.contains("[\u4e00-\u9fff]").all()
    assert not problems["列"].str.contains("[A-Za-z]").any()  # no English column ids
    assert not any(b.label == "确认导入" for b in app.button)
    assert (count(demo_db, "applications"), version(demo_db)) == before


def test_good_file_commits_whole(app: AppTest, demo_db: Database) -> None:
    before = count(demo_db, "applications")
    v0 = version(demo_db)
    admin_page(app)
    app.file_uploader[0].set_value([("办件.csv", GOOD, "text/csv")]).run()
    assert_clean(app)
    assert any("校验通过" in s.value for s in app.success)
    preview = frame(app, "新增行数")
    assert preview.to_dict("records") == [{"数据表": "办件", "新增行数": 2, "替换行数": 0, "未变行数": 0}]
    assert count(demo_db, "applications") == before  # the validation stored nothing
    app.button(key="imp_commit").click().run()
    assert_clean(app)
    assert any("导入成功" in s.value for s in app.success)
    assert frame(app, "新增行数")["新增行数"].tolist() == [2]
    assert count(demo_db, "applications") == before + 2
    assert version(demo_db) > v0  # other pages' caches are keyed by this version
    history = frame(app, "各表行数")
    assert history["结果"].iloc[0] == "成功" and history["操作人"].iloc[0] == "演示管理员"
    assert count(demo_db, "audit_log") >= 1
    # the uploader starts empty again; the batch stays in the history
    app.run()
    assert_clean(app)
    assert any("请先选择要导入的文件" in i.value for i in app.info)
    # importing the same file again changes nothing
    app.file_uploader[0].set_value(("办件.csv", GOOD, "text/csv")).run()
    assert frame(app, "未变行数")["未变行数"].tolist() == [2]


def test_excel_workbook_and_several_files(app: AppTest) -> None:
    book = departments_workbook(["JH090", "区测试局", "区直部门"])
    admin_page(app)
    app.file_uploader[0].set_value([
        ("新部门.xlsx", book, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("办件.csv", GOOD, "text/csv"),
    ]).run()
    assert_clean(app)
    preview = frame(app, "新增行数").set_index("数据表")
    assert preview.loc["部门", "新增行数"] == 1 and preview.loc["办件", "新增行数"] == 2
    files = frame(app, "数据行数")
    assert set(files["文件"]) == {"新部门.xlsx", "办件.csv"}


def test_bad_workbook_names_its_sheet(app: AppTest) -> None:
    book = departments_workbook(["JH091", "区测试局", "测试类型"])
    admin_page(app)
    app.file_uploader[0].set_value(("部门表.xlsx", book, "application/octet-stream")).run()
    assert_clean(app)
    problems = frame(app, "原因")
    assert problems.columns.tolist() == ["文件", "工作表", "行号", "列", "单元格内容", "原因"]
    assert problems.iloc[0][["文件", "工作表", "行号", "列", "单元格内容"]].tolist() == [
        "部门表.xlsx", "部门", 2, "部门类型", "测试类型"]


def test_empty_database_can_be_filled(db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARKET_ACCESS_DB", db_url)
    monkeypatch.setenv("MARKET_ACCESS_DEMO", "1")
    app = AppTest.from_file(str(APP), default_timeout=60)
    admin_page(app)
    assert_clean(app)
    departments = "部门编码,部门名称,部门类型\nJH001,区发展改革局,区直部门\n".encode("gbk")  # a GBK file
    app.file_uploader[0].set_value(("部门.csv", departments, "text/csv")).run()
    assert_clean(app)
    app.button(key="imp_commit").click().run()
    assert_clean(app)
    assert any("导入成功" in s.value for s in app.success)
    assert count(db, "departments") == 1


def test_only_administrators_have_the_page() -> None:
    assert allowed("data_import", Principal("a", "管理员", ADMIN))
    assert not allowed("data_import", Principal("l", "领导", LEADER))


def test_upload_problems_of_the_upload_itself(db: Database) -> None:
    twice = parts.run(db, [("部门.csv", b"x"), ("部门.csv", b"y")], dry_run=True).report
    assert not twice.ok and "同名文件" in twice.problems[0].reason
    path = parts.run(db, [("../部门.csv", b"x")], dry_run=True).report
    assert not path.ok and "文件名无效" in path.problems[0].reason
    assert not parts.run(db, [], dry_run=True).report.ok
    assert count(db, "import_batches") == 0  # refused before the importer: nothing recorded
    assert parts.chinese_only("受理时间 (accepted_at)") == "受理时间"
    assert parts.chinese_only("必填列 办件编号 (app_id) 没有对应的表头") == "必填列 办件编号 没有对应的表头"
    assert parts.chinese_only("文件「导出 (final).csv」") == "文件「导出 (final).csv」"  # only contract ids go
    assert parts.chinese_only("引用的政务服务事项（service_items）中没有该编码") == "引用的政务服务事项中没有该编码"
