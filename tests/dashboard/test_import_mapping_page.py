"""数据导入 page with real-export-shaped files (AppTest): the table recognised from the headers,
the proposed mapping confirmed with value rewrites offered from the dry run and saved as a
导入模板, the next month's file imported with the template applied without a question, a file
with one bad row refused with that row named and handed back, an undecided table chosen from
a select, and the templates renamed, edited and deleted (audited)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text
from streamlit.testing.v1 import AppTest

from dashboard.kit.escape import escape_md
from data.accounts import ADMIN
from data.db import Database
from data.import_service import list_mappings
from data.schema import CONTRACT
from tests.fixtures.apptest import APP, as_role, assert_clean, frame, page_text
from tests.fixtures.exports import CSV_NAME, month_rows, write_export_csv
from tests.fixtures.imports import base_rows, run, write_dataset

NEXT_NAME = "区住建局2026年11月办件明细导出(1).csv"


@pytest.fixture
def base_db(db: Database, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """This test's database holding the departments, negative list and items the exports refer to."""
    data = base_rows()
    paths = write_dataset(tmp_path / "base", {k: data[k] for k in ("departments", "negative_list", "service_items")})
    assert run(db, paths).ok
    monkeypatch.setenv("MARKET_ACCESS_DB", db_url)
    monkeypatch.setenv("MARKET_ACCESS_DEMO", "1")
    yield db


def open_import(db: Database) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=120)
    as_role(app, ADMIN)
    app.run()
    app.switch_page("screens/data_import/page.py")
    app.run()
    assert_clean(app)
    return app


def upload(app: AppTest, name: str, data: bytes) -> AppTest:
    app.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert_clean(app)
    return app


def selectbox(app: AppTest, label: str):  # type: ignore[no-untyped-def]
    found = [s for s in app.selectbox if s.label == label]
    assert len(found) == 1, [s.label for s in app.selectbox]
    return found[0]


def button(app: AppTest, label: str):  # type: ignore[no-untyped-def]
    found = [b for b in app.button if b.label == label]
    assert len(found) == 1, [b.label for b in app.button]
    return found[0]


def apps(db: Database) -> dict[str, tuple[str, str]]:
    t = CONTRACT["applications"]
    with db.session() as session:
        return {r.app_id: (r.status, r.channel) for r in session.execute(select(t.c.app_id, t.c.status, t.c.channel))}


CHANGES = ("保存导入模板", "修改导入模板", "删除导入模板", "导入数据")


def audit_actions(db: Database) -> list[str]:
    """The changes recorded in the audit log, in order (page visits left out)."""
    with db.session() as session:
        actions = [r[0] for r in session.execute(text("SELECT action FROM audit_log ORDER BY id"))]
    return [a for a in actions if a in CHANGES]


def confirm_october(app: AppTest, tmp_path: Path, name: str = "住建局办件明细") -> None:
    """Upload October's export, answer the rewrite candidates, save the template."""
    upload(app, CSV_NAME, write_export_csv(tmp_path, month_rows(10)).read_bytes())
    body = page_text(app)
    assert "办件（按表头识别）" in body and "表头在第3行" in body
    assert f"核对列对应并保存为导入模板：文件「{escape_md(CSV_NAME)}」" in [e.label for e in app.expander]
    # the dry run refuses the export's own value forms; each is offered as a rewrite candidate
    assert any("共发现 6 个问题" in w.value for w in app.warning)
    assert not any(b.label == "确认导入" for b in app.button)
    selectbox(app, "办理状态“已办”（2 行）改写为").select("已办结")
    selectbox(app, "申请渠道“网办”（2 行）改写为").select("网上办理")
    selectbox(app, "申请渠道“窗口”（2 行）改写为").select("窗口办理")
    # the proposed column matches are shown to confirm; the export's 序号 is not imported
    assert selectbox(app, "办件流水号").value == "app_id"
    assert selectbox(app, "序号").value is None
    [tpl_name] = [t for t in app.text_input if t.label == "模板名称"]
    tpl_name.input(name)
    button(app, "保存导入模板").click().run()
    assert_clean(app)


