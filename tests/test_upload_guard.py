"""Hostile import files (issue 19) refused with a Chinese message before they are read, through
the importer every import goes through; each file is built here, small on disk."""

from __future__ import annotations

import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from data import upload_guard
from data.db import Database
from data.importer import ImportReport
from data.upload_limits import MB, Limits
from data.xlsx_guard import column_letters
from tests.fixtures.imports import run

DEPT_CSV = "dept_code,dept_name,dept_type\nD1,区住房城乡建设局,区直部门\n"
CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
      '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="departments" sheetId="1" r:id="rId1"/></sheets></workbook>')
WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
           '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
           '</Relationships>')
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"
SST_HEAD = '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _rows(extra_cells: str = "") -> str:
    head = _inline("A1", "dept_code") + _inline("B1", "dept_name") + _inline("C1", "dept_type") + extra_cells
    body = _inline("A2", "D1") + _inline("B2", "区住房城乡建设局") + _inline("C2", "区直部门")
    return f'<row r="1">{head}</row><row r="2">{body}</row>'


def _xlsx(path: Path, sheet_rows: str | Iterator[str], *, shared: Iterator[str] | None = None,
          extra: dict[str, Iterator[bytes]] | None = None, sheet_head: str = SHEET_HEAD, level: int = 9) -> Path:
    """A minimal workbook written member by member (members streamed, so they may be huge)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, text in (("[Content_Types].xml", CT), ("_rels/.rels", RELS), ("xl/workbook.xml", WORKBOOK),
                           ("xl/_rels/workbook.xml.rels", WB_RELS)):
            zf.writestr(name, text)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(sheet_head.encode())
            for piece in ([sheet_rows] if isinstance(sheet_rows, str) else sheet_rows):
                fh.write(piece.encode())
            fh.write(SHEET_TAIL.encode())
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(SST_HEAD.encode())
            for piece in shared or iter(()):
                fh.write(piece.encode())
            fh.write(b"</sst>")
        for name, blobs in (extra or {}).items():
            with zf.open(name, "w", force_zip64=True) as fh:
                for blob in blobs:
                    fh.write(blob)
    return path


def _refused(db: Database, path: Path, reason: str) -> ImportReport:
    report = run(db, [path])
    assert not report.ok and report.batch_id is not None
    assert len(report.problems) == 1, [p.describe() for p in report.problems]
    assert reason in report.problems[0].reason, report.problems[0].describe()
    assert report.count("departments").rows == 0
    return report


def test_the_minimal_workbook_imports(db: Database, tmp_path: Path) -> None:
    """The baseline every hostile workbook below is built from: it imports, so a refusal is the guard's."""
    report = run(db, [_xlsx(tmp_path / "departments.xlsx", _rows())])
    assert report.ok, [p.describe() for p in report.problems]
    assert report.count("departments").added == 1


def test_zip_bomb_member_is_refused_by_its_ratio(db: Database, tmp_path: Path) -> None:
    zeros = (b"\0" * MB for _ in range(64))
    path = _xlsx(tmp_path / "departments.xlsx", _rows(), extra={"xl/media/image1.bin": zeros})
    assert path.stat().st_size < MB
    _refused(db, path, "可能是压缩炸弹")


