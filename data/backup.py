"""Backups of the whole database and their restore (``market-access backup`` / ``restore``).

- SQLite: the online backup API (:meth:`sqlite3.Connection.backup`) copies a consistent
  image while the dashboard keeps running; the backup is itself a SQLite file.  A restore
  copies it back the same way, in one step, so other connections see the old database or
  the new one, never a mixture.
- PostgreSQL: ``pg_dump -Fc`` (custom format) and ``pg_restore --clean --if-exists
  --single-transaction``; the tools are found on PATH or under /usr/lib/postgresql/*/bin,
  the password is passed in the environment (PGPASSWORD), never on a command line.

A restore refuses to replace a database that holds any row unless ``force`` is given; the
schema is upgraded afterwards (a backup may predate a migration) and the columnar snapshot
cache of the database is dropped.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import URL, make_url

from data.db import Database
from data.schema import metadata
from data.snapshots import default_cache_dir, results_dir

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(RuntimeError):
    """A backup or restore that could not be done; ``str(err)`` is the Chinese reason."""


@dataclass(frozen=True)
class BackupResult:
    """A written backup: where, how large, of which kind of database."""

    path: Path
    bytes: int
    dialect: str


def row_count(db: Database) -> int:
    """Rows in all of the product's tables that exist in ``db`` (Alembic's own table excluded)."""
    present = set(inspect(db.engine).get_table_names())
    total = 0
    with db.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name in present:
                total += int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    return total


def backup(db: Database, out: str | Path, *, force: bool = False) -> BackupResult:
    """Write a backup of ``db`` to ``out`` (atomically: a temporary file renamed at the end)."""
    target = Path(out)
    if target.exists() and not force:
        raise BackupError(f"文件 {target} 已存在；如要覆盖请加 --force。")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".backup-", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if db.dialect == "sqlite":
            _sqlite_backup(db, tmp)
        elif db.dialect == "postgresql":
            _run(_tool("pg_dump"), ["-Fc", "--no-owner", "-f", str(tmp)], db.url)
        else:
            raise BackupError(f"不支持备份 {db.dialect} 数据库。")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return BackupResult(target, target.stat().st_size, db.dialect)


def restore(db: Database, source: str | Path, *, force: bool = False) -> int:
    """Replace the content of ``db`` by the backup ``source``; returns the rows restored."""
    path = Path(source)
    if not path.is_file():
        raise BackupError(f"备份文件 {path} 不存在。")
    with path.open("rb") as fh:
        head = fh.read(16)
    if db.dialect == "sqlite" and not head.startswith(SQLITE_MAGIC):
        raise BackupError(f"{path} 不是 SQLite 备份文件。")
    if db.dialect == "postgresql" and not head.startswith(PGDUMP_MAGIC):
        raise BackupError(f"{path} 不是 PostgreSQL（pg_dump -Fc）备份文件。")
    if db.dialect not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持恢复到 {db.dialect} 数据库。")
    existing = row_count(db)
    if existing and not force:
        raise BackupError(f"目标数据库不是空的（已有 {existing:,} 行数据）；确认要用备份覆盖它，请加 --force。")
    if db.dialect == "sqlite":
        _sqlite_restore(db, path)
    else:
        _run(_tool("pg_restore"), ["--clean", "--if-exists", "--no-owner", "--single-transaction",
                                   "--exit-on-error", "-d", _libpq_url(db.url)[1], str(path)], db.url, dbname=False)
    db.engine.dispose()  # connections opened before the restore may cache the old schema
    db.upgrade()
    shutil.rmtree(default_cache_dir(db.url), ignore_errors=True)
    shutil.rmtree(results_dir(db.url), ignore_errors=True)
    return row_count(db)


# --- SQLite ---------------------------------------------------------------------------------

def _sqlite_backup(db: Database, out: Path) -> None:
    raw = db.engine.raw_connection()
    try:
        dst = sqlite3.connect(out)
        try:
            raw.driver_connection.backup(dst)  # type: ignore[union-attr]
        finally:
            dst.close()
    finally:
        raw.close()


def _sqlite_restore(db: Database, source: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        ok = src.execute("PRAGMA quick_check").fetchone()
        if not ok or ok[0] != "ok":
            raise BackupError(f"备份文件 {source} 已损坏（{ok[0] if ok else '无法检查'}）。")
        db.engine.dispose()
        raw = db.engine.raw_connection()
        try:
            src.backup(raw.driver_connection)  # type: ignore[arg-type]
        finally:
            raw.close()
    except sqlite3.DatabaseError as err:
        raise BackupError(f"无法从 {source} 恢复：{err}") from err
    finally:
        src.close()


# --- PostgreSQL -----------------------------------------------------------------------------

def _tool(name: str) -> str:
    """``pg_dump`` / ``pg_restore``: on PATH, else the newest under /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if candidates:
        return candidates[-1]
    raise BackupError(f"找不到 {name}；请安装 PostgreSQL 客户端（postgresql-client）。")


def _libpq_url(url: str) -> tuple[URL, str]:
    """The SQLAlchemy URL and the libpq one without the password (given in PGPASSWORD)."""
    parsed = make_url(url)
    plain = parsed.set(drivername="postgresql", password=None)
    return parsed, plain.render_as_string(hide_password=False)


def _run(tool: str, args: list[str], url: str, *, dbname: bool = True) -> None:
    parsed, libpq = _libpq_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    command = [tool, *args, *(["--dbname", libpq] if dbname else [])]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{Path(tool).name} 失败（退出码 {done.returncode}）：{detail[-1] if detail else ''}")
