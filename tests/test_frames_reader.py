"""The columnar readers (SQLite rendered text, PostgreSQL COPY) give exactly what the plain
DBAPI cursor gives, and the SQLite one steps aside whenever its text could be inexact."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import update

from data import contract
from data.db import Database
from data.demo import write_demo_data
from data.frames import _read_sqlite_lines, _read_table, load_frames
from data.importer import import_files
from data.schema import CONTRACT


@pytest.fixture
def demo_db(db: Database, tmp_path: Path) -> Database:
    files = write_demo_data(tmp_path / "demo", scale=0.05)
    with db.session() as s:
        assert import_files(s, sorted(files.values())).ok
    return db


def _by_key(frame: pd.DataFrame, spec: contract.Table) -> pd.DataFrame:
    return frame.sort_values(list(spec.key)).reset_index(drop=True)


def _assert_same(a: pd.DataFrame, b: pd.DataFrame, spec: contract.Table) -> None:
    assert list(a.dtypes) == list(b.dtypes), spec.id
    pd.testing.assert_frame_equal(_by_key(a, spec), _by_key(b, spec), check_exact=True, obj=spec.id)


def test_columnar_load_equals_the_cursor_for_every_table(demo_db: Database) -> None:
    with demo_db.session() as s:
        frames = load_frames(s)
        for spec in contract.TABLES:
            plain = _read_table(s, spec)
            assert len(plain) > 0, spec.id
            _assert_same(frames.table(spec.id), plain, spec)


def test_sqlite_rendering_is_used_for_clean_tables(demo_db: Database) -> None:
    if demo_db.dialect != "sqlite":
        pytest.skip("SQLite reader")
    with demo_db.session() as s:
        for table_id in ("applications", "cases", "credit_ratings", "service_items", "departments"):
            assert _read_sqlite_lines(s, contract.TABLES_BY_ID[table_id]) is not None, table_id
        # REAL columns could lose digits as text: that table goes through the cursor
        assert _read_sqlite_lines(s, contract.TABLES_BY_ID["provincial_scores"]) is None


AWKWARD = {  # (column of cases, value)
    "line break": ("summary", "整改前\n整改后"),
    "carriage return": ("summary", "第一行\r\n第二行"),
    # in the last column: the row's line stays whole and an empty line follows it
    "trailing line break": ("rectify_tasks", "整改任务\n"),
    "field separator": ("summary", "甲\x1f乙"),
    # splits into two lines that each have exactly the right number of fields: only the
    # row count reveals it (cases has 18 columns, summary is the 7th)
    "forged row": ("summary", "\x1f" * 11 + "\n" + "\x1f" * 6),
}


@pytest.mark.parametrize("label", list(AWKWARD))
def test_sqlite_steps_aside_for_values_its_text_cannot_carry(demo_db: Database, label: str) -> None:
    if demo_db.dialect != "sqlite":
        pytest.skip("SQLite reader")
    spec = contract.TABLES_BY_ID["cases"]
    assert spec.column_ids.index("summary") == 6 and spec.column_ids[-1] == "rectify_tasks"
    assert len(spec.columns) == 18
    column, value = AWKWARD[label]
    cases = CONTRACT["cases"]
    with demo_db.session() as s:
        first = s.execute(cases.select().order_by(cases.c.case_id).limit(1)).first()
        assert first is not None
        s.execute(update(cases).where(cases.c.case_id == first.case_id).values({column: value}))
        s.commit()
    with demo_db.session() as s:
        assert _read_sqlite_lines(s, spec) is None
        frames = load_frames(s)
        _assert_same(frames.cases, _read_table(s, spec), spec)
    assert frames.cases.set_index("case_id").loc[first.case_id, column] == value


def test_a_load_overtaken_by_an_import_is_repeated(demo_db: Database, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from data import frames as frames_module

    more = write_demo_data(tmp_path / "more", scale=0.05, seed=7)
    real = frames_module._load_from_database
    calls: list[int] = []

    def load_then_import(session):  # type: ignore[no-untyped-def]
        loaded = real(session)
        if not calls:  # another user's import commits while the first load is under way
            with demo_db.session() as other:
                assert import_files(other, [more["applications"]]).ok
        calls.append(len(loaded.applications))
        return loaded

    monkeypatch.setattr(frames_module, "_load_from_database", load_then_import)
    with demo_db.session() as s:
        frames = load_frames(s, tmp_path / "cache")
        assert len(frames.applications) == calls[-1] > calls[0]
        assert len(calls) == 2
        _assert_same(frames.applications, _read_table(s, contract.TABLES_BY_ID["applications"]),
                     contract.TABLES_BY_ID["applications"])
