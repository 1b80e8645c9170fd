"""``market-access backup --out FILE`` and ``market-access restore FILE [--force]``.

A backup of SQLite is made with its online backup API (the dashboard may keep running); of
PostgreSQL with ``pg_dump -Fc``.  A restore refuses to replace a database holding any row
unless ``--force`` is given (``pg_restore --clean`` for PostgreSQL).  See :mod:`data.backup`.
"""

from __future__ import annotations

import argparse

from cli.dbargs import open_database
from cli.errors import CliError
from data.backup import BackupError, backup, restore


def _backup(args: argparse.Namespace) -> int:
    db = open_database(args)
    try:
        result = backup(db, args.out, force=args.force)
    except BackupError as err:
        raise CliError(str(err)) from err
    finally:
        db.dispose()
    print(f"已备份（{result.dialect}）到 {result.path}，{result.bytes / 1024:,.0f} KB。")
    return 0


def _restore(args: argparse.Namespace) -> int:
    db = open_database(args)
    try:
        rows = restore(db, args.file, force=args.force)
    except BackupError as err:
        raise CliError(str(err)) from err
    finally:
        db.dispose()
    print(f"已从 {args.file} 恢复，共 {rows:,} 行数据。")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    b = subparsers.add_parser("backup", help="备份整个数据库 (back up the database)", description="备份整个数据库")
    b.add_argument("--out", required=True, metavar="FILE", help="备份文件路径")
    b.add_argument("--force", action="store_true", help="覆盖已存在的备份文件")
    b.set_defaults(handler=_backup)
    r = subparsers.add_parser("restore", help="从备份恢复数据库 (restore a backup)", description="从备份恢复数据库")
    r.add_argument("file", metavar="FILE", help="备份文件")
    r.add_argument("--force", action="store_true", help="目标数据库非空时也用备份覆盖")
    r.set_defaults(handler=_restore)
