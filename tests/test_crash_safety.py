"""Crash safety: a process killed (SIGKILL) in the middle of an import or of task updates
leaves the database as it was before the interrupted transaction, and a re-run succeeds.

No test sleeps for a guessed time.  The child process runs the real code with a hook that,
at a chosen point inside the transaction (after a table's rows are written, or just before
the commit), reports what its own uncommitted transaction holds on stdout and then blocks;
the test waits for that line and kills the child, so the kill lands exactly there.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data import tasks as task_store
from data.accounts import ADMIN, Principal
from data.db import Database
from data.demo import write_demo_data
from data.importer import import_files
from data.schema import CONTRACT, import_batches, rectification_tasks, task_events

ROOT = Path(__file__).resolve().parents[1]
HOLD = "HOLD"
"""The line a child prints, with what its open transaction holds, before it blocks."""
COUNTED = ("departments", "service_items", "applications", "cases")

IMPORT_CHILD = textwrap.dedent(f"""
    import sys

    from sqlalchemy import event, func, select
    from sqlalchemy.orm import Session

    import data.importer as importer
    from cli.main import main
    from data.schema import CONTRACT, import_batches

    stop, files = sys.argv[1], sys.argv[2:]
    written = []
    real_write_rows = importer.write_rows

    def hold(session, where):
        held = [int(session.execute(select(func.count()).select_from(CONTRACT[t])).scalar_one())
                for t in {COUNTED!r}]
        held.append(int(session.execute(select(func.count()).select_from(import_batches)).scalar_one()))
        print({HOLD!r}, where, "/".join(written), *held, flush=True)
        sys.stdin.read()  # blocks until the test kills this process

    def write_rows(session, data, *args, **kwargs):
        real_write_rows(session, data, *args, **kwargs)
        written.append(data.table.id)
        if stop == "after:" + data.table.id:
            hold(session, stop)

    importer.write_rows = write_rows

    @event.listens_for(Session, "before_commit")
    def before_commit(session):
        if stop == "commit" and written:
            hold(session, stop)

    raise SystemExit(main(["import", *files]))
""")

TASK_CHILD = textwrap.dedent(f"""
    import sys

    from sqlalchemy import event, select
    from sqlalchemy.orm import Session

    from data import tasks
    from data.accounts import Principal
    from data.db import Database
    from data.schema import rectification_tasks

    url, task_id, hold_after = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    committed = 0

    @event.listens_for(Session, "before_commit")
    def before_commit(session):
        if committed == hold_after:
            version = session.execute(
                select(rectification_tasks.c.version).where(rectification_tasks.c.id == task_id)).scalar_one()
            print({HOLD!r}, committed, version, flush=True)
            sys.stdin.read()  # blocks until the test kills this process

    db = Database(url)
    p = Principal("admin", "管理员", "管理员")
    v = 1
    for i in range(hold_after + 1):
        with db.session() as s:
            v = tasks.update_task(s, p, task_id, expected_version=v, status="待整改", note=f"第{{i}}次")
        committed += 1
""")


def _counts(db: Database) -> list[int]:
    """Rows of the counted tables and of ``import_batches``, in the order the child reports them."""
    with db.session() as s:
        out = [int(s.execute(select(func.count()).select_from(CONTRACT[t])).scalar_one()) for t in COUNTED]
        out.append(int(s.execute(select(func.count()).select_from(import_batches)).scalar_one()))
    return out


def _kill_at_hold(cmd: list[str], env: dict[str, str], timeout: float = 300) -> list[str]:
    """Run ``cmd`` until it prints its HOLD line, SIGKILL it there; the line's words after HOLD."""
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put("")  # end of output: the child exited

    threading.Thread(target=pump, daemon=True).start()
    try:
        while True:
            try:
                line = lines.get(timeout=timeout)
            except queue.Empty:
                pytest.fail(f"no {HOLD} line within {timeout} s")
            if not line:
                assert proc.stderr is not None
                pytest.fail(f"the child exited ({proc.wait()}) before its hold point: {proc.stderr.read()[-2000:]}")
            if line.startswith(HOLD + " "):
                assert proc.poll() is None, "the child must still be inside its transaction"
                return line.split()[1:]
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def test_import_killed_mid_batch_changes_nothing_and_rerun_succeeds(db_url: str, tmp_path: Path) -> None:
    small, big = tmp_path / "small", tmp_path / "big"
    write_demo_data(small, scale=0.05)
    write_demo_data(big, scale=0.3)
    env = {**os.environ, "MARKET_ACCESS_DB": db_url}
    cli = [sys.executable, "-m", "cli"]
    subprocess.run([*cli, "import", *map(str, sorted(small.glob("*.csv")))], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    db = Database(db_url)
    before = _counts(db)
    files = list(map(str, sorted(big.glob("*.csv"))))
    applications = COUNTED.index("applications")
    # after the first table, after the largest one, and with every row and the batch record
    # written, just before the commit
    for stop in ("after:departments", "after:applications", "commit"):
        where, written, *held = _kill_at_hold([sys.executable, "-c", IMPORT_CHILD, stop, *files], env)
        assert where == stop
        assert written.split("/")[0] == "departments"
        held_counts = list(map(int, held))
        if stop != "after:departments":
            assert "applications" in written.split("/")
            assert held_counts[applications] > before[applications], "the transaction held the new rows"
        if stop == "commit":
            assert held_counts[-1] == before[-1] + 1, "the transaction held the batch record"
        assert _counts(db) == before, f"killed at {stop}: part of the batch is stored"
    done = subprocess.run([*cli, "import", *files], env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    after = _counts(db)
    assert after[applications] > before[applications]
    assert after[-1] == before[-1] + 1  # exactly one batch: the re-run
    db.dispose()


def test_task_updates_killed_midway_keep_task_and_history_consistent(db_url: str, tmp_path: Path) -> None:
    db = Database(db_url)
    write_demo_data(tmp_path / "d", scale=0.02)
    with db.session() as s:
        assert import_files(s, sorted((tmp_path / "d").glob("*.csv"))).ok
    admin = Principal("admin", "管理员", ADMIN)
    with db.session() as s:
        task_id = task_store.create_task(s, admin, title="整改", dept="JH009", responsible="张三",
                                         deadline=date(2026, 12, 31), requirement="整改要求")
    env = {**os.environ, "MARKET_ACCESS_DB": db_url}
    hold_after = 20
    committed, held_version = _kill_at_hold([sys.executable, "-c", TASK_CHILD, db_url, str(task_id),
                                             str(hold_after)], env)
    assert int(committed) == hold_after
    assert int(held_version) == hold_after + 2  # the 21st update was written, not committed
    with db.session() as s:
        version = s.execute(select(rectification_tasks.c.version).where(rectification_tasks.c.id == task_id)).scalar_one()
        events = s.execute(select(func.count()).select_from(task_events).where(task_events.c.task_id == task_id)).scalar_one()
    assert version == hold_after + 1  # the creation, then one version per committed update
    assert events == version  # one creation event plus one per committed update: nothing half-written
    with db.session() as s:
        assert task_store.update_task(s, admin, task_id, expected_version=version, status="整改中",
                                      note="重启后继续") == version + 1
    db.dispose()


@pytest.fixture(autouse=True)
def _no_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MARKET_ACCESS_DEMO", raising=False)