def test_export_confirmed_saved_imported_then_next_month_applied(base_db: Database, tmp_path: Path) -> None:
    app = open_import(base_db)
    confirm_october(app, tmp_path)
    assert any("已保存导入模板「住建局办件明细」" in s.value for s in app.success)
    assert any("已套用导入模板「住建局办件明细」" in s.value for s in app.success)
    assert not any(b.label == "保存导入模板" for b in app.button)  # no question once a template fits
    assert any("校验通过" in s.value for s in app.success)
    skipped = frame(app, "跳过原因")
    assert skipped[["行号", "跳过原因"]].values.tolist() == [
        [9, "合计/小计行"], [11, "表尾说明行"], [12, "表尾说明行"], [13, "表尾说明行"]]
    rewrites = frame(app, "改写处数")
    assert sorted(rewrites[["列", "原值", "改写为", "改写处数"]].values.tolist()) == [
        ["办理状态", "已办", "已办结", 2], ["申请渠道", "窗口", "窗口办理", 2], ["申请渠道", "网办", "网上办理", 2]]
    assert apps(base_db) == {}  # nothing stored before the commit
    button(app, "确认导入").click().run()
    assert_clean(app)
    assert any("导入成功" in s.value for s in app.success)
    stored = apps(base_db)
    assert len(stored) == 5 and stored["ZJ10001"] == ("已办结", "网上办理") and stored["ZJ10002"][1] == "窗口办理"

    # next month: same headers, another file name — applied without a question, rows imported
    app.run()  # the uploader starts empty after a commit
    upload(app, NEXT_NAME, write_export_csv(tmp_path, month_rows(11), name=NEXT_NAME).read_bytes())
    assert any(f"文件「{escape_md(NEXT_NAME)}」：已套用导入模板「住建局办件明细」" in s.value for s in app.success)
    assert not any(b.label == "保存导入模板" for b in app.button)
    assert frame(app, "新增行数")["新增行数"].tolist() == [5]
    button(app, "确认导入").click().run()
    assert_clean(app)
    assert len(apps(base_db)) == 10
    assert audit_actions(base_db) == ["保存导入模板", "导入数据", "导入数据"]


def test_a_file_with_one_bad_row_is_refused_and_handed_back(base_db: Database, tmp_path: Path) -> None:
    app = open_import(base_db)
    confirm_october(app, tmp_path)
    rows = month_rows(11)
    rows[2] = dataclasses.replace(rows[2], status="办理中")  # no rewrite for it: Excel row 6
    upload(app, NEXT_NAME, write_export_csv(tmp_path, rows, name=NEXT_NAME).read_bytes())
    assert any("共发现 1 个问题" in w.value and "数据库未作任何更改" in w.value for w in app.warning)
    problems = frame(app, "原因")
    assert problems[["文件", "行号", "列", "单元格内容"]].values.tolist() == [[NEXT_NAME, 6, "办理状态", "办理中"]]
    assert not any(b.label == "确认导入" for b in app.button)
    labels = [str(getattr(b, "label", "")) for b in app.get("download_button")]
    backs = [label for label in labels if "待修改" in label]
    assert backs == [f"下载待修改文件 {escape_md('区住建局2026年11月办件明细导出(1)_待修改.csv')}（1 行有问题）"]
    assert apps(base_db) == {}


def test_undecided_table_is_chosen_from_a_select(base_db: Database) -> None:
    app = open_import(base_db)
    both = "部门编码,部门名称,部门类型,评估期,评估维度,指标名称,得分\nD01,区发展改革局,区直部门,2025,办事流程,办理时限压缩率,90\n"
    upload(app, "导出.csv", both.encode("utf-8"))
    assert any("表头同时符合 部门、省平台评估结果" in w.value for w in app.warning)
    choice = selectbox(app, f"文件「{escape_md('导出.csv')}」要导入的数据表")
    assert choice.options == ["部门", "省平台评估结果"] and choice.value is None
    choice.select("provincial_scores").run()
    assert_clean(app)
    assert "省平台评估结果（按所选识别）" in page_text(app)
    assert frame(app, "新增行数").to_dict("records") == [
        {"数据表": "省平台评估结果", "新增行数": 1, "替换行数": 0, "未变行数": 0}]


def test_templates_are_renamed_edited_and_deleted(base_db: Database, tmp_path: Path) -> None:
    app = open_import(base_db)
    assert any("暂无导入模板" in i.value for i in app.info)
    confirm_october(app, tmp_path, "甲")
    listed = frame(app, "模板名称")
    assert listed[["模板名称", "数据表", "表头行"]].values.tolist() == [["甲", "办件", 3]]
    area = next(a for a in app.text_area if a.label.startswith("值改写"))
    assert sorted(str(area.value).splitlines()) == ["办理状态：已办 => 已办结", "申请渠道：窗口 => 窗口办理", "申请渠道：网办 => 网上办理"]
    # a rewrite that would turn one valid value into another is refused, nothing changes
    area.input("办理状态：在办 => 已办结")
    next(t for t in app.text_input if t.label == "模板名称" and t.value == "甲").input("乙")
    button(app, "保存修改").click().run()
    assert_clean(app)
    assert any("原值已是合法值" in w.value for w in app.warning)
    with base_db.session() as session:
        assert [(m.name, len(m.rewrites)) for m in list_mappings(session)] == [("甲", 3)]
    area = next(a for a in app.text_area if a.label.startswith("值改写"))
    area.input("办理状态：已办 => 已办结")
    button(app, "保存修改").click().run()
    assert_clean(app)
    assert any("已保存对导入模板「乙」的修改" in s.value for s in app.success)
    with base_db.session() as session:
        assert [(m.name, m.rewrites) for m in list_mappings(session)] == [("乙", (("status", "已办", "已办结"),))]
    button(app, "删除模板").click().run()
    assert any("请先勾选" in w.value for w in app.warning)
    next(c for c in app.checkbox if c.label == "确认删除该模板").check()
    button(app, "删除模板").click().run()
    assert_clean(app)
    assert any("已删除导入模板「乙」" in s.value for s in app.success)
    with base_db.session() as session:
        assert list_mappings(session) == ()
    assert audit_actions(base_db) == ["保存导入模板", "修改导入模板", "删除导入模板"]


