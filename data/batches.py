"""Import batch history and the data version the dashboard caches by."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.schema import import_batches, import_counts, import_files

OUTCOME_OK = "成功"


def data_version(session: Session) -> int:
    """The id of the newest successful import batch (0 before any): changes whenever data does."""
    stmt = select(func.max(import_batches.c.id)).where(import_batches.c.outcome == OUTCOME_OK)
    return int(session.execute(stmt).scalar() or 0)


def data_identity(session: Session, version: int) -> str:
    """``version`` with its batch's start and end times: names the data across processes
    and restarts (a database made anew counts its batches from 1 again, at other times)."""
    b = import_batches.c
    row = session.execute(select(b.started_at, b.finished_at).where(b.id == version)).first()
    return f"{version}" if row is None else f"{version}-{row.started_at}-{row.finished_at}"


def batch_history(session: Session, limit: int = 200) -> pd.DataFrame:
    """The newest import batches with their outcome, file names and row counts per table."""
    b = import_batches.c
    rows = session.execute(
        select(b.id, b.started_at, b.finished_at, b.user_name, b.outcome, b.problem_count, b.message)
        .order_by(b.id.desc())
        .limit(limit)
    ).all()
    batches = pd.DataFrame(rows, columns=["id", "started_at", "finished_at", "user_name", "outcome", "problem_count", "message"])
    if batches.empty:
        return batches.assign(files="", tables="")
    ids = batches["id"].tolist()
    files = session.execute(
        select(import_files.c.batch_id, import_files.c.file_name).where(import_files.c.batch_id.in_(ids))
    ).all()
    counts = session.execute(select(import_counts).where(import_counts.c.batch_id.in_(ids))).all()
    by_batch_files: dict[int, list[str]] = {}
    for bid, name in files:
        by_batch_files.setdefault(bid, []).append(name)
    by_batch_counts: dict[int, list[str]] = {}
    for row in counts:
        by_batch_counts.setdefault(row.batch_id, []).append(
            f"{row.table_id}: +{row.added} ~{row.replaced} ={row.unchanged}"
        )
    batches["files"] = [", ".join(by_batch_files.get(i, [])) for i in ids]
    batches["tables"] = ["; ".join(by_batch_counts.get(i, [])) for i in ids]
    return batches


def last_import_per_table(session: Session) -> pd.DataFrame:
    """For each table, the newest successful batch that wrote rows to it, and when."""
    b, c = import_batches.c, import_counts.c
    rows = session.execute(
        select(c.table_id, func.max(b.id).label("batch_id"), func.max(b.finished_at).label("finished_at"))
        .join(import_batches, b.id == c.batch_id)
        .where(b.outcome == OUTCOME_OK)
        .group_by(c.table_id)
    ).all()
    return pd.DataFrame(rows, columns=["table_id", "batch_id", "finished_at"])
