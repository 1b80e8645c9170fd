"""Files shaped like real departmental exports import without hand-editing (issue 14).

A GBK CSV whose name names no table and a workbook whose sheet is Sheet1, both with a
title row and a unit line above the header, alias headers, their own value forms, a 合计
row and footnotes (the workbook with merged cells), import through the CLI and the facade
with a saved mapping; the same files with one bad row are refused with that row named, and
the file handed back with the row marked imports once the row is fixed.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from cli.main import main
from data import audit
from data.db import Database
from data.import_service import (
    ImportRequest,
    MappingError,
    Source,
    list_mappings,
    mapping_from_layout,
    propose,
    run_import,
    save_mapping,
)
from data.schema import CONTRACT
from tests.fixtures.exports import (
    CSV_NAME,
    FIRST_DATA_ROW,
    MERGED_DEPT,
    REWRITES,
    export_records,
    month_rows,
    write_export_csv,
    write_export_xlsx,
)
from tests.fixtures.imports import base_rows, counts, write_dataset

NOW = dt.datetime(2026, 12, 1, 12, 0)


def _base(db_url: str, tmp_path: Path) -> None:
    data = base_rows()
    paths = write_dataset(tmp_path / "base", {k: data[k] for k in ("departments", "negative_list", "service_items")})
    assert main(["--db", db_url, "import", *map(str, paths)]) == 0


def _apps(db: Database) -> dict[str, dict[str, object]]:
    t = CONTRACT["applications"]
    with db.session() as session:
        rows = session.execute(select(t.c.app_id, t.c.status, t.c.channel, t.c.dept_code, t.c.entity_id)).all()
    return {r.app_id: r._asdict() for r in rows}


def _source(path: Path) -> Source:
    return Source(path.name, path.read_bytes())


def _save(db: Database, path: Path, name: str = "住建局办件明细") -> None:
    """What the administrator does on the import page: confirm the proposed mapping with the rewrites."""
    with db.session() as session:
        (proposal,) = propose(session, [_source(path)]).proposals
        assert proposal.layout.table == "applications" and proposal.layout.how == "表头"
        save_mapping(session, mapping_from_layout(proposal.layout, name, REWRITES), "管理员")


# --- the CSV export through the CLI -------------------------------------------------------------

def test_csv_export_imports_through_cli_with_saved_mapping(
    db: Database, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _base(db_url, tmp_path)
    capsys.readouterr()
    october = write_export_csv(tmp_path, month_rows(10))
    code = main(["--db", db_url, "import", str(october), "--save-mapping", "住建局办件明细",
                 "--rewrite", "办理状态=已办=>已办结", "--rewrite", "channel=网办=>网上办理",
                 "--rewrite", "申请渠道=窗口=>窗口办理"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert out.err == ""  # 序号/事项名称/申请人名称 are ignored by the mapping, without warnings
    assert "已保存导入模板「住建局办件明细」（办件，表头在第3行）" in out.out
    line = next(x for x in out.out.splitlines() if x.startswith(f"文件「{CSV_NAME}」"))
    assert "办件（按模板识别）；表头在第3行；已应用导入模板「住建局办件明细」" in line
    assert "第 9 行（合计5件）：合计/小计行，已跳过" in line
    assert "第 11 行（注：本表数据来源于广东政务服务网）：表尾说明行，已跳过" in line
    assert "第 13 行（导出时间：2026-12-01 09:00）：表尾说明行，已跳过" in line
    assert "改写 列「办理状态 (status)」：「已办」→「已办结」2 处" in line
    assert "改写 列「申请渠道 (channel)」：「网办」→「网上办理」2 处" in line
    assert "改写 列「申请渠道 (channel)」：「窗口」→「窗口办理」2 处" in line
    assert "办件 (applications)：新增 5 行，替换 0 行，未变 0 行" in out.out
    apps = _apps(db)
    assert set(apps) == {f"ZJ10{i:03d}" for i in range(1, 6)}
    assert apps["ZJ10001"]["status"] == "已办结" and apps["ZJ10001"]["channel"] == "网上办理"
    assert apps["ZJ10002"]["channel"] == "窗口办理" and apps["ZJ10004"]["status"] == "已办结"

    # next month's export: same headers, another file name; the mapping is applied without a question
    november = write_export_csv(tmp_path, month_rows(11), name="区住建局2026年11月办件明细导出(1).csv")
    assert main(["--db", db_url, "import", str(november)]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    assert "已应用导入模板「住建局办件明细」" in out.out and "新增 5 行" in out.out
    assert len(_apps(db)) == 10

    # idempotent: the same file again changes nothing
    assert main(["--db", db_url, "import", str(november)]) == 0
    assert "办件 (applications)：新增 0 行，替换 0 行，未变 5 行" in capsys.readouterr().out


def test_csv_export_with_a_bad_row_is_refused_and_handed_back(
    db: Database, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _base(db_url, tmp_path)
    rows = month_rows(10)
    _save(db, write_export_csv(tmp_path, rows))
    rows[2] = dataclasses.replace(rows[2], status="办理中")  # no rewrite for it: Excel row 6
    bad = write_export_csv(tmp_path, rows)
    before = counts(db)
    capsys.readouterr()
    assert main(["--db", db_url, "import", str(bad), "--rejected-dir", str(tmp_path / "back")]) == 1
    err = capsys.readouterr().err
    assert "导入被拒绝：共发现 1 个问题，数据库未作任何更改。" in err
    assert f"文件「{CSV_NAME}」，第 6 行，列「办理状态 (status)」，值「办理中」：不是允许的取值" in err
    assert counts(db) == before

    back = tmp_path / "back" / "区住建局2026年11月办件明细导出_待修改.csv"
    assert f"已写回有问题的文件：{back}（1 行标出问题）" in err
    text = back.read_bytes().decode("gbk")  # same encoding as the export
    assert text.endswith("\r\n")
    records = list(csv.reader(io.StringIO(text, newline="")))
    assert records[2][-2:] == ["问题", "所在列"]
    assert records[5][-1] == "办理状态 (status)"
    assert records[5][-2].startswith("办理状态 (status)：不是允许的取值") and "办理中" in records[5][-2]
    assert [r[-2:] for i, r in enumerate(records[3:9], start=4) if i != 6] == [["", ""]] * 5
    assert records[0][0].startswith("江海区住房和城乡建设局")  # title and footnotes kept

    fixed = back.with_name("改好.csv")
    fixed.write_bytes(text.replace("办理中", "在办").encode("gbk"))
    assert main(["--db", db_url, "import", str(fixed)]) == 0
    out = capsys.readouterr()
    assert out.err == ""  # 问题/所在列 are ignored silently; the mapping still applies
    assert "已应用导入模板「住建局办件明细」" in out.out and "新增 5 行" in out.out


# --- the workbook export through the facade -----------------------------------------------------

def test_xlsx_export_sheet1_with_merged_cells(
    db: Database, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _base(db_url, tmp_path)
    path = write_export_xlsx(tmp_path, month_rows(9))
    with db.session() as session:
        proposed = propose(session, [_source(path)])
    (proposal,) = proposed.proposals  # the empty Sheet2 is not proposed
    layout = proposal.layout
    assert (layout.sheet, layout.table, layout.how, layout.header_row) == ("Sheet1", "applications", "表头", 3)
    assert layout.filled == ("N4:N6 已向下填充",)  # the title (A1:N1) and the 合计 cells are not data
    assert [(s.row, s.reason) for s in layout.skipped] == [(9, "合计/小计行"), (10, "表尾说明行"), (11, "表尾说明行")]
    assert dict(layout.columns)["受理部门编码"] == "dept_code" and dict(layout.columns)["序号"] is None
    assert proposal.spec is not None and proposal.spec.header_row == 3 and not proposal.needs_choice

    with db.session() as session:
        save_mapping(session, mapping_from_layout(layout, "住建局工作簿", REWRITES), "管理员")
    with db.session() as session:
        result = run_import(session, ImportRequest((_source(path),), dry_run=True, user="管理员", now=NOW))
    assert result.report.ok, result.report.problems
    assert result.report.warnings == ()
    (done,) = result.layouts
    assert done.mapping == "住建局工作簿" and done.filled == ("N4:N6 已向下填充",)
    assert {(r.source, r.count) for r in done.rewrites} == {("已办", 2), ("网办", 2), ("窗口", 2)}
    assert _apps(db) == {}  # a dry run

    capsys.readouterr()
    assert main(["--db", db_url, "import", str(path)]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    assert (f"文件「{path.name}」工作表「Sheet1」：办件（按模板识别）；表头在第3行；已应用导入模板「住建局工作簿」；"
            "第 9 行（合计5件）：合计/小计行，已跳过") in out.out
    assert "N4:N6 已向下填充" in out.out and "办件 (applications)：新增 5 行" in out.out
    apps = _apps(db)
    assert [apps[f"ZJ09{i:03d}"]["dept_code"] for i in range(1, 6)] == [MERGED_DEPT] * 3 + [None] * 2


@pytest.mark.parametrize("chunk_rows", [1, 2, 4])
def test_xlsx_export_read_in_chunks_fills_merges_across_them(db: Database, db_url: str, tmp_path: Path,
                                                            chunk_rows: int) -> None:
    """The merged range N4:N6 and the 合计 row and footnotes at the end fall across chunks: the
    sheet is read, filled and stored as when read at once."""
    from data.importer import import_files

    _base(db_url, tmp_path)
    rows = month_rows(9)
    path = write_export_xlsx(tmp_path, rows)
    _save(db, path, "住建局工作簿")
    with db.session() as session:
        whole = import_files(session, [path], dry_run=True, now=NOW)
    with db.session() as session:
        chunked = import_files(session, [path], now=NOW, chunk_rows=chunk_rows)
    assert chunked.ok, chunked.problems
    (done,) = chunked.layouts
    assert done.filled == ("N4:N6 已向下填充",) and done.skipped == whole.layouts[0].skipped
    assert [(s.row, s.reason) for s in done.skipped] == [(9, "合计/小计行"), (10, "表尾说明行"), (11, "表尾说明行")]
    assert sorted((r.source, r.count) for r in done.rewrites) == sorted((r.source, r.count) for r in whole.layouts[0].rewrites)
    assert chunked.count("applications").added == 5
    apps = _apps(db)
    assert [apps[f"ZJ09{i:03d}"]["dept_code"] for i in range(1, 6)] == [MERGED_DEPT] * 3 + [None] * 2


def test_xlsx_export_with_a_bad_row_is_refused_and_handed_back(
    db: Database, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _base(db_url, tmp_path)
    rows = month_rows(9)
    path = write_export_xlsx(tmp_path, rows)
    with db.session() as session:
        (proposal,) = propose(session, [_source(path)]).proposals
        save_mapping(session, mapping_from_layout(proposal.layout, "住建局工作簿", REWRITES), "管理员")
    rows[3] = dataclasses.replace(rows[3], entity="91440704MA4UXXXX10")  # wrong check character: row 7
    bad = write_export_xlsx(tmp_path, rows)
    before = counts(db)
    capsys.readouterr()
    assert main(["--db", db_url, "import", str(bad), "--rejected-dir", str(tmp_path / "back")]) == 1
    err = capsys.readouterr().err
    assert (f"文件「{bad.name}」，工作表「Sheet1」，第 7 行，列「统一社会信用代码 (entity_id)」，"
            "值「91440704MA4UXXXX10」：统一社会信用代码校验码错误") in err
    assert (tmp_path / "back" / "区住建局2026年12月办件明细导出_待修改.xlsx").exists()
    with db.session() as session:
        result = run_import(session, ImportRequest((_source(bad),), dry_run=False, now=NOW))
    assert counts(db) == before
    (problem,) = result.report.problems
    assert (problem.sheet, problem.row, problem.column) == ("Sheet1", FIRST_DATA_ROW + 3, "统一社会信用代码 (entity_id)")
    (back,) = result.rejected
    assert back.name.endswith("_待修改.xlsx") and back.rows == 1

    wb = openpyxl.load_workbook(io.BytesIO(back.data))
    ws = wb["Sheet1"]
    assert (ws.cell(3, 15).value, ws.cell(3, 16).value) == ("问题", "所在列")
    assert ws.cell(7, 16).value == "统一社会信用代码 (entity_id)"
    assert str(ws.cell(7, 15).value).startswith("统一社会信用代码 (entity_id)：统一社会信用代码校验码错误（第 18 位应为")
    assert [ws.cell(r, 15).value for r in (4, 5, 6, 8)] == [None] * 4
    assert "N4:N6" in {str(m) for m in ws.merged_cells.ranges}  # the workbook is the user's own
    ws.cell(7, 6).value = rows[0].entity  # fix the row in Excel
    fixed = io.BytesIO()
    wb.save(fixed)
    with db.session() as session:
        again = run_import(session, ImportRequest((Source("改好.xlsx", fixed.getvalue()),), dry_run=False, now=NOW))
    assert again.report.ok, again.report.problems
    assert again.report.warnings == () and again.layouts[0].mapping == "住建局工作簿"
    assert again.report.count("applications").added == 5


# --- which table --------------------------------------------------------------------------------

def _csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding=encoding)
    return path


def test_table_not_recognised_or_ambiguous_until_chosen(
    db: Database, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _base(db_url, tmp_path)
    both = _csv(tmp_path / "导出.csv", [["部门编码", "部门名称", "部门类型", "评估期", "评估维度", "指标名称", "得分"],
                                      ["D01", "区发展改革局", "区直部门", "2025", "办事流程", "办理时限压缩率", "90"]])
    none = _csv(tmp_path / "明细.csv", [["甲", "乙"], ["1", "2"]])
    with db.session() as session:
        proposed = propose(session, [_source(both), _source(none)])
    first, second = proposed.proposals
    assert first.needs_choice and first.choices == ("departments", "provincial_scores")
    assert "表头同时符合多张表：部门（departments）、省平台评估结果（provincial_scores）" in (first.problems[0].reason)
    assert second.needs_choice and len(second.choices) == 8
    assert second.problems[0].reason.startswith("「明细」不是数据合同中的表名，也无法从表头识别是哪张表")

    capsys.readouterr()
    assert main(["--db", db_url, "import", str(both)]) == 1
    assert "请选择要导入的表" in capsys.readouterr().err
    assert main(["--db", db_url, "import", str(both), "--table", f"{both}=省平台评估结果"]) == 0
    out = capsys.readouterr()
    assert "省平台评估结果（按所选识别）" in out.out and "省平台评估结果 (provincial_scores)：新增 1 行" in out.out
    assert "列「部门名称」：不是该表的列，已忽略" in out.err

    book = tmp_path / "汇总.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    for row in [["部门编码", "部门名称", "部门类型", "评估期", "评估维度", "指标名称", "得分"],
                ["D02", "区市场监管局", "垂直管理部门", "2025", "服务渠道", "网办率", "80"]]:
        ws.append(row)
    wb.save(book)
    assert main(["--db", db_url, "import", str(book), "--table", f"{book}:Sheet1=departments"]) == 0
    assert "部门 (departments)：新增 0 行，替换 1 行，未变 0 行" in capsys.readouterr().out  # joint_meeting → 否


# --- saved mappings -----------------------------------------------------------------------------

def test_saving_a_mapping_checks_it_against_the_contract(db: Database, tmp_path: Path) -> None:
    path = write_export_csv(tmp_path, month_rows(10))
    with db.session() as session:
        (proposal,) = propose(session, [_source(path)]).proposals
    layout = proposal.layout

    def reasons(**change: object) -> tuple[str, ...]:
        spec = dataclasses.replace(mapping_from_layout(layout, "模板", REWRITES), **change)  # type: ignore[arg-type]
        with db.session() as session, pytest.raises(MappingError) as err:
            save_mapping(session, spec, "管理员")
        return err.value.reasons

    assert reasons(rewrites=(("status", "已办", "办完"),)) == (
        "办理状态 (status) 的改写「已办」→「办完」：目标值不是该列的合法值",)
    assert reasons(rewrites=(("status", "在办", "已办结"),)) == (
        "办理状态 (status) 的改写「在办」→「已办结」：原值已是合法值，不能改写为另一个合法值",)
    assert reasons(rewrites=(("rating", "好评", "6"),)) == ("好差评 (rating) 的改写「好评」→「6」：目标值不是该列的合法值",)
    assert reasons(rewrites=(("result", "同意", "准予"),)) == (
        "办理结果 (result) 的改写「同意」→「准予」：该列没有对应的表头",)
    no_status = tuple((h, None if c == "status" else c) for h, c in layout.columns)
    assert reasons(columns=no_status, rewrites=()) == ("必填列 办理状态 (status) 没有对应的表头",)
    assert reasons(name=" ", rewrites=()) == ("模板名称不能为空",)

    with db.session() as session:
        saved = save_mapping(session, mapping_from_layout(layout, "住建局", REWRITES), "管理员")
    assert saved.fingerprint == layout.fingerprint and saved.header_row == 3
    assert reasons(rewrites=()) == ("模板「住建局」已对应同样的表头，请编辑该模板",)
    with db.session() as session:
        log = audit.entries(session)
    assert log.iloc[0]["action"] == "保存导入模板" and log.iloc[0]["target"] == "住建局"


def test_edit_and_delete_mappings_are_audited(db: Database, tmp_path: Path) -> None:
    from data.import_service import delete_mapping, update_mapping

    path = write_export_csv(tmp_path, month_rows(10))
    with db.session() as session:
        (proposal,) = propose(session, [_source(path)]).proposals
        saved = save_mapping(session, mapping_from_layout(proposal.layout, "甲", REWRITES[:1]), "管理员")
    with db.session() as session:
        edited = update_mapping(session, saved.id, dataclasses.replace(saved.spec(), name="乙", rewrites=REWRITES), "审核员")
    assert (edited.id, edited.name, len(edited.rewrites), edited.updated_by) == (saved.id, "乙", 3, "审核员")
    with db.session() as session:
        assert [m.name for m in list_mappings(session)] == ["乙"]
        delete_mapping(session, saved.id, "管理员")
    with db.session() as session:
        assert list_mappings(session) == ()
        with pytest.raises(MappingError):
            delete_mapping(session, saved.id, "管理员")
        log = audit.entries(session)
    assert list(log["action"][:3]) == ["删除导入模板", "修改导入模板", "保存导入模板"]


def test_a_chosen_mapping_for_another_table_is_a_problem(db: Database, db_url: str, tmp_path: Path) -> None:
    path = write_export_csv(tmp_path, month_rows(10))
    _save(db, path, "住建局")
    with db.session() as session:
        report = run_import(session, ImportRequest((_source(path),), tables={CSV_NAME: "cases"},
                                                   mappings={"*": "住建局"}, now=NOW)).report
        missing = run_import(session, ImportRequest((_source(path),), mappings={"*": "没有"}, now=NOW)).report
    assert report.problems[0].reason == "导入模板「住建局」用于办件（applications），与所选的问题线索与案例（cases）不符"
    assert missing.problems[0].reason == "没有名为「没有」的导入模板（已有：住建局）"


def test_export_records_shape() -> None:
    """The builder itself: the header is on row 3 and the first application on row 4."""
    records = export_records(month_rows())
    assert records[2][1] == "办件流水号" and records[FIRST_DATA_ROW - 1][1] == "ZJ11001"


def test_a_chosen_mapping_on_changed_headers_warns(db: Database, db_url: str, tmp_path: Path) -> None:
    _base(db_url, tmp_path)
    path = write_export_csv(tmp_path, month_rows(10))
    _save(db, path, "住建局")
    records = export_records(month_rows(10))
    records[2][2] = "事项全称"  # the platform renamed a column it exports
    changed = tmp_path / "改版后的导出.csv"
    changed.write_bytes("\r\n".join(",".join(r) for r in records).encode("gbk"))
    with db.session() as session:
        auto = run_import(session, ImportRequest((_source(changed),), now=NOW)).report
        chosen = run_import(session, ImportRequest((_source(changed),), mappings={"*": "住建局"}, now=NOW)).report
    assert auto.layouts[0].mapping is None and not auto.ok  # another fingerprint: not applied by itself
    assert chosen.ok and chosen.layouts[0].mapping == "住建局"
    assert [(w.row, w.reason) for w in chosen.warnings] == [
        (3, "表头与导入模板「住建局」保存时的表头不完全相同，请核对列的对应"), (3, "不是该表的列，已忽略")]


def test_refused_value_forms_are_offered_as_rewrites(db: Database, db_url: str, tmp_path: Path) -> None:
    from data.import_service import value_forms

    _base(db_url, tmp_path)
    path = write_export_csv(tmp_path, month_rows(10))
    with db.session() as session:
        report = run_import(session, ImportRequest((_source(path),), now=NOW)).report
    forms = [(f.key, f.column, f.value, f.rows) for f in value_forms(report)]
    assert forms == [(CSV_NAME, "channel", "窗口", 2), (CSV_NAME, "channel", "网办", 2), (CSV_NAME, "status", "已办", 2)]
    assert value_forms(report)[2].allowed == ("在办", "已办结", "不予受理", "撤回")


def test_a_chosen_mapping_whose_header_row_is_beyond_the_file(db: Database, tmp_path: Path) -> None:
    path = write_export_csv(tmp_path, month_rows(10))
    with db.session() as session:
        (proposal,) = propose(session, [_source(path)]).proposals
        spec = dataclasses.replace(mapping_from_layout(proposal.layout, "住建局", REWRITES), header_row=12)
        save_mapping(session, spec, "管理员")
    short = _csv(tmp_path / "短.csv", [["甲"], ["乙"]])
    with db.session() as session:
        report = run_import(session, ImportRequest((_source(short),), mappings={"*": "住建局"}, now=NOW)).report
    assert [p.reason for p in report.problems] == ["表头应在第 12 行，但文件只有 2 行"]
