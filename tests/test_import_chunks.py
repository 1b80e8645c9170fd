"""A CSV file imported in chunks: the same rows, problems (with the file's real row numbers),
duplicates and atomicity as the whole file at once.

Each test sets a small ``chunk_rows`` so that a few dozen rows make several chunks; the
oracle is either a hand-worked row number or the same import with one chunk.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from data import contract
from data.batch_keys import BatchKeys, check_duplicates
from data.db import Database
from data.frames import load_frames
from data.raw_tables import RawTable
from data.rules import Collector
from data.schema import import_batches, import_files
from tests.fixtures.imports import base_rows, counts, run, write_csv, write_dataset

Row = dict[str, object]


def _apps(n: int) -> list[Row]:
    """``n`` valid applications A100, A101, … (the fixture's second application, renumbered)."""
    template = base_rows()["applications"][1]
    return [{**template, "app_id": f"A{100 + i}"} for i in range(n)]


def _refs(tmp_path: Path) -> list[Path]:
    data = base_rows()
    return write_dataset(tmp_path / "refs", {t: data[t] for t in ("departments", "negative_list", "service_items")})


def _problems(report) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    return [(p.file, p.row, p.column, p.value, p.reason) for p in report.problems]


def _batch(db: Database, batch_id: int | None) -> tuple[object, ...]:
    with db.session() as session:
        row = session.execute(select(import_batches.c.outcome, import_batches.c.problem_count)
                              .where(import_batches.c.id == batch_id)).one()
        files = session.execute(select(import_files.c.file_name, import_files.c.row_count)
                                .where(import_files.c.batch_id == batch_id)).all()
    return (*row, sorted(tuple(f) for f in files))


def test_problems_in_later_chunks_name_the_files_real_rows(db: Database, tmp_path: Path) -> None:
    apps = _apps(20)
    apps[13]["status"] = "不存在的状态"  # data row 14 = file row 15 (header is row 1), in the fourth chunk of 4
    apps[18]["channel"] = "飞鸽传书"  # file row 20, the fifth chunk
    path = write_csv(tmp_path / "applications.csv", "applications", apps)
    report = run(db, [*_refs(tmp_path), path], chunk_rows=4)
    assert [(p.file, p.row, p.column, p.value) for p in report.problems] == [
        ("applications.csv", 15, "办理状态 (status)", "不存在的状态"),
        ("applications.csv", 20, "申请渠道 (channel)", "飞鸽传书"),
    ]
    whole = run(db, [*_refs(tmp_path), path], dry_run=True)
    assert _problems(report) == _problems(whole)


def test_a_problem_in_the_last_chunk_leaves_nothing_stored(db: Database, tmp_path: Path) -> None:
    assert run(db, [*_refs(tmp_path), write_csv(tmp_path / "first.csv", "applications", _apps(3))],
               chunk_rows=2, tables={"first.csv": "applications"}).ok
    before_counts = counts(db)
    with db.session() as session:
        before = load_frames(session).applications
    apps = _apps(30)
    apps[0]["visits"] = "2"  # A100 changed: replaced in the first chunk
    apps[29]["submitted_at"] = "不是日期"  # the last row, file row 31, in the last chunk
    path = write_csv(tmp_path / "applications.csv", "applications", apps)
    report = run(db, [path], chunk_rows=4, user="管理员")
    assert [(p.row, p.column) for p in report.problems] == [(31, "申请时间 (submitted_at)")]
    assert report.counts == ()
    assert counts(db) == before_counts
    with db.session() as session:
        pd.testing.assert_frame_equal(load_frames(session).applications, before)
    assert _batch(db, report.batch_id) == ("已拒绝", 1, [("applications.csv", 30)])


def test_a_stored_chunked_import_equals_the_whole_file(db: Database, tmp_path: Path) -> None:
    apps = _apps(23)
    apps[5]["dept_code"] = ""
    apps[17]["visits"] = "3"
    path = write_csv(tmp_path / "applications.csv", "applications", apps)
    report = run(db, [*_refs(tmp_path), path], chunk_rows=5)
    assert report.ok and report.count("applications").added == 23
    assert _batch(db, report.batch_id) == ("成功", 0, [("applications.csv", 23), ("departments.csv", 3),
                                                    ("negative_list.csv", 2), ("service_items.csv", 2)])
    # the whole file at once finds every stored row identical (same values, same row hashes)
    whole = run(db, [*_refs(tmp_path), path], dry_run=True)
    assert (whole.count("applications").unchanged, whole.count("applications").rows) == (23, 23)
    apps[20]["visits"] = "1"
    changed = run(db, [write_csv(tmp_path / "applications.csv", "applications", apps)], chunk_rows=5)
    assert (changed.count("applications").replaced, changed.count("applications").unchanged) == (1, 22)
    with db.session() as session:
        stored = load_frames(session).applications.set_index("app_id")
    assert stored.loc["A120", "visits"] == 1 and stored.loc["A117", "visits"] == 3 and len(stored) == 23


def test_duplicate_keys_across_chunks_point_at_each_other(db: Database, tmp_path: Path) -> None:
    apps = _apps(14)
    # chunks of 4 rows: file rows 2-5, 6-9, 10-13, 14-15; A101 is at row 3
    apps[9]["app_id"] = "A101"  # row 11 (chunk 3) repeats row 3 (chunk 1)
    apps[12]["app_id"] = "A101"  # and row 14 (chunk 4) again
    apps[11]["app_id"] = "A110"  # row 13 repeats row 12 (A110), both in chunk 3
    path = write_csv(tmp_path / "applications.csv", "applications", apps)
    report = run(db, [*_refs(tmp_path), path], chunk_rows=4)
    dup = [(p.row, p.value, p.reason.rsplit("另见 ", 1)[1]) for p in report.problems]
    assert dup == [
        (3, "A101", "applications.csv 第 11 行"),
        (11, "A101", "applications.csv 第 3 行"),
        (12, "A110", "applications.csv 第 13 行"),
        (13, "A110", "applications.csv 第 12 行"),
        (14, "A101", "applications.csv 第 3 行"),
    ]
    assert all("键（办件编号：" in p.reason for p in report.problems)
    assert _problems(report) == _problems(run(db, [*_refs(tmp_path), path], dry_run=True))
    assert counts(db)["applications"] == 0


def test_duplicates_across_two_chunked_files(db: Database, tmp_path: Path) -> None:
    first = write_csv(tmp_path / "办件1.csv", "applications", _apps(9))
    second = write_csv(tmp_path / "办件2.csv", "applications", [{**r, "app_id": f"B{i}"} for i, r in enumerate(_apps(9))]
                       + [{**_apps(9)[7], "app_id": "A107"}])
    report = run(db, [*_refs(tmp_path), first, second], chunk_rows=3,
                 tables={"办件1.csv": "applications", "办件2.csv": "applications"})
    assert [(p.file, p.row, p.reason.rsplit("另见 ", 1)[1]) for p in report.problems] == [
        ("办件1.csv", 9, "办件2.csv 第 11 行"), ("办件2.csv", 11, "办件1.csv 第 9 行"),
    ]


def test_footnotes_and_multiline_values_across_a_chunk_boundary(db: Database, tmp_path: Path) -> None:
    apps = _apps(7)
    apps[2]["status"] = "在\n办"  # record 4 (data row 3): one value over two lines, not a valid status
    apps[6]["channel"] = "飞鸽"  # record 8
    path = write_csv(tmp_path / "applications.csv", "applications", apps)
    text = path.read_text(encoding="utf-8")
    text += "注：本表由系统导出\n\n制表人：张三\n导出时间：2025-12-31\n"  # records 9-12
    path.write_text(text, encoding="gb18030")
    for rows in (2, 3, 4, 8):
        report = run(db, [*_refs(tmp_path), path], dry_run=True, chunk_rows=rows)
        whole = run(db, [*_refs(tmp_path), path], dry_run=True)
        assert _problems(report) == _problems(whole), rows
        assert [(p.row, p.value) for p in report.problems] == [(4, "在\n办"), (8, "飞鸽")], rows
        assert report.layouts[-1].skipped == whole.layouts[-1].skipped, rows
        assert [s.row for s in report.layouts[-1].skipped] == [9, 11, 12], rows


def test_problems_beyond_the_listing_limit_are_counted(db: Database, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from data import importer

    monkeypatch.setattr(importer, "MAX_PROBLEMS", 3)
    apps = _apps(12)
    for i in (1, 4, 6, 9, 11):
        apps[i]["channel"] = "飞鸽"
    report = run(db, [*_refs(tmp_path), write_csv(tmp_path / "applications.csv", "applications", apps)],
                 chunk_rows=4)
    assert [p.row for p in report.problems] == [None, 3, 6, 8]
    assert report.problems[0].reason.startswith("另有 2 个问题未列出（每批最多列出 3 个）")
    assert counts(db)["applications"] == 0


def _duplicate_problems(chunks: list[list[str]], origins: list[int]) -> list[tuple[object, ...]]:
    """The duplicate-key problems of applications keys arriving in ``chunks`` (one origin per chunk)."""
    table = contract.APPLICATIONS
    seen = BatchKeys() if len(chunks) > 1 else None
    out = []
    rows = {0: 2, 1: 2}
    for chunk, origin in zip(chunks, origins, strict=True):
        frame = pd.DataFrame({"app_id": pd.Series(chunk, dtype="str")})
        first = rows[origin]
        rows[origin] += len(chunk)
        raw = RawTable(table, frame, np.arange(first, first + len(chunk)), np.full(len(chunk), origin, np.int32),
                       (("a.csv", None), ("b.xlsx", "办件")))
        collector = Collector(raw)
        out += check_duplicates(table, {"app_id": frame["app_id"]}, collector, seen)
        out += collector.problems()
    return sorted((p.file, p.sheet, p.row, p.value, p.reason) for p in out)


@settings(max_examples=150, deadline=None)
@given(keys=st.lists(st.sampled_from([f"K{i}" for i in range(9)]), max_size=30), size=st.integers(1, 6),
       split=st.integers(0, 30))
def test_duplicates_found_in_chunks_equal_those_of_the_whole(keys: list[str], size: int, split: int) -> None:
    """Property: however the rows are cut into chunks (over two sources), the same rows are reported
    with the same 另见 references as when the table is checked at once."""
    split = min(split, len(keys))
    parts = [(keys[:split], 0), (keys[split:], 1)]
    chunks = [(part[i:i + size], origin) for part, origin in parts for i in range(0, len(part), size)]
    whole_rows: list[tuple[list[str], int]] = [(p, o) for p, o in parts if p]
    if not chunks:
        return
    # the whole table at once: one chunk holding both sources' rows
    table = contract.APPLICATIONS
    frame = pd.DataFrame({"app_id": pd.Series([k for p, _ in whole_rows for k in p], dtype="str")})
    rows = np.concatenate([np.arange(2, 2 + len(p)) for p, _ in whole_rows])
    origin = np.concatenate([np.full(len(p), o, np.int32) for p, o in whole_rows])
    raw = RawTable(table, frame, rows, origin, (("a.csv", None), ("b.xlsx", "办件")))
    collector = Collector(raw)
    check_duplicates(table, {"app_id": frame["app_id"]}, collector)
    whole = sorted((p.file, p.sheet, p.row, p.value, p.reason) for p in collector.problems())
    assert _duplicate_problems([c for c, _ in chunks], [o for _, o in chunks]) == whole


def test_a_record_that_cannot_be_parsed_in_a_later_chunk_names_its_line(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "applications.csv", "applications", _apps(10))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[8] = lines[8].rstrip("\r\n") + ",多出的一列\r\n"  # file line 9, in the third chunk of 3 lines
    path.write_text("".join(lines), encoding="utf-8")
    for rows in (3, 100):
        report = run(db, [*_refs(tmp_path), path], chunk_rows=rows)
        (problem,) = report.problems
        assert (problem.file, problem.row) == ("applications.csv", None), rows
        assert problem.reason == "无法解析 CSV 文件：第 9 行有 18 个字段，而表头只有 17 列", rows
    assert counts(db)["applications"] == 0


def _index_names(db: Database) -> set[str]:
    from sqlalchemy import inspect

    with db.session() as session:
        return {str(i["name"]) for i in inspect(session.connection()).get_indexes("applications")}


def test_a_bulk_load_in_chunks_suspends_indexes_once(db: Database, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from data import import_plan

    calls: list[str] = []
    real = import_plan.suspend_indexes

    def counted(session, table):  # type: ignore[no-untyped-def]
        calls.append(table.id)
        return real(session, table)

    monkeypatch.setattr(import_plan, "suspend_indexes", counted)
    before = _index_names(db)
    assert {"ix_applications_submitted_at", "ix_applications_item_code"} <= before
    n = import_plan.BULK_ROWS + 10
    apps = [{**_apps(1)[0], "app_id": f"X{i:06d}"} for i in range(n)]
    apps[-1]["rating"] = "六星"  # file row n + 1, in the last of four chunks
    path = write_csv(tmp_path / "applications.csv", "applications", apps)
    refused = run(db, [*_refs(tmp_path), path], chunk_rows=6_000)
    assert [(p.row, p.value) for p in refused.problems] == [(n + 1, "六星")]
    assert calls == ["applications"] and _index_names(db) == before  # dropped, then rolled back
    assert counts(db)["applications"] == 0
    apps[-1]["rating"] = "5"
    stored = run(db, [*_refs(tmp_path), write_csv(path, "applications", apps)], chunk_rows=6_000)
    assert stored.ok and stored.count("applications").added == n
    assert calls == ["applications", "applications"] and _index_names(db) == before  # rebuilt after the last
    assert counts(db)["applications"] == n


def test_a_problem_in_a_later_table_undoes_the_chunks_already_written(db: Database, tmp_path: Path) -> None:
    data = base_rows()
    assert run(db, _refs(tmp_path)).ok
    with db.session() as session:
        before = load_frames(session)
    depts = [{**data["departments"][0], "dept_name": "改名后的发改局"}, *data["departments"][1:]]
    cases = [{**data["cases"][1], "status": "不存在"}]
    files = [write_csv(tmp_path / "departments.csv", "departments", depts),
             write_csv(tmp_path / "applications.csv", "applications", _apps(9)),
             write_csv(tmp_path / "cases.csv", "cases", cases)]
    report = run(db, files, chunk_rows=2)
    assert [(p.file, p.row, p.column) for p in report.problems] == [("cases.csv", 2, "办理状态 (status)")]
    with db.session() as session:
        after = load_frames(session)
    pd.testing.assert_frame_equal(after.departments, before.departments)
    assert len(after.applications) == 0 and len(after.cases) == 0
    assert _batch(db, report.batch_id)[:2] == ("已拒绝", 1)
