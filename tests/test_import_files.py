"""Reading files: encodings, Excel workbooks and their native dates, headers, row numbers,
and files that cannot be imported at all."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

from data import contract
from data.db import Database
from data.frames import load_frames
from data.schema import CONTRACT
from tests.fixtures.imports import (
    ENTITY,
    base_rows,
    counts,
    problems_at,
    run,
    write_csv,
    write_dataset,
    write_xlsx,
)


def _frames(db: Database):  # type: ignore[no-untyped-def]
    with db.session() as session:
        return load_frames(session)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("by", ["id", "zh"])
def test_csv_encodings_and_headers(db: Database, tmp_path: Path, encoding: str, by: str) -> None:
    data = base_rows()
    paths = write_dataset(tmp_path, data, by=by, encoding=encoding)
    if encoding == "gb18030":
        assert "区发展改革局".encode("gb18030") in paths[0].read_bytes()
    report = run(db, paths)
    assert report.ok, [p.describe() for p in report.problems]
    assert counts(db) == {t: len(rows) for t, rows in data.items()}
    frames = _frames(db)
    depts = frames.departments.set_index("dept_code")
    assert depts.loc["D01", "dept_name"] == "区发展改革局"
    assert bool(depts.loc["D01", "joint_meeting"]) is True
    assert bool(depts.loc["S01", "convener"]) is False  # default 否
    apps = frames.applications.set_index("app_id")
    assert apps.loc["A001", "submitted_at"] == pd.Timestamp("2025-03-01 09:00")
    assert apps.loc["A002", "submitted_at"] == pd.Timestamp("2025-03-05 09:30")
    assert apps.loc["A001", "rating"] == 4 and apps.loc["A002", "rating"] == 5
    assert apps.loc["A001", "entity_id"] == ENTITY
    assert apps.loc["A003", "suspended_days"] == 0  # default
    assert pd.isna(apps.loc["A003", "accepted_at"])
    items = frames.service_items.set_index("item_code")
    assert items.loc["I01", "guide_updated"] == pd.Timestamp("2025-03-01")
    assert frames.provincial_scores.set_index("indicator").loc["网办率", "max_score"] == 100.0


def test_chinese_file_names_and_header_spelling(db: Database, tmp_path: Path) -> None:
    data = base_rows()
    table = contract.DEPARTMENTS
    path = tmp_path / " 部门 .csv"
    # Surrounding spaces, case and full-width forms in headers do not matter.
    write_csv(path, "departments", data["departments"],
              columns=table.column_ids)
    text = path.read_text(encoding="utf-8").splitlines()
    text[0] = " DEPT_CODE ,部门名称 , Dept_Type,ｊｏｉｎｔ＿ｍｅｅｔｉｎｇ,召集单位"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    report = run(db, [path])
    assert report.ok, [p.describe() for p in report.problems]
    assert report.count("departments").added == 3


def test_unknown_column_is_a_warning_and_missing_required_column_an_error(db: Database, tmp_path: Path) -> None:
    data = base_rows()
    rows = [{**r, "备注": "x"} for r in data["departments"]]
    ok = write_csv(tmp_path / "departments.csv", "departments", rows, columns=[*contract.DEPARTMENTS.column_ids, "备注"])
    report = run(db, [ok])
    assert report.ok
    assert [(w.column, w.reason) for w in report.warnings] == [("备注", "不是该表的列，已忽略")]

    missing = write_csv(tmp_path / "service_items.csv", "service_items", data["service_items"],
                        columns=[c for c in contract.SERVICE_ITEMS.column_ids if c != "legal_limit_days"])
    report = run(db, [missing])
    assert [(p.file, p.row, p.column, p.reason) for p in report.problems] == [
        ("service_items.csv", 1, "法定办结时限 (legal_limit_days)", "缺少必填列")
    ]
    assert counts(db)["service_items"] == 0


def test_optional_columns_may_be_left_out(db: Database, tmp_path: Path) -> None:
    data = base_rows()
    cols = [c.id for c in contract.DEPARTMENTS.columns if c.required]
    path = write_csv(tmp_path / "departments.csv", "departments", data["departments"], columns=cols)
    assert run(db, [path]).ok
    assert not _frames(db).departments["joint_meeting"].any()


def test_duplicate_header_is_an_error(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "departments.csv"
    path.write_text("dept_code,部门编码,dept_name,dept_type\nD1,D1,甲,街道\n", encoding="utf-8")
    report = run(db, [path])
    assert [p.column for p in report.problems] == ["部门编码 (dept_code)"]
    assert "列重复" in report.problems[0].reason


def test_blank_lines_keep_excel_row_numbers(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "departments.csv"
    path.write_text(
        "dept_code,dept_name,dept_type\r\nD1,甲,街道\r\n\r\n , ,\r\nD2,乙,不存在的类型\r\n\r\n", encoding="utf-8"
    )
    report = run(db, [path])
    assert [(p.row, p.value) for p in report.problems] == [(5, "不存在的类型")]


def test_quoted_values_with_line_breaks(db: Database, tmp_path: Path) -> None:
    data = base_rows()
    data["cases"][1]["summary"] = "第一行\n第二行，含逗号和\"引号\""
    data["cases"].append({**data["cases"][1], "case_id": "C003", "status": "未知"})
    report = run(db, write_dataset(tmp_path, data))
    assert [(p.table, p.row, p.column) for p in report.problems] == [("cases", 4, "办理状态 (status)")]
    data["cases"].pop()
    assert run(db, write_dataset(tmp_path, data)).ok
    summary = _frames(db).cases.set_index("case_id").loc["C002", "summary"]
    assert summary == "第一行\n第二行，含逗号和\"引号\""


def _sheet(table_id: str, rows: list[dict[str, object]], by: str = "zh") -> tuple[str, list[list[object]]]:
    table = contract.TABLES_BY_ID[table_id]
    head: list[object] = [c.id if by == "id" else c.zh for c in table.columns]
    return table_id, [head, *[[r.get(c.id) for c in table.columns] for r in rows]]


def test_xlsx_with_native_dates_and_sheet_names(db: Database, tmp_path: Path) -> None:
    data = base_rows()
    apps = [
        {**data["applications"][0], "submitted_at": dt.datetime(2025, 3, 1, 9, 0),
         "accepted_at": dt.datetime(2025, 3, 1, 10, 0, 30), "reviewed_at": None, "decided_at": None,
         "completed_at": dt.datetime(2025, 3, 3, 11, 0), "suspended_days": 2, "visits": 1.0, "rating": 4},
        {**data["applications"][1], "submitted_at": "2025-03-05 09:30"},
    ]
    cases = [{**data["cases"][0], "received_date": dt.datetime(2025, 2, 1), "transferred_date": dt.date(2025, 2, 2),
              "rectify_deadline": dt.datetime(2026, 6, 30)}]
    nl = [{**r, "version": 2025} for r in data["negative_list"]]  # a number in a text column
    path = write_xlsx(tmp_path / "数据.xlsx", {
        "departments": _sheet("departments", data["departments"], by="id"),
        "负面清单事项": _sheet("negative_list", nl),
        " 政务服务事项 ": _sheet("service_items", data["service_items"]),
        "办件": _sheet("applications", apps),
        "问题线索与案例": _sheet("cases", cases),
        "说明": ("", [["这是说明页"]]),
    })
    report = run(db, [path])
    assert report.ok, [p.describe() for p in report.problems]
    assert [w.sheet for w in report.warnings] == ["说明"]
    assert {(f.table, f.sheet, f.rows) for f in report.files} == {
        ("departments", "departments", 3), ("negative_list", "负面清单事项", 2),
        ("service_items", " 政务服务事项 ", 2), ("applications", "办件", 2), ("cases", "问题线索与案例", 1),
    }
    frames = _frames(db)
    a = frames.applications.set_index("app_id")
    assert a.loc["A001", "accepted_at"] == pd.Timestamp("2025-03-01 10:00:30")
    assert a.loc["A001", "visits"] == 1 and a.loc["A001", "suspended_days"] == 2
    assert set(frames.negative_list["version"]) == {"2025"}
    c = frames.cases.set_index("case_id")
    assert c.loc["C001", "received_date"] == pd.Timestamp("2025-02-01")
    assert c.loc["C001", "transferred_date"] == pd.Timestamp("2025-02-02")
    # Values read back through SQLAlchemy's own types.
    with db.session() as session:
        row = session.execute(select(CONTRACT["applications"]).where(CONTRACT["applications"].c.app_id == "A001")).one()
        case = session.execute(select(CONTRACT["cases"])).one()
    assert row.accepted_at == dt.datetime(2025, 3, 1, 10, 0, 30)
    assert case.received_date == dt.date(2025, 2, 1)
    assert case.key_case is True


def test_xlsx_bad_rows_are_numbered_as_in_excel(db: Database, tmp_path: Path) -> None:
    data = base_rows()
    table_id, rows = _sheet("departments", data["departments"])
    rows.insert(2, [None, None, None, None, None])  # an empty Excel row 3
    rows.append(["D09", "新部门", "区直部门", "大概", None])  # row 6
    cases = [{**data["cases"][1], "received_date": dt.datetime(2025, 5, 1, 15, 30)}]
    path = write_xlsx(tmp_path / "book.xlsx", {"部门": (table_id, rows), "cases": _sheet("cases", cases)})
    report = run(db, [path])
    assert [(p.sheet, p.row, p.column, p.value) for p in report.problems] == [
        ("cases", 2, "接收日期 (received_date)", "2025-05-01 15:30:00"),
        ("部门", 6, "联席会议成员单位 (joint_meeting)", "大概"),
    ]
    assert report.problems[0].reason == "日期不应包含时间"
    assert "工作表「部门」" in report.problems[1].describe()


def test_xlsx_with_no_known_sheet(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {"Sheet1": ("", [["a", "b"], [1, 2]])})
    report = run(db, [path])
    assert [p.sheet for p in report.problems] == ["Sheet1"]
    assert report.problems[0].reason.startswith("「Sheet1」不是数据合同中的表名")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("orders.csv", b"a,b\n1,2\n", "不是数据合同中的表名"),
        ("departments.csv", b"", "文件为空"),
        ("departments.csv", b"\n\n", "文件为空"),
        ("departments.xlsx", b"not a zip", "无法打开 Excel 文件"),
        ("departments.xls", b"\xd0\xcf\x11\xe0", "不支持旧版 Excel"),
        ("departments.txt", b"x", "不支持的文件类型"),
    ],
)
def test_unreadable_files_are_problems(db: Database, tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    report = run(db, [path])
    assert not report.ok
    assert [p.file for p in report.problems] == [name]
    assert reason in report.problems[0].reason


def test_missing_file_is_a_problem(db: Database, tmp_path: Path) -> None:
    report = run(db, [tmp_path / "departments.csv"])
    assert [(p.file, p.reason) for p in report.problems] == [("departments.csv", "文件不存在")]


def test_header_only_file_is_refused(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "departments.csv", "departments", [])
    report = run(db, [path])
    assert [(p.file, p.reason) for p in report.problems] == [("departments.csv", "文件只有表头，没有数据行")]
    assert report.count("departments").rows == 0


def test_ragged_csv_row_is_a_problem(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "departments.csv"
    path.write_text("dept_code,dept_name,dept_type\nD1,甲,街道\nD2,乙,街道,多余\n", encoding="utf-8")
    report = run(db, [path])
    assert len(report.problems) == 1
    assert "第 3 行有 4 个字段" in report.problems[0].reason


def test_short_csv_row_reads_missing_cells(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "departments.csv"
    path.write_text("dept_code,dept_name,dept_type\nD1,甲\n", encoding="utf-8")
    report = run(db, [path])
    assert [(p.row, p.column, p.reason) for p in problems_at(report, table="departments")] == [
        (2, "部门类型 (dept_type)", "必填项为空")
    ]
