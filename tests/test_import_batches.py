"""Batches: atomic across files, idempotent, upserts by natural key, dry runs, history."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import select

from data.db import Database
from data.frames import load_frames
from data.schema import CONTRACT, import_batches, import_counts, import_files
from tests.fixtures.imports import NOW, base_rows, counts, run, write_csv, write_dataset


def _frames(db: Database):  # type: ignore[no-untyped-def]
    with db.session() as session:
        return load_frames(session)


def _batches(db: Database) -> list[tuple[object, ...]]:
    with db.session() as session:
        rows = session.execute(
            select(import_batches.c.id, import_batches.c.outcome, import_batches.c.problem_count,
                   import_batches.c.user_name).order_by(import_batches.c.id)
        ).all()
    return [tuple(r) for r in rows]


def test_bad_row_in_second_file_leaves_first_table_unchanged(db: Database, tmp_path: Path) -> None:
    data = base_rows()
    assert run(db, write_dataset(tmp_path / "before", {"departments": data["departments"]})).ok
    before = _frames(db).departments

    depts: list[dict[str, object]] = [{**data["departments"][0], "dept_name": "改名后的发改局"},  # would be replaced
             *data["departments"][1:], {"dept_code": "D03", "dept_name": "新部门", "dept_type": "其他"}]
    items = [*data["service_items"], {**data["service_items"][1], "item_code": "I03", "item_type": "不存在"}]
    files = [
        write_csv(tmp_path / "departments.csv", "departments", depts),
        write_csv(tmp_path / "negative_list.csv", "negative_list", data["negative_list"]),
        write_csv(tmp_path / "service_items.csv", "service_items", items),
    ]
    report = run(db, files, user="管理员")
    assert not report.ok
    assert [(p.file, p.row, p.column) for p in report.problems] == [("service_items.csv", 4, "事项类型 (item_type)")]
    assert report.counts == ()
    pd.testing.assert_frame_equal(_frames(db).departments, before)
    assert counts(db)["negative_list"] == 0 and counts(db)["service_items"] == 0
    assert _batches(db)[-1][1:] == ("已拒绝", 1, "管理员")
    with db.session() as session:
        names = session.execute(
            select(import_files.c.file_name, import_files.c.table_id, import_files.c.row_count)
            .where(import_files.c.batch_id == report.batch_id)
        ).all()
    assert sorted(tuple(n) for n in names) == [
        ("departments.csv", "departments", 4), ("negative_list.csv", "negative_list", 2),
        ("service_items.csv", "service_items", 3),
    ]


def test_import_twice_changes_nothing(db: Database, tmp_path: Path) -> None:
    data = base_rows()
    paths = write_dataset(tmp_path, data)
    first = run(db, paths)
    assert first.ok
    assert {c.table: c.added for c in first.counts} == {t: len(r) for t, r in data.items()}
    frames = _frames(db)
    second = run(db, paths)
    assert second.ok
    assert all(c.added == 0 and c.replaced == 0 and c.unchanged == len(data[c.table]) for c in second.counts)
    again = _frames(db)
    for table in data:
        pd.testing.assert_frame_equal(again.table(table), frames.table(table))
    # Rows keep the batch that last changed them.
    with db.session() as session:
        batch_ids = {r[0] for r in session.execute(select(CONTRACT["departments"].c.batch_id))}
    assert batch_ids == {first.batch_id}
    assert [b[1] for b in _batches(db)] == ["成功", "成功"]


def test_same_data_in_other_spelling_is_unchanged(db: Database, tmp_path: Path) -> None:
    data = base_rows()
    assert run(db, write_dataset(tmp_path / "a", data)).ok
    respelled = base_rows()
    respelled["applications"][0]["submitted_at"] = "2025/3/1 09:00:00"
    respelled["applications"][0]["rating"] = "4"
    respelled["departments"][0]["joint_meeting"] = "true"
    respelled["cases"][0]["received_date"] = "2025年2月1日"
    report = run(db, write_dataset(tmp_path / "b", respelled, by="id", encoding="gb18030"))
    assert report.ok
    assert sum(c.replaced + c.added for c in report.counts) == 0


def test_changed_rows_are_replaced(db: Database, tmp_path: Path) -> None:
    data = base_rows()
    assert run(db, write_dataset(tmp_path / "a", data)).ok
    apps = [dict(r) for r in data["applications"]]
    apps[1].update(status="已办结", completed_at="2025-03-06 10:00", result="不予")
    apps.append({**apps[2], "app_id": "A004"})
    ratings = [{**data["credit_ratings"][0], "grade": "B"}]
    report = run(db, [
        write_csv(tmp_path / "applications.csv", "applications", apps),
        write_csv(tmp_path / "credit_ratings.csv", "credit_ratings", ratings),
    ])
    assert report.ok, [p.describe() for p in report.problems]
    assert report.count("applications") == type(report.count("applications"))("applications", 1, 1, 2)
    assert (report.count("credit_ratings").replaced, report.count("credit_ratings").unchanged) == (1, 0)
    frames = _frames(db)
    a2 = frames.applications.set_index("app_id").loc["A002"]
    assert (a2["status"], a2["result"], a2["completed_at"]) == ("已办结", "不予", pd.Timestamp("2025-03-06 10:00"))
    assert len(frames.applications) == 4
    grades = frames.credit_ratings.set_index("entity_id")["grade"].to_dict()
    assert grades == {data["credit_ratings"][0]["entity_id"]: "B", data["credit_ratings"][1]["entity_id"]: "C"}
    with db.session() as session:
        stored = session.execute(
            select(import_counts.c.table_id, import_counts.c.added, import_counts.c.replaced, import_counts.c.unchanged)
            .where(import_counts.c.batch_id == report.batch_id)
        ).all()
    assert sorted(tuple(r) for r in stored) == [("applications", 1, 1, 2), ("credit_ratings", 0, 1, 0)]


def test_dry_run_counts_but_writes_nothing(db: Database, tmp_path: Path) -> None:
    data = base_rows()
    paths = write_dataset(tmp_path, data)
    report = run(db, paths, dry_run=True)
    assert report.ok and report.dry_run and report.outcome == "仅校验"
    assert report.count("applications").added == 3
    assert set(counts(db).values()) == {0}
    assert _batches(db)[-1][1] == "仅校验"
    assert run(db, paths).ok
    again = run(db, paths, dry_run=True)
    assert again.count("applications").unchanged == 3


def test_batch_times_and_outcome(db: Database, tmp_path: Path) -> None:
    report = run(db, write_dataset(tmp_path, {"departments": base_rows()["departments"]}))
    assert report.started_at == NOW
    assert report.finished_at >= report.started_at
    with db.session() as session:
        row = session.execute(select(import_batches)).one()
    assert (row.outcome, row.problem_count, row.started_at) == ("成功", 0, NOW)
    assert row.finished_at is not None


def test_large_batch_rebuilds_indexes(db: Database, tmp_path: Path) -> None:
    """Enough rows to take the bulk path (indexes dropped and rebuilt on SQLite)."""
    from data import importer

    data = base_rows()
    template = data["applications"][1]
    n = importer.BULK_ROWS + 10
    data["applications"] = [{**template, "app_id": f"X{i:06d}"} for i in range(n)]
    paths = write_dataset(tmp_path, data)
    report = run(db, paths)
    assert report.ok
    assert counts(db)["applications"] == n
    with db.session() as session:
        conn = session.connection()
        if conn.dialect.name == "sqlite":
            names = {r[0] for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'applications'")}
            assert {"ix_applications_submitted_at", "ix_applications_item_code"} <= names
        else:
            names = {r[0] for r in conn.exec_driver_sql(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'applications'")}
            assert {"ix_applications_submitted_at", "ix_applications_item_code", "pk_applications"} <= names
            fks = {r[0] for r in conn.exec_driver_sql(
                "SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = 'applications'::regclass")}
            assert len(fks) == 3
    changed = [{**r, "rating": "3"} for r in data["applications"]]
    report = run(db, [write_csv(tmp_path / "applications.csv", "applications", changed)])
    assert report.count("applications").replaced == n
    assert set(_frames(db).applications["rating"]) == {3}


def test_small_batch_against_large_table_looks_keys_up(db: Database, tmp_path: Path) -> None:
    depts = [{"dept_code": f"D{i:03d}", "dept_name": f"部门{i}", "dept_type": "区直部门"} for i in range(60)]
    assert run(db, [write_csv(tmp_path / "departments.csv", "departments", depts)]).ok
    again = [depts[5], {**depts[7], "dept_name": "改名"}, {"dept_code": "NEW", "dept_name": "新", "dept_type": "街道"}]
    report = run(db, [write_csv(tmp_path / "部门.csv", "departments", again)])
    assert report.count("departments") == type(report.count("departments"))("departments", 1, 1, 1)
    assert _frames(db).departments.set_index("dept_code").loc["D007", "dept_name"] == "改名"
