"""Crash safety: a process killed (SIGKILL) in the middle of an import or of task updates
leaves the database as it was before the interrupted transaction, and a re-run succeeds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data import tasks as task_store
from data.accounts import ADMIN, Principal
from data.db import Database
from data.demo import write_demo_data
from data.schema import CONTRACT, rectification_tasks, task_events

ROOT = Path(__file__).resolve().parents[1]


def _counts(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {t: int(s.execute(select(func.count()).select_from(CONTRACT[t])).scalar_one())
                for t in ("departments", "service_items", "applications", "cases")}


def _kill_after(cmd: list[str], env: dict[str, str], delay: float) -> bool:
    """Run ``cmd`` and SIGKILL it after ``delay`` s; True if it was still running then."""
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    alive = proc.poll() is None
    if alive:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return alive


def test_import_killed_mid_batch_changes_nothing_and_rerun_succeeds(db_url: str, tmp_path: Path) -> None:
    small, big = tmp_path / "small", tmp_path / "big"
    write_demo_data(small, scale=0.05)
    write_demo_data(big, scale=2.0)  # ~120,000 applications: the import takes a few seconds
    env = {**os.environ, "MARKET_ACCESS_DB": db_url}
    cli = [sys.executable, "-m", "cli"]
    subprocess.run([*cli, "import", *map(str, sorted(small.glob("*.csv")))], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    db = Database(db_url)
    before = _counts(db)
    files = list(map(str, sorted(big.glob("*.csv"))))
    seen = []
    for delay in (1.0, 2.0, 3.0, 4.5):
        if _kill_after([*cli, "import", *files], env, delay):
            seen.append((delay, _counts(db)))
    done = subprocess.run([*cli, "import", *files], env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    after = _counts(db)
    assert after["applications"] > before["applications"]
    # each kill left the database either as it was or with the whole batch (a process can be
    # killed after its commit, while it exits) — never with part of it
    for delay, counts in seen:
        assert counts in (before, after), f"killed after {delay} s: a partial batch is stored"
    assert any(counts == before for _, counts in seen), "no kill landed before the commit"
    db.dispose()


def test_task_updates_killed_midway_keep_task_and_history_consistent(db_url: str, tmp_path: Path) -> None:
    db = Database(db_url)
    write_demo_data(tmp_path / "d", scale=0.02)
    from data.importer import import_files

    with db.session() as s:
        assert import_files(s, sorted((tmp_path / "d").glob("*.csv"))).ok
    admin = Principal("admin", "管理员", ADMIN)
    with db.session() as s:
        task_id = task_store.create_task(s, admin, title="整改", dept="JH009", responsible="张三",
                                         deadline=date(2026, 12, 31), requirement="整改要求")
    script = textwrap.dedent(f"""
        from data.db import Database
        from data import tasks
        from data.accounts import Principal
        db = Database({db_url!r})
        p = Principal("admin", "管理员", "管理员")
        v = 1
        for i in range(100000):
            with db.session() as s:
                v = tasks.update_task(s, p, {task_id}, expected_version=v, status="待整改", note=f"第{{i}}次")
    """)
    env = {**os.environ, "MARKET_ACCESS_DB": db_url}
    assert _kill_after([sys.executable, "-c", script], env, 3.0), "the updates finished before the kill"
    with db.session() as s:
        version = s.execute(select(rectification_tasks.c.version).where(rectification_tasks.c.id == task_id)).scalar_one()
        events = s.execute(select(func.count()).select_from(task_events).where(task_events.c.task_id == task_id)).scalar_one()
    assert version > 1
    assert events == version  # one creation event plus one per committed update: nothing half-written
    with db.session() as s:
        task_store.update_task(s, admin, task_id, expected_version=version, status="整改中", note="重启后继续")
    db.dispose()


@pytest.fixture(autouse=True)
def _no_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MARKET_ACCESS_DEMO", raising=False)