def test_workbook_sheet1_with_merged_cells_is_reported(base_db: Database, tmp_path: Path) -> None:
    from tests.fixtures.exports import XLSX_NAME, write_export_xlsx

    app = open_import(base_db)
    book = write_export_xlsx(tmp_path, month_rows(9)).read_bytes()
    app.file_uploader[0].set_value((XLSX_NAME, book, "application/octet-stream")).run()
    assert_clean(app)
    body = page_text(app)
    # the empty Sheet2 is not a source; Sheet1 is recognised by its headers, its merged cells filled
    assert (f"文件「{escape_md(XLSX_NAME)}」工作表「Sheet1」：办件（按表头识别）；表头在第3行；"
            f"合并单元格 {escape_md('N4:N6 已向下填充')}") in body
    assert "Sheet2" not in body
    skipped = frame(app, "跳过原因")
    assert skipped[["工作表", "行号", "跳过原因"]].values.tolist() == [
        ["Sheet1", 9, "合计/小计行"], ["Sheet1", 10, "表尾说明行"], ["Sheet1", 11, "表尾说明行"]]
    assert selectbox(app, "受理部门编码").value == "dept_code"
    selectbox(app, "办理状态“已办”（2 行）改写为").select("已办结")
    selectbox(app, "申请渠道“网办”（2 行）改写为").select("网上办理")
    selectbox(app, "申请渠道“窗口”（2 行）改写为").select("窗口办理")
    button(app, "保存导入模板").click().run()
    assert_clean(app)
    assert any(f"已套用导入模板「{escape_md('办件-区住建局2026年12月办件明细导出-Sheet1')}」" in s.value for s in app.success)
    button(app, "确认导入").click().run()
    assert_clean(app)
    t = CONTRACT["applications"]
    with base_db.session() as session:
        depts = dict(session.execute(select(t.c.app_id, t.c.dept_code)).all())
    assert [depts[f"ZJ09{i:03d}"] for i in (1, 2, 3)] == ["D02"] * 3  # filled down from the merged N4


def test_a_template_that_cannot_be_saved_says_why(base_db: Database, tmp_path: Path) -> None:
    app = open_import(base_db)
    upload(app, CSV_NAME, write_export_csv(tmp_path, month_rows(10)).read_bytes())
    selectbox(app, "办件流水号").select_index(0)  # （不导入）: the key column left unmapped
    button(app, "保存导入模板").click().run()
    assert_clean(app)
    assert any("导入模板未保存" in w.value and "必填列 办件编号 没有对应的表头" in w.value for w in app.warning), [
        w.value for w in app.warning]
    with base_db.session() as session:
        assert list_mappings(session) == ()


def test_names_from_the_upload_are_shown_as_text(base_db: Database) -> None:
    name = "[点我](javascript:alert)*部门*.csv"
    app = open_import(base_db)
    upload(app, name, "部门编码,部门名称,部门类型\nD09,区测试局,区直部门\n".encode())
    line = next(m.value for m in app.markdown if "表头在第1行" in m.value)
    assert f"文件「{escape_md(name)}」：部门（按表头识别）" in line
    assert r"\[点我\]\(javascript\:" in line  # no link, no emphasis: markdown characters escaped


def test_a_saved_template_can_be_applied_to_changed_headers(base_db: Database, tmp_path: Path) -> None:
    from tests.fixtures.exports import export_records

    app = open_import(base_db)
    confirm_october(app, tmp_path)
    records = export_records(month_rows(11))
    records[2][2] = "事项全称"  # the platform renamed a column it exports: another header fingerprint
    changed = "\r\n".join(",".join(r) for r in records).encode("gbk")
    upload(app, "改版后的导出.csv", changed)
    assert not any("已套用导入模板" in s.value for s in app.success)  # not applied by itself
    assert any("共发现" in w.value for w in app.warning)
    use = selectbox(app, f"文件「{escape_md('改版后的导出.csv')}」：套用已有导入模板（可选）")
    assert use.options == ["不套用，按下方建议的列对应", "住建局办件明细"]
    use.select("住建局办件明细").run()
    assert_clean(app)
    assert any("已套用导入模板「住建局办件明细」" in s.value for s in app.success)
    assert any("校验通过" in s.value for s in app.success)
    hints = frame(app, "原因")  # the warnings: headers differ from the template's, 事项全称 ignored
    assert "表头与导入模板「住建局办件明细」保存时的表头不完全相同，请核对列的对应" in hints["原因"].tolist()
    button(app, "确认导入").click().run()
    assert_clean(app)
    assert len(apps(base_db)) == 5
