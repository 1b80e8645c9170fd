"""Import a batch of files into the contract tables, atomically.

:func:`import_files` reads every file (:mod:`data.readers`), validates every table
(:mod:`data.validate`) and, only when no row anywhere in the batch has a problem, upserts
the rows by natural key in dependency order.  A rejected batch writes nothing to the
contract tables; it is only recorded in ``import_batches`` (outcome 已拒绝) for history.

Each stored row carries a hash of its contract values (``row_hash``), so a second import
of the same data finds every row unchanged and writes nothing; only added and replaced
rows are written.  Writing uses the driver directly: ``executemany`` of an
``INSERT ... ON CONFLICT DO UPDATE`` on SQLite, ``COPY`` (through a temporary table for
replaced rows) on PostgreSQL, which keeps a million-row import well above 50,000 rows/s.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import insert
from sqlalchemy.orm import Session

from data import contract, schema
from data.contract import Kind, Table
from data.problems import Problem, sorted_problems
from data.readers import FileRead, read_file
from data.schema import BATCH_ID, ROW_HASH, import_batches, import_counts
from data.validate import RawTable, References, Validated, validate_table

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
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
    """The current time in Asia/Shanghai, naive (as stored)."""
    return dt.datetime.now(LOCAL_TZ).replace(tzinfo=None)


def _naive_local(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(LOCAL_TZ).replace(tzinfo=None)


def import_files(
    session: Session,
    paths: Sequence[str | Path],
    *,
    dry_run: bool = False,
    user: str | None = None,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Validate ``paths`` as one batch and, unless ``dry_run`` or any problem, store it.

    ``now`` is the moment of import for the no-future rule (default: the current local
    time).  The batch is recorded in ``import_batches`` with outcome 成功, 已拒绝 or 仅校验.
    Nothing is committed here: the caller's session owns the transaction.
    """
    clock_start = local_now()
    started = _naive_local(now) if now is not None else clock_start
    reads = [read_file(p) for p in paths]
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
    counts = tuple(p.counts for p in plans)
    if dry_run:
        return _record(session, OUTCOME_DRY_RUN, started, clock_start, user, files, counts, [], warnings)
    batch_id = _insert_batch(session, OUTCOME_OK, started, user, 0)
    for plan in plans:
        _write(session, plan, batch_id)
    return _finish(session, batch_id, OUTCOME_OK, started, clock_start, files, counts, [], warnings)


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
    result = session.execute(
        insert(import_batches).values(
            started_at=started, user_name=user, outcome=outcome, problem_count=problem_count
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _record(
    session: Session, outcome: str, started: dt.datetime, clock_start: dt.datetime, user: str | None,
    files: tuple[FileSummary, ...], counts: tuple[TableCounts, ...], problems: list[Problem],
    warnings: list[Problem],
) -> ImportReport:
    batch_id = _insert_batch(session, outcome, started, user, len(problems))
    return _finish(session, batch_id, outcome, started, clock_start, files, counts, problems, warnings)


def _finish(
    session: Session, batch_id: int, outcome: str, started: dt.datetime, clock_start: dt.datetime,
    files: tuple[FileSummary, ...], counts: tuple[TableCounts, ...], problems: list[Problem],
    warnings: list[Problem],
) -> ImportReport:
    finished = started + (local_now() - clock_start)
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


# --- row hashes and classification -------------------------------------------------------------

def _canonical(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """The contract values in fixed dtypes, so equal rows hash equally on every import."""
    out: dict[str, object] = {}
    for col in table.columns:
        s = frame[col.id]
        if col.kind in (Kind.TEXT, Kind.ENUM, Kind.USCC):
            out[col.id] = s.to_numpy(dtype=object, na_value=None)
        elif col.kind is Kind.BOOL:
            out[col.id] = s.to_numpy(dtype=bool)
        elif col.kind in (Kind.INT, Kind.RATING, Kind.NUMBER):
            out[col.id] = s.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            out[col.id] = s.to_numpy(dtype="datetime64[ns]").view(np.int64)
    return pd.DataFrame(out)


def row_hashes(table: Table, frame: pd.DataFrame) -> np.ndarray:
    """Signed 64-bit hash of each row's contract values (typed frame from validation)."""
    hashed = pd.util.hash_pandas_object(_canonical(table, frame), index=False)
    return hashed.to_numpy().view(np.int64)  # type: ignore[no-any-return]


def key_strings(table: Table, frame: pd.DataFrame) -> np.ndarray:
    """Each row's natural key as one string (dates as ``YYYY-MM-DD``), for matching stored rows."""
    parts = []
    for cid in table.key:
        s = frame[cid]
        if table.column(cid).kind is Kind.DATE:
            parts.append(np.datetime_as_string(s.to_numpy(dtype="datetime64[D]"), unit="D").astype(object))
        else:
            parts.append(s.to_numpy(dtype=object, na_value=None))
    if len(parts) == 1:
        return parts[0]  # type: ignore[no-any-return]
    joined = parts[0].astype(str)
    for part in parts[1:]:
        joined = np.char.add(np.char.add(joined, "\x1f"), part.astype(str))
    return joined.astype(object)


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

    table: Table
    frame: pd.DataFrame
    hashes: np.ndarray
    added: np.ndarray
    replaced: np.ndarray
    counts: TableCounts


def _plan(session: Session, validated: Validated) -> _Plan:
    table = validated.table
    frame = validated.frame
    hashes = row_hashes(table, frame)
    keys = key_strings(table, frame)
    driver = session.connection().connection.driver_connection
    assert driver is not None
    cur = driver.cursor()
    try:
        cols = ", ".join(f'"{c}"' for c in table.key)
        cur.execute(f'SELECT {cols}, "{ROW_HASH}" FROM "{table.id}"')
        stored = cur.fetchall()
    finally:
        cur.close()
    if not stored:
        added = np.ones(len(frame), dtype=bool)
        replaced = np.zeros(len(frame), dtype=bool)
    else:
        width = len(table.key)
        dates = [i for i, cid in enumerate(table.key) if table.column(cid).kind is Kind.DATE]
        if width == 1 and not dates:
            stored_keys = [r[0] for r in stored]
        else:
            stored_keys = ["\x1f".join(_stored_key(v) if i in dates else str(v) for i, v in enumerate(r[:width]))
                           for r in stored]
        stored_hash = np.fromiter((r[width] for r in stored), dtype=np.int64, count=len(stored))
        pos = pd.Index(stored_keys).get_indexer(pd.Index(keys))
        added = pos < 0
        same = np.zeros(len(frame), dtype=bool)
        same[~added] = stored_hash[pos[~added]] == hashes[~added]
        replaced = ~added & ~same
    counts = TableCounts(table.id, int(added.sum()), int(replaced.sum()), int(len(frame) - added.sum() - replaced.sum()))
    return _Plan(table, frame, hashes, added, replaced, counts)


# --- writing -------------------------------------------------------------------------------------

def _arrow_columns(table: Table, frame: pd.DataFrame, hashes: np.ndarray, batch_id: int) -> pa.Table:
    """Rows to write as an Arrow table in storage types (dates, timestamps in microseconds)."""
    arrays: dict[str, pa.Array] = {}
    for col in table.columns:
        s = frame[col.id]
        if col.kind in (Kind.TEXT, Kind.ENUM, Kind.USCC):
            arrays[col.id] = pa.array(s.to_numpy(dtype=object, na_value=None), type=pa.string())
        elif col.kind is Kind.BOOL:
            arrays[col.id] = pa.array(s.to_numpy(dtype=bool))
        elif col.kind in (Kind.INT, Kind.RATING):
            num = s.to_numpy(dtype=np.float64, na_value=np.nan)
            arrays[col.id] = pa.array(np.nan_to_num(num).astype(np.int64), mask=np.isnan(num))
        elif col.kind is Kind.NUMBER:
            num = s.to_numpy(dtype=np.float64, na_value=np.nan)
            arrays[col.id] = pa.array(num, mask=np.isnan(num))
        elif col.kind is Kind.DATE:
            arrays[col.id] = pa.array(s.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]"), type=pa.date32())
        else:
            arrays[col.id] = pa.array(s.to_numpy(dtype="datetime64[ns]").astype("datetime64[us]"),
                                      type=pa.timestamp("us"))
    arrays[ROW_HASH] = pa.array(hashes, type=pa.int64())
    arrays[BATCH_ID] = pa.array(np.full(len(frame), batch_id, dtype=np.int64))
    return pa.table(arrays)


def _write(session: Session, plan: _Plan, batch_id: int) -> None:
    todo = plan.added | plan.replaced
    if not todo.any():
        return
    frame = plan.frame[todo]
    data = _arrow_columns(plan.table, frame, plan.hashes[todo], batch_id)
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        _write_sqlite(session, plan.table, data)
    elif dialect == "postgresql":
        _write_postgresql(session, plan.table, data, plan.replaced[todo])
    else:
        raise NotImplementedError(f"import into {dialect} is not supported")


def _upsert_sql(table: Table, columns: Sequence[str], source: str) -> str:
    cols = ", ".join(f'"{c}"' for c in columns)
    keys = ", ".join(f'"{c}"' for c in table.key)
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c not in table.key)
    return f'INSERT INTO "{table.id}" ({cols}) {source} ON CONFLICT ({keys}) DO UPDATE SET {updates}'


def _sqlite_values(data: pa.Table) -> list[Sequence[object]]:
    """Columns as Python values in SQLAlchemy's SQLite storage format (dates and times as text)."""
    out: list[Sequence[object]] = []
    for name in data.column_names:
        column = data.column(name)
        if pa.types.is_date32(column.type) or pa.types.is_timestamp(column.type):
            column = column.cast(pa.string())  # 'YYYY-MM-DD' / 'YYYY-MM-DD HH:MM:SS.ffffff'
        elif pa.types.is_boolean(column.type):
            column = column.cast(pa.int8())
        if pa.types.is_string(column.type):
            out.append(column.to_numpy(zero_copy_only=False))
        else:
            out.append(column.to_pylist())
    return out


def _write_sqlite(session: Session, table: Table, data: pa.Table) -> None:
    driver = session.connection().connection.driver_connection
    assert driver is not None
    columns = data.column_names
    sql = _upsert_sql(table, columns, "VALUES (" + ", ".join("?" for _ in columns) + ")")
    cur = driver.cursor()
    try:
        cur.execute("PRAGMA cache_size = -262144")  # 256 MiB page cache for large index updates
        chunk = 200_000
        for start in range(0, data.num_rows, chunk):
            values = _sqlite_values(data.slice(start, chunk))
            cur.executemany(sql, zip(*values, strict=True))
    finally:
        cur.close()


def _csv_bytes(data: pa.Table) -> bytes:
    buf = io.BytesIO()
    pacsv.write_csv(data, buf, pacsv.WriteOptions(include_header=False, batch_size=65536))
    return buf.getvalue()


def _copy(cursor: object, target: str, columns: Sequence[str], payload: bytes) -> None:
    cols = ", ".join(f'"{c}"' for c in columns)
    with cursor.copy(f'COPY {target} ({cols}) FROM STDIN WITH (FORMAT csv)') as copy:  # type: ignore[attr-defined]
        view = memoryview(payload)
        step = 1 << 22
        for start in range(0, len(view), step):
            copy.write(view[start:start + step])


def _write_postgresql(session: Session, table: Table, data: pa.Table, replaced: np.ndarray) -> None:
    driver = session.connection().connection.driver_connection
    assert driver is not None
    columns = data.column_names
    with driver.cursor() as cur:
        new_rows = data.filter(pa.array(~replaced))
        if new_rows.num_rows:
            _copy(cur, f'"{table.id}"', columns, _csv_bytes(new_rows))
        old_rows = data.filter(pa.array(replaced))
        if old_rows.num_rows:
            temp = f'"_import_{table.id}"'
            cur.execute(f'CREATE TEMPORARY TABLE {temp} (LIKE "{table.id}") ON COMMIT DROP')
            _copy(cur, temp, columns, _csv_bytes(old_rows))
            cols = ", ".join(f'"{c}"' for c in columns)
            cur.execute(_upsert_sql(table, columns, f"SELECT {cols} FROM {temp}"))
            cur.execute(f"DROP TABLE {temp}")

