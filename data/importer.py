"""Import a batch of files into the contract tables, atomically, holding one chunk at a time.

:func:`import_files` opens every file (:mod:`data.file_stream`), then for each table in
dependency order streams its rows in chunks of about ``chunk_rows`` records: each chunk is
validated (:mod:`data.validate`; keys repeated across chunks are found through
:class:`~data.batch_keys.BatchKeys`), classified against the stored rows and, while the
batch has no problem, written (:mod:`data.import_plan`), so memory is bounded by the chunk,
not by the file.  The writes happen inside a savepoint of the caller's transaction: a
problem anywhere in the batch (a later chunk, a later table) rolls the savepoint back, so a
rejected batch writes nothing to the contract tables; it is only recorded in
``import_batches`` (outcome 已拒绝) for history.  The rules of ``negative_list`` that look
at a whole version hold within a chunk (a negative list is hundreds of rows, one chunk).

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
from sqlalchemy import insert
from sqlalchemy.orm import Session

from data import audit, clock, contract, product_steps, schema, upload_guard
from data.batch_keys import BatchKeys
from data.contract import Table
from data.csv_chunks import CHUNK_ROWS
from data.file_stream import open_file
from data.import_plan import BULK_ROWS as BULK_ROWS  # re-exported: the bulk-load threshold
from data.import_plan import StoredKeys, TableWriter
from data.layout import SheetLayout
from data.mappings import list_mappings
from data.problems import Problem, sorted_problems
from data.readers import ReadOptions, Source
from data.schema import import_batches, import_counts
from data.sheet_streams import OpenedFile, SheetStream
from data.storage import StoredColumns, write_rows
from data.validate import RawTable, References, validate_table

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
    chunk_rows: int = CHUNK_ROWS,
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
    ``chunk_rows`` bounds the records of a CSV file held at once.
    """
    clock_start = local_now()
    started = _naive_local(now) if now is not None else clock_start
    options = ReadOptions(dict(tables or {}), dict(mappings or {}), list_mappings(session))
    opened = [_open(p, options, chunk_rows) for p in paths]
    try:
        report = _Run(session, opened, dry_run, user, started, clock_start, overwrite_product_steps).report()
    finally:
        for f in opened:
            if f.close is not None:
                f.close()
    return dataclasses.replace(report, layouts=tuple(lay for f in opened for lay in f.layouts))


def _open(item: str | Path | Source, options: ReadOptions, chunk_rows: int) -> OpenedFile:
    refused = upload_guard.check_any(item)  # hostile files refused unread
    return OpenedFile.of(refused) if refused is not None else open_file(item, options, chunk_rows)


MAX_PROBLEMS = 100_000
"""Problems listed per batch at most (a file of bad rows must not fill the memory); the rest are counted."""


