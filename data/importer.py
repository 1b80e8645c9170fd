"""Import a batch of files into the contract tables, atomically.

:func:`import_files` reads every file (:mod:`data.readers`), validates every table
(:mod:`data.validate`) and, only when no row anywhere in the batch has a problem, upserts
the rows by natural key in dependency order.  A rejected batch writes nothing to the
contract tables; it is only recorded in ``import_batches`` (outcome 已拒绝) for history.

Each stored row carries a hash of its contract values (``row_hash``), so a second import
of the same data finds every row unchanged and writes nothing; only added and replaced
rows are written, through the driver directly (:mod:`data.storage`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import insert
from sqlalchemy.orm import Session

from data import audit, clock, contract, product_steps, schema, upload_guard
from data.contract import Kind, Table
from data.layout import SheetLayout
from data.mappings import list_mappings
from data.problems import Problem, sorted_problems
from data.readers import FileRead, ReadOptions, Source, read_file
from data.schema import ROW_HASH, import_batches, import_counts
from data.storage import StoredColumns, write_rows
from data.validate import RawTable, References, Validated, validate_table

LOCAL_TZ = clock.LOCAL_TZ
OUTCOME_OK = "成功"
OUTCOME_REJECTED = "已拒绝"
OUTCOME_DRY_RUN = "仅校验"


@dataclass(frozen=True)
class TableCounts:
    """Rows of one table in a batch: new keys, changed rows of existing keys, identical rows."""

    table: str
    added: int = 0
    replaced: int = 0
    unchanged: int = 0

    @property
    def rows(self) -> int:
        return self.added + self.replaced + self.unchanged


@dataclass(frozen=True)
class FileSummary:
    """One file (or one sheet of a workbook) of a batch."""

    file: str
    sha256: str
    table: str | None
    sheet: str | None
    rows: int


@dataclass(frozen=True)
class ImportReport:
    """The outcome of one import batch."""

    batch_id: int | None
    outcome: str
    dry_run: bool
    started_at: dt.datetime
    finished_at: dt.datetime
    counts: tuple[TableCounts, ...]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    files: tuple[FileSummary, ...]
    layouts: tuple[SheetLayout, ...] = ()
    """How each file or sheet was read: table, header row, skipped rows, filled ranges, rewrites."""

    @property
    def ok(self) -> bool:
        """Whether the batch had no problem (it was stored, or would be on a dry run)."""
        return not self.problems

    def count(self, table_id: str) -> TableCounts:
        for c in self.counts:
            if c.table == table_id:
                return c
        return TableCounts(table_id)


def local_now() -> dt.datetime:
    """The current time in Asia/Shanghai, naive (as stored), to the microsecond (import
    durations): :func:`data.clock.local_moment`."""
    return clock.local_moment()


def _naive_local(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(LOCAL_TZ).replace(tzinfo=None)


def import_files(
    session: Session,
    paths: Sequence[str | Path | Source],
    *,
    dry_run: bool = False,
    user: str | None = None,
    now: dt.datetime | None = None,
    tables: Mapping[str, str] | None = None,
    mappings: Mapping[str, str] | None = None,
    overwrite_product_steps: bool = False,
) -> ImportReport:
    """Validate ``paths`` as one batch and, unless ``dry_run`` or any problem, store it.

    ``now`` is the moment of import for the no-future rule (default: the current local
    time).  ``tables`` chooses the table and ``mappings`` the saved mapping of a source
    (``file`` or ``file:sheet``; mapping source ``*`` = every file); other sources get the
    saved mapping of their header fingerprint, if any.  The batch is recorded in
    ``import_batches`` with outcome 成功, 已拒绝 or 仅校验.  Nothing is committed here: the
    caller's session owns the transaction.
    A changed row for a case handled in the product is refused unless
    ``overwrite_product_steps`` (:mod:`data.product_steps`: the product wins by default).
    """
    clock_start = local_now()
    started = _naive_local(now) if now is not None else clock_start
    options = ReadOptions(dict(tables or {}), dict(mappings or {}), list_mappings(session))
    reads = [upload_guard.check_any(p) or read_file(p, options) for p in paths]  # hostile files refused unread
    report = _import_reads(session, reads, dry_run, user, started, clock_start, overwrite_product_steps)
    return dataclasses.replace(report, layouts=tuple(lay for r in reads for lay in r.layouts))


def _import_reads(
    session: Session, reads: list[FileRead], dry_run: bool, user: str | None, started: dt.datetime,
    clock_start: dt.datetime, overwrite_product_steps: bool,
) -> ImportReport:
    problems: list[Problem] = [p for r in reads for p in r.problems]
    warnings: list[Problem] = [w for r in reads for w in r.warnings]
    if not reads:
        problems.append(Problem(file="", reason="没有要导入的文件"))

    conn = session.connection()
    refs = References.load(conn)
    validated: list[Validated] = []
    for table in contract.TABLES:
        sheets = [s for r in reads for s in r.sheets if s.table.id == table.id]
        if not sheets:
            continue
        result = validate_table(RawTable.combine(sheets), refs, started)
        refs.add(table, result.frame)
        problems += result.problems
        validated.append(result)

    files = _file_summaries(reads)
    if problems:
        return _record(session, OUTCOME_REJECTED, started, clock_start, user, files, (), problems, warnings)

    plans = [_plan(session, v) for v in validated]
    refused, overwritten = product_steps.conflicts(session, validated, [p.replaced for p in plans],
                                                   overwrite=overwrite_product_steps)
    warnings += overwritten
    if refused:
        return _record(session, OUTCOME_REJECTED, started, clock_start, user, files, (), refused, warnings)
    counts = tuple(p.counts for p in plans)
    if dry_run:
        return _record(session, OUTCOME_DRY_RUN, started, clock_start, user, files, counts, [], warnings)
    batch_id = _insert_batch(session, OUTCOME_OK, started, user, 0)
    for plan in plans:
        _write(session, plan, batch_id)
    return _finish(session, batch_id, OUTCOME_OK, started, clock_start, files, counts, [], warnings, user)


# --- batch records ---------------------------------------------------------------------------

def _file_summaries(reads: Iterable[FileRead]) -> tuple[FileSummary, ...]:
    out: list[FileSummary] = []
    for r in reads:
        if not r.sheets:
            table = next((p.table for p in r.problems if p.table), None)
            out.append(FileSummary(r.file, r.sha256, table, None, 0))
        for s in r.sheets:
            out.append(FileSummary(r.file, r.sha256, s.table.id, s.sheet, len(s.frame)))
    return tuple(out)


def _insert_batch(session: Session, outcome: str, started: dt.datetime, user: str | None, problem_count: int) -> int:
    stmt = insert(import_batches).values(
        started_at=started, user_name=user, outcome=outcome, problem_count=problem_count
    ).returning(import_batches.c.id)
    return int(session.execute(stmt).scalar_one())


def _record(
    session: Session, outcome: str, started: dt.datetime, clock_start: dt.datetime, user: str | None,
    files: tuple[FileSummary, ...], counts: tuple[TableCounts, ...], problems: list[Problem],
    warnings: list[Problem],
) -> ImportReport:
    batch_id = _insert_batch(session, outcome, started, user, len(problems))
    return _finish(session, batch_id, outcome, started, clock_start, files, counts, problems, warnings, user)


def _finish(
    session: Session, batch_id: int, outcome: str, started: dt.datetime, clock_start: dt.datetime,
    files: tuple[FileSummary, ...], counts: tuple[TableCounts, ...], problems: list[Problem],
    warnings: list[Problem], user: str | None = None,
) -> ImportReport:
    finished = started + (local_now() - clock_start)
    audit.record(session, user or "系统", "数据导入", f"批次{batch_id}", outcome=outcome,
                 files=[f.file for f in files], problems=len(problems),
                 counts={c.table: [c.added, c.replaced, c.unchanged] for c in counts})
    message = f"{len(problems)} 个问题" if problems else None
    session.execute(
        import_batches.update()
        .where(import_batches.c.id == batch_id)
        .values(finished_at=finished, problem_count=len(problems), message=message)
    )
    if files:
        session.execute(insert(schema.import_files), [
            {"batch_id": batch_id, "file_name": f.file[:255], "sha256": f.sha256, "table_id": f.table,
             "sheet": f.sheet[:64] if f.sheet else None, "row_count": f.rows}
            for f in files
        ])
    if counts:
        session.execute(insert(import_counts), [
            {"batch_id": batch_id, "table_id": c.table, "added": c.added, "replaced": c.replaced,
             "unchanged": c.unchanged}
            for c in counts
        ])
    return ImportReport(
        batch_id=batch_id, outcome=outcome, dry_run=outcome == OUTCOME_DRY_RUN, started_at=started,
        finished_at=finished, counts=counts, problems=tuple(sorted_problems(problems)),
        warnings=tuple(warnings), files=files,
    )


# --- classification ------------------------------------------------------------------------------

def _stored_key(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text[:10] if len(text) > 10 and text[4:5] == "-" and text[10:11] in (" ", "T") else text


@dataclass(frozen=True)
class _Plan:
    """What writing one validated table means: the rows to insert and to replace."""

    data: StoredColumns
    added: np.ndarray
    replaced: np.ndarray
    stored_rows: int
    counts: TableCounts


def _plan(session: Session, validated: Validated) -> _Plan:
    table = validated.table
    data = StoredColumns(table, validated.frame)
    stored, total = _stored_hashes(session, table, validated.frame)
    n = len(data)
    if not stored:
        added = np.ones(n, dtype=bool)
        replaced = np.zeros(n, dtype=bool)
    else:
        width = len(table.key)
        dates = [i for i, cid in enumerate(table.key) if table.column(cid).kind is Kind.DATE]
        if width == 1 and not dates:
            stored_keys = [r[0] for r in stored]
        else:
            stored_keys = ["\x1f".join(_stored_key(v) if i in dates else str(v) for i, v in enumerate(r[:width]))
                           for r in stored]
        stored_hash = np.fromiter((r[width] for r in stored), dtype=np.int64, count=len(stored))
        pos = pd.Index(stored_keys).get_indexer(pd.Index(data.key_strings()))
        added = pos < 0
        hashes = data.row_hashes
        same = np.zeros(n, dtype=bool)
        same[~added] = stored_hash[pos[~added]] == hashes[~added]
        replaced = ~added & ~same
    n_added, n_replaced = int(added.sum()), int(replaced.sum())
    counts = TableCounts(table.id, n_added, n_replaced, n - n_added - n_replaced)
    return _Plan(data, added, replaced, total, counts)


LOOKUP_CHUNK = 500


def _stored_hashes(session: Session, table: Table, frame: pd.DataFrame) -> tuple[list[tuple[object, ...]], int]:
    """Stored (key..., row_hash) rows that may match the batch, and the table's row count.

    A small batch against a large table looks its keys up (single-column keys); otherwise
    the whole key column is read, which is faster than millions of lookups."""
    cols = ", ".join(f'"{c}"' for c in table.key)
    marker = "?" if session.get_bind().dialect.paramstyle == "qmark" else "%s"
    driver = session.connection().connection.driver_connection
    assert driver is not None
    cur = driver.cursor()
    try:
        cur.execute(f'SELECT count(*) FROM "{table.id}"')
        total = int(cur.fetchone()[0])
        if not total:
            return [], 0
        if len(table.key) == 1 and len(frame) * 20 < total:
            keys = pd.unique(frame[table.key[0]].to_numpy(dtype=object, na_value=None))
            stored: list[tuple[object, ...]] = []
            for start in range(0, len(keys), LOOKUP_CHUNK):
                chunk = [k for k in keys[start:start + LOOKUP_CHUNK].tolist() if k is not None]
                if not chunk:
                    continue
                marks = ", ".join(marker for _ in chunk)
                cur.execute(f'SELECT {cols}, "{ROW_HASH}" FROM "{table.id}" WHERE {cols} IN ({marks})', chunk)
                stored += cur.fetchall()
            return stored, total
        cur.execute(f'SELECT {cols}, "{ROW_HASH}" FROM "{table.id}"')
        return cur.fetchall(), total
    finally:
        cur.close()


# --- writing -------------------------------------------------------------------------------------

BULK_ROWS = 20_000
"""Writing at least this many rows, and at least half as many as the table holds, rebuilds the
table's secondary indexes afterwards instead of updating them row by row (much faster)."""


def _write(session: Session, plan: _Plan, batch_id: int) -> None:
    n = int(plan.added.sum() + plan.replaced.sum())
    bulk = n >= BULK_ROWS and n * 2 >= plan.stored_rows
    write_rows(session, plan.data, plan.added, plan.replaced, batch_id, bulk)