def test_inflated_size_over_the_limit_is_refused(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARKET_ACCESS_LIMIT_INFLATED_MB", "8")
    monkeypatch.setenv("MARKET_ACCESS_LIMIT_RATIO", "100000")
    path = _xlsx(tmp_path / "departments.xlsx", _rows(), extra={"xl/media/a.bin": (b"a" * MB for _ in range(9))})
    _refused(db, path, "超过上限 8 MB")


def test_one_gigabyte_shared_string_in_a_small_file(db: Database, tmp_path: Path) -> None:
    chunk = "A" * (4 * MB)
    shared = iter(["<si><t>", *(chunk for _ in range(256)), "</t></si>"])  # 1 GiB of text
    path = _xlsx(tmp_path / "departments.xlsx", _rows(), shared=shared, level=1)  # level 1: quicker to build
    assert path.stat().st_size < 6 * MB
    _refused(db, path, "可能是压缩炸弹")


def test_a_huge_shared_string_is_refused_by_streaming_with_bounded_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even with the size and ratio limits lifted, the string is counted, not kept."""
    for name, value in (("RATIO", "1000000"), ("INFLATED_MB", "4096"), ("SHARED_STRINGS_MB", "4096")):
        monkeypatch.setenv(f"MARKET_ACCESS_LIMIT_{name}", value)
    chunk = "B" * (4 * MB)
    path = _xlsx(tmp_path / "departments.xlsx", _rows(),
                 shared=iter(["<si><t>", *(chunk for _ in range(64)), "</t></si>"]), level=1)
    tracemalloc.start()
    try:
        refused = upload_guard.check(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused is not None and "共享字符串表第 1 个字符串超过单元格上限 32,767 个字符" in refused.problems[0].reason
    assert peak < 40 * MB  # the string is 256 MiB


def test_sixteen_thousand_columns_are_refused(db: Database, tmp_path: Path) -> None:
    wide = "".join(_inline(f"{column_letters(i)}1", f"c{i}") for i in range(4, 16_385))
    report = _refused(db, _xlsx(tmp_path / "departments.xlsx", _rows(wide)), "超过列数上限 100 列")
    problem = report.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("departments", 1, "CW 列")


def test_the_import_page_proposal_refuses_a_hostile_upload_unread(db: Database, tmp_path: Path) -> None:
    """The import page asks :func:`propose` how to read an upload before it validates: that
    first read goes through the guard too (the benchmark found a 1 GB shared string read there
    for 51 s at 3.4 GB, and a 16,384-column sheet never answering)."""
    from data.import_service import propose
    from data.readers import Source

    wide = "".join(_inline(f"{column_letters(i)}1", f"c{i}") for i in range(4, 16_385))
    path = _xlsx(tmp_path / "departments.xlsx", _rows(wide))
    with db.session() as session:
        proposed = propose(session, [Source("部门.xlsx", path.read_bytes())])
    assert proposed.proposals == ()
    assert [(p.file, p.row, p.column) for p in proposed.problems] == [("部门.xlsx", 1, "CW 列")]
    assert "超过列数上限 100 列" in proposed.problems[0].reason


def test_one_far_right_cell_is_enough(db: Database, tmp_path: Path) -> None:
    _refused(db, _xlsx(tmp_path / "departments.xlsx", _rows('<c r="XFD1" t="inlineStr"><is><t>x</t></is></c>')),
             "第 16,384 列（XFD）")


def test_too_many_rows_are_refused_while_streaming(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARKET_ACCESS_LIMIT_ROWS", "50")
    rows = (f'<row r="{r}">{_inline(f"A{r}", f"D{r}")}{_inline(f"B{r}", "甲")}{_inline(f"C{r}", "街道")}</row>'
            for r in range(3, 200))
    path = _xlsx(tmp_path / "departments.xlsx", iter([_rows(), *rows]))
    _refused(db, path, "数据行数超过上限（50 行）")
    csv = tmp_path / "departments.csv"
    csv.write_text(DEPT_CSV + "".join(f"D{i},甲,街道\n" for i in range(2, 60)), encoding="utf-8")
    _refused(db, csv, "行数超过上限（50 行）")


def test_long_xlsx_cell_and_dtd_are_refused(db: Database, tmp_path: Path) -> None:
    long_cell = _inline("D2", "x" * 40_000)
    _refused(db, _xlsx(tmp_path / "departments.xlsx", _rows() + f'<row r="3">{long_cell}</row>'), "单元格内容超过上限")
    laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><worksheet><sheetData>'
    (tmp_path / "dtd").mkdir()
    _refused(db, _xlsx(tmp_path / "dtd" / "departments.xlsx", _rows(), sheet_head=laughs), "DTD")


def test_header_only_workbook_is_refused(db: Database, tmp_path: Path) -> None:
    head = _inline("A1", "dept_code") + _inline("B1", "dept_name") + _inline("C1", "dept_type")
    _refused(db, _xlsx(tmp_path / "departments.xlsx", f'<row r="1">{head}</row>'), "工作簿只有表头")


def test_a_file_of_a_few_hundred_megabytes_is_refused_unread(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "applications.csv"
    with path.open("wb") as fh:  # sparse: 300 MB long, nothing on disk
        fh.truncate(300 * MB)
    report = _refused(db, path, "文件过大（300.0 MB，上限 256 MB）")
    assert report.files[0].sha256 == ""  # not even hashed


def test_ten_megabyte_field_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "departments.csv"
    path.write_text(DEPT_CSV + "D2," + "甲" * (10 * MB // 3) + ",街道\n", encoding="utf-8")
    problem = _refused(db, path, "超过上限 32,767 个字符").problems[0]
    assert (problem.row, problem.column) == (3, None)
    quoted = tmp_path / "q" / "departments.csv"
    quoted.parent.mkdir()
    spanning = "\n".join(["乙" * 100] * 40_000)  # short lines, one 4-million-character field
    quoted.write_text(DEPT_CSV + f'D2,"{spanning}",街道\n', encoding="utf-8")
    assert _refused(db, quoted, "单元格内容过长，超过上限 32,767 个字符").problems[0].row == 3
    medium = tmp_path / "m" / "departments.csv"
    medium.parent.mkdir()
    medium.write_text(DEPT_CSV + f'D2,"{"丙" * 50_000}",街道\n', encoding="utf-8")
    problem = _refused(db, medium, "单元格内容长达 50,000 个字符，超过上限 32,767 个字符").problems[0]
    assert (problem.row, problem.column) == (3, "dept_name")


def test_a_wide_csv_line_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "departments.csv"
    path.write_text(DEPT_CSV + "D2,甲,街道" + ",x" * 16_381 + "\n", encoding="utf-8")
    problem = _refused(db, path, "有 16,384 列，超过上限 100 列").problems[0]
    assert problem.row == 3


@pytest.mark.parametrize("content", [
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 8,  # a zip (an xlsx renamed to .csv)
    "dept_code,dept_name\n".encode("utf-16"),  # UTF-16: every other byte NUL
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
])
def test_binary_data_named_csv_is_refused(db: Database, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "departments.csv"
    path.write_bytes(content)
    _refused(db, path, "文件含有空字节（NUL），不是文本 CSV 文件")


def test_a_nul_byte_in_a_text_csv_names_its_row(db: Database, tmp_path: Path) -> None:
    """Without the guard a NUL reaches the database (PostgreSQL refuses it with a traceback)."""
    path = tmp_path / "departments.csv"
    path.write_bytes((DEPT_CSV + "D2,区交通\x00运输局,区直部门\n").encode())
    assert _refused(db, path, "空字节（NUL）").problems[0].row == 3


@pytest.mark.parametrize(("char", "code"), [("\x07", "U+0007"), ("\x1b", "U+001B"), ("\x7f", "U+007F"), ("\x0c", "U+000C")])
def test_control_characters_are_refused(db: Database, tmp_path: Path, char: str, code: str) -> None:
    path = tmp_path / "departments.csv"
    path.write_text(DEPT_CSV + f"D2,区交通{char}运输局,区直部门\n", encoding="utf-8")
    problem = _refused(db, path, f"含有控制字符 {code}").problems[0]
    assert problem.row == 3


def test_tabs_and_crlf_are_text(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "departments.csv"
    path.write_bytes(b"dept_code,dept_name,dept_type\r\nD1,\"\xe7\x94\xb2\t\xe4\xb9\x99\",\xe8\xa1\x97\xe9\x81\x93\r\n")
    assert upload_guard.check(path) is None


@pytest.mark.parametrize(("content", "reason"), [(b"", "文件为空"), (b"  \n\n", "文件为空"),
                                                 (b"dept_code,dept_name,dept_type\n", "文件只有表头"),
                                                 (b"\xef\xbb\xbfdept_code,dept_name,dept_type\r\n\r\n", "文件只有表头")])
def test_empty_and_header_only_csv(db: Database, tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "departments.csv"
    path.write_bytes(content)
    _refused(db, path, reason)


@pytest.mark.parametrize(("name", "reason", "shown"), [
    ("depart\\ments.csv", "路径分隔符", "depart\\ments.csv"),
    ("departments\u202evsc.csv", "控制字符或不可见的格式字符", "departments\\u202evsc.csv"),
    ("depart\nments.csv", "控制字符", "depart\\u000aments.csv"),
    ("depart\x1b[31mments.csv", "控制字符", "depart\\u001b[31mments.csv"),
    ("a" * 130 + ".csv", "文件名过长（134 个字符，上限 120 个）", "a" * 59 + "…"),
])
def test_odd_file_names_are_refused_and_shown_inert(db: Database, tmp_path: Path, name: str, reason: str,
                                                     shown: str) -> None:
    path = tmp_path / name
    try:
        path.write_text(DEPT_CSV, encoding="utf-8")
    except OSError:  # a file system that refuses the name itself
        pytest.skip("name not allowed by this file system")
    problem = _refused(db, path, reason).problems[0]
    assert problem.file == shown


def test_limits_come_from_the_environment() -> None:
    limits = Limits.from_env({"MARKET_ACCESS_LIMIT_FILE_MB": "1024", "MARKET_ACCESS_LIMIT_ROWS": "x",
                              "MARKET_ACCESS_LIMIT_COLUMNS": "0"})
    assert (limits.file_mb, limits.rows, limits.columns) == (1024, Limits().rows, Limits().columns)


def test_demo_files_pass(tmp_path: Path) -> None:
    from cli.main import main

    assert main(["demo-data", str(tmp_path), "--scale", "0.2"]) == 0
    assert [upload_guard.check(p) for p in sorted(tmp_path.glob("*.csv"))] == [None] * 8


def test_an_uploaded_file_in_memory_meets_the_same_checks(db: Database) -> None:
    """The import page hands the importer in-memory uploads (readers.Source): they are
    checked as files are, and the refusal names the uploaded file, not a temporary one."""
    from data.importer import import_files
    from data.readers import Source

    hostile = Source("departments.csv", (DEPT_CSV + "D2,区交通\x00运输局,区直部门\n").encode())
    with db.session() as session:
        report = import_files(session, [hostile], user="tests")
    assert not report.ok
    assert [(p.file, p.row) for p in report.problems] == [("departments.csv", 3)]
    assert "空字节（NUL）" in report.problems[0].reason
    named = upload_guard.check_any(Source("a/../departments.csv", DEPT_CSV.encode()))
    assert named is not None and named.problems[0].reason == "文件名含有路径分隔符，请使用不含路径的文件名"
    assert upload_guard.check_any(Source("departments.csv", DEPT_CSV.encode())) is None


def test_importing_a_benchmark_keeps_the_products_limits() -> None:
    """Benchmarks raise the file-size limit in their main(), never at import: a test that
    imports a benchmark's data builders must not lift the guard for every later test."""
    import importlib
    import os

    for name in ("benchmarks.bench_metrics", "benchmarks.bench_import", "benchmarks.run", "benchmarks.bench_screen"):
        importlib.import_module(name)
    assert "MARKET_ACCESS_LIMIT_FILE_MB" not in os.environ
    assert Limits.from_env().file_mb == 256
