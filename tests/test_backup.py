"""``market-access backup`` / ``restore``: backup → wipe → restore gives back the same database,
every table (the contract data, users, sessions, tasks and their history, the audit log,
settings, Alembic's version) by row count and content hash.  On PostgreSQL (when
MARKET_ACCESS_TEST_PG is set) the same tests go through pg_dump / pg_restore."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from cli.main import main
from data import accounts, settings
from data import tasks as task_store
from data.accounts import ADMIN, DEPT_USER, Principal
from data.clock import local_now
from data.db import Database
from data.schema import metadata

ADMIN_P = Principal("admin", "管理员", ADMIN)


def _fingerprint(engine: Engine) -> dict[str, tuple[int, str]]:
    """Every table of the database: its row count and a hash of its sorted rows."""
    out: dict[str, tuple[int, str]] = {}
    with engine.connect() as conn:
        for name in sorted(inspect(engine).get_table_names()):
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
            lines = sorted(repr(tuple(str(v) for v in row)) for row in rows)
            out[name] = (len(rows), hashlib.sha256("\n".join(lines).encode()).hexdigest())
    return out


@pytest.fixture
def filled(demo_db_url: str) -> Database:
    """The demo data plus accounts, a session, a task with its history, a setting and audit entries."""
    db = Database(demo_db_url)
    with db.session() as s:
        dept = s.execute(text("SELECT dept_code FROM departments ORDER BY dept_code LIMIT 1")).scalar_one()
        accounts.add_user(s, "admin", "Qm4-Delta-River", ADMIN)
        accounts.add_user(s, "dept1", "Kx7-Harbour-Lane", DEPT_USER, dept=dept)
        task_id = task_store.create_task(s, ADMIN_P, title="按时办结率整改", dept=dept, responsible="张三",
                                         deadline=date.today() + timedelta(days=30), requirement="查明原因",
                                         source_kind=task_store.SOURCE_MANUAL, source_ref=None)
        task_store.update_task(s, Principal("dept1", "部门", DEPT_USER, dept), task_id, expected_version=1,
                               status="整改中", progress=30, note='=HYPERLINK("x")')
        settings.put(s, "indicator_overrides", {"on_time_rate": {"floor": 90}}, "admin")
    with db.session() as s:
        assert accounts.authenticate(s, "dept1", "Kx7-Harbour-Lane", local_now(), address="10.0.0.1").ok
        assert accounts.authenticate(s, "admin", "wrong-password-1", local_now(), address="10.0.0.2").message
    return db


def _wipe(db: Database) -> None:
    with db.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())


def test_backup_wipe_restore_gives_the_same_database(filled: Database, demo_db_url: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    before = _fingerprint(filled.engine)
    for table in ("applications", "users", "auth_sessions", "rectification_tasks", "task_events", "audit_log",
                  "settings", "sign_in_throttle", "alembic_version"):
        assert before[table][0] > 0, table
    out = tmp_path / "backups" / "ma.backup"
    assert main(["--db", demo_db_url, "backup", "--out", str(out)]) == 0
    assert "已备份" in capsys.readouterr().out and out.stat().st_size > 0

    _wipe(filled)
    assert _fingerprint(filled.engine)["applications"][0] == 0
    assert main(["--db", demo_db_url, "restore", str(out)]) == 0
    assert "已从" in capsys.readouterr().out
    filled.engine.dispose()
    assert _fingerprint(filled.engine) == before
    with filled.session() as s:  # the restored accounts work
        assert accounts.authenticate(s, "admin", "Qm4-Delta-River", local_now()).ok


def test_restore_refuses_a_non_empty_database_without_force(filled: Database, demo_db_url: str, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ma.backup"
    assert main(["--db", demo_db_url, "backup", "--out", str(out)]) == 0
    before = _fingerprint(filled.engine)
    with filled.session() as s:
        accounts.add_user(s, "later", "Zt5-Copper-Field", ADMIN)
    changed = _fingerprint(filled.engine)
    capsys.readouterr()
    assert main(["--db", demo_db_url, "restore", str(out)]) == 1
    err = capsys.readouterr().err
    assert "目标数据库不是空的" in err and "--force" in err and "Traceback" not in err
    assert _fingerprint(filled.engine) == changed  # untouched
    assert main(["--db", demo_db_url, "restore", str(out), "--force"]) == 0
    filled.engine.dispose()
    assert _fingerprint(filled.engine) == before


def test_backup_does_not_overwrite_and_restore_checks_the_file(filled: Database, demo_db_url: str, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ma.backup"
    out.write_bytes(b"keep me")
    assert main(["--db", demo_db_url, "backup", "--out", str(out)]) == 1
    assert "已存在" in capsys.readouterr().err and out.read_bytes() == b"keep me"
    assert main(["--db", demo_db_url, "restore", str(out), "--force"]) == 1
    kind = "SQLite 备份文件" if filled.dialect == "sqlite" else "PostgreSQL（pg_dump -Fc）备份文件"
    assert f"不是 {kind}" in capsys.readouterr().err
    assert main(["--db", demo_db_url, "restore", str(tmp_path / "missing.backup")]) == 1
    assert "不存在" in capsys.readouterr().err


def test_sqlite_backup_is_online_and_restores_into_a_new_file(filled: Database, demo_db_url: str,
                                                              tmp_path: Path) -> None:
    if filled.dialect != "sqlite":
        pytest.skip("SQLite's online backup")
    before = _fingerprint(filled.engine)
    out = tmp_path / "online.backup"
    with filled.engine.connect() as writer:  # a write transaction left open while the backup runs
        writer.execute(text("BEGIN"))
        writer.execute(text("INSERT INTO audit_log (at, user_name, action) VALUES ('2026-12-01 08:00:00', 'x', 'y')"))
        assert main(["--db", demo_db_url, "backup", "--out", str(out)]) == 0
        writer.rollback()
    fresh = f"sqlite:///{tmp_path / 'new' / 'restored.db'}"
    assert main(["--db", fresh, "restore", str(out)]) == 0
    restored = Database(fresh)
    try:
        assert _fingerprint(restored.engine) == before  # the uncommitted row is not in the backup
    finally:
        restored.dispose()
