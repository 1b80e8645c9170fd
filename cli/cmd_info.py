"""``market-access info [--format text|json]``: what the database holds.

The row count of every contract table (keyed by table id) and the last import batch:
its id, time, outcome, files and per-table counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from cli.dbargs import open_database
from cli.errors import CliError


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "info",
        help="显示各表行数与最近一次导入 (table row counts, last import)",
        description="显示数据库中各数据表的行数，以及最近一次导入批次（时间、结果、文件、各表行数）。",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式：text（默认）或 json")
    p.set_defaults(handler=run)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(sep=" ", timespec="seconds") if value is not None else None


def collect(session: Session) -> dict[str, Any]:
    """Row counts per contract table and the last import batch, as JSON-ready values."""
    from data import contract
    from data.schema import CONTRACT, import_batches, import_counts, import_files

    info: dict[str, Any] = {}
    for table in contract.TABLES:
        info[table.id] = int(session.execute(select(func.count()).select_from(CONTRACT[table.id])).scalar_one())
    b = import_batches.c
    batch = session.execute(select(import_batches).order_by(b.id.desc()).limit(1)).first()
    if batch is None:
        info["last_batch"] = None
        return info
    files = session.execute(
        select(import_files).where(import_files.c.batch_id == batch.id).order_by(import_files.c.id)
    ).all()
    counts = session.execute(select(import_counts).where(import_counts.c.batch_id == batch.id)).all()
    order = {t.id: i for i, t in enumerate(contract.TABLES)}
    info["last_batch"] = {
        "id": batch.id,
        "time": _iso(batch.finished_at or batch.started_at),
        "started_at": _iso(batch.started_at),
        "finished_at": _iso(batch.finished_at),
        "user": batch.user_name,
        "outcome": batch.outcome,
        "problem_count": batch.problem_count,
        "files": [
            {"file": f.file_name, "sha256": f.sha256, "table": f.table_id, "sheet": f.sheet, "rows": f.row_count}
            for f in files
        ],
        "counts": {
            c.table_id: {"added": c.added, "replaced": c.replaced, "unchanged": c.unchanged}
            for c in sorted(counts, key=lambda c: order.get(c.table_id, 99))
        },
    }
    return info


def _text(info: dict[str, Any]) -> str:
    from data.contract import TABLES, TABLES_BY_ID

    lines = ["各表行数："]
    for table in TABLES:
        lines.append(f"  {table.zh} ({table.id})：{info[table.id]} 行")
    batch = info["last_batch"]
    if batch is None:
        lines.append("最近一次导入：无")
        return "\n".join(lines)
    lines.append(
        f"最近一次导入：批次 {batch['id']}，{batch['time']}，{batch['outcome']}"
        + (f"，{batch['problem_count']} 个问题" if batch["problem_count"] else "")
        + (f"，操作人 {batch['user']}" if batch["user"] else "")
    )
    for f in batch["files"]:
        where = f"（工作表 {f['sheet']}）" if f["sheet"] else ""
        lines.append(f"  文件 {f['file']}{where}：{f['table'] or '未识别'}，{f['rows']} 行")
    for table_id, c in batch["counts"].items():
        name = TABLES_BY_ID[table_id].zh if table_id in TABLES_BY_ID else table_id
        lines.append(f"  {name} ({table_id})：新增 {c['added']}，替换 {c['replaced']}，未变 {c['unchanged']}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    db = open_database(args)
    try:
        with db.session() as session:
            info = collect(session)
    except SQLAlchemyError as err:
        raise CliError(f"读取数据库失败：{err.__class__.__name__}: {err}") from err
    finally:
        db.dispose()
    if args.format == "json":
        print(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        print(_text(info))
    return 0