class _Run:
    """One import batch being streamed: what was found so far and where it is written."""

    def __init__(self, session: Session, opened: list[OpenedFile], dry_run: bool, user: str | None,
                 started: dt.datetime, clock_start: dt.datetime, overwrite: bool) -> None:
        self.session, self.opened, self.dry_run, self.user = session, opened, dry_run, user
        self.started, self.clock_start, self.overwrite = started, clock_start, overwrite
        self.problems: list[Problem] = [p for f in opened for p in f.problems]
        self.warnings: list[Problem] = [w for f in opened for w in f.warnings]
        self.unlisted = 0
        """Problems found beyond :data:`MAX_PROBLEMS` (counted, not kept)."""
        self.refused: list[Problem] = []
        """Rows refused because the product handled their case (reported only when nothing else is wrong)."""
        if not opened:
            self.problems.append(Problem(file="", reason="没有要导入的文件"))

    def report(self) -> ImportReport:
        """Stream every table of the batch and record the batch: stored (成功), refused or a dry run."""
        session = self.session
        self.refs = References.load(session.connection())
        batch_id = None
        savepoint = None
        if not self.dry_run and not self.problems:
            batch_id = _insert_batch(session, OUTCOME_OK, self.started, self.user, 0)
            savepoint = session.begin_nested()
        counts: list[TableCounts] = []
        for table in contract.TABLES:
            streams = [s for f in self.opened for s in f.streams if s.table.id == table.id]
            if streams:
                counts.append(self._table(table, streams, batch_id))
        files = _file_summaries(self.opened)
        if self.problems or self.refused:
            problems = self.problems or self.refused
            if self.unlisted:
                reason = (f"另有 {self.unlisted:,} 个问题未列出（每批最多列出 {MAX_PROBLEMS:,} 个），"
                          "请先改正已列出的问题后重新校验")
                problems = [*problems, Problem(file="", reason=reason)]
            if savepoint is None:
                return _record(session, OUTCOME_REJECTED, self.started, self.clock_start, self.user, files, (),
                               problems, self.warnings)
            savepoint.rollback()  # nothing of the batch stays: every chunk written so far is undone
            assert batch_id is not None
            return _finish(session, batch_id, OUTCOME_REJECTED, self.started, self.clock_start, files, (), problems,
                           self.warnings, self.user)
        if self.dry_run:
            return _record(session, OUTCOME_DRY_RUN, self.started, self.clock_start, self.user, files,
                           tuple(counts), [], self.warnings)
        assert savepoint is not None and batch_id is not None
        savepoint.commit()
        return _finish(session, batch_id, OUTCOME_OK, self.started, self.clock_start, files, tuple(counts), [],
                       self.warnings, self.user)

    def _found(self, found: Sequence[Problem]) -> None:
        """Keep problems up to :data:`MAX_PROBLEMS`; count the rest."""
        room = max(MAX_PROBLEMS - len(self.problems), 0)
        if len(found) > room:
            self.unlisted += len(found) - room
            found = found[:room]
        self.problems += found

    def _table(self, table: Table, streams: list[SheetStream], batch_id: int | None) -> TableCounts:
        """Validate, classify and (while nothing is wrong) write one table's chunks; its counts."""
        origins = tuple((s.file, s.sheet) for s in streams)
        seen = BatchKeys()
        stored = StoredKeys(self.session, table)
        writer = TableWriter(self.session, table, batch_id, stored.total, write_rows) if batch_id is not None else None
        added = replaced = rows = 0
        for number, stream in enumerate(streams):
            for k, sheet in enumerate(stream.chunks()):
                n = len(sheet.frame)
                raw = RawTable(table, sheet.frame, sheet.rows, np.full(n, number, dtype=np.int32), origins)
                whole = len(streams) == 1 and k == 0 and stream.last  # the table's only chunk
                result = validate_table(raw, self.refs, self.started, None if whole else seen)
                self.refs.add(table, result.frame)
                self._found(result.problems)
                if self.problems:
                    continue  # the batch is refused: the rest is only validated
                data = StoredColumns(table, result.frame)
                new, changed = stored.classify(data, whole=whole)
                refused, overwritten = product_steps.conflicts(self.session, [result], [changed],
                                                               overwrite=self.overwrite)
                self.refused += refused
                self.warnings += overwritten
                n_new, n_changed = int(new.sum()), int(changed.sum())
                added, replaced, rows = added + n_new, replaced + n_changed, rows + n
                if writer is not None and not self.refused:
                    writer.write(data, new, changed, stream.done)
            self._found(stream.problems)
            self.warnings += stream.warnings
        if writer is not None and not (self.problems or self.refused):
            writer.finish()
        return TableCounts(table.id, added, replaced, rows - added - replaced)


# --- batch records ---------------------------------------------------------------------------

def _file_summaries(opened: Iterable[OpenedFile]) -> tuple[FileSummary, ...]:
    out: list[FileSummary] = []
    for f in opened:
        if not f.streams:
            table = next((p.table for p in f.problems if p.table), None)
            out.append(FileSummary(f.file, f.sha256, table, None, 0))
        for s in f.streams:
            out.append(FileSummary(f.file, f.sha256, s.table.id, s.sheet, s.rows))
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
        .values(outcome=outcome, finished_at=finished, problem_count=len(problems), message=message)
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
