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
from collections.abc import Callable, Iterable, Sequence
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

def canonical_columns(table: Table, frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """The contract values as plain numpy arrays in fixed dtypes (text as Python ``str``/``None``,
    numbers as float64, dates as int64 nanoseconds), so equal rows hash equally on every import."""
    out: dict[str, np.ndarray] = {}
    for col in table.columns:
        s = frame[col.id]
        if col.kind in (Kind.TEXT, Kind.ENUM, Kind.USCC):
            out[col.id] = _objects(s, few=_few_values(col))
        elif col.kind is Kind.BOOL:
            out[col.id] = s.to_numpy(dtype=bool)
        elif col.kind in (Kind.INT, Kind.RATING, Kind.NUMBER):
            out[col.id] = s.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            out[col.id] = s.to_numpy(dtype="datetime64[ns]").view(np.int64)
    return out


def _few_values(col: contract.Column) -> bool:
    """Columns that repeat a few values (enumerations, codes of other tables)."""
    return col.kind is Kind.ENUM or col.ref is not None


def _objects(s: pd.Series, few: bool) -> np.ndarray:
    """A string column as an object array of ``str`` and ``None``; with few distinct values
    each is converted once (much faster for Chinese enumeration values)."""
    if few:
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        table = np.concatenate([np.asarray(uniques, dtype=object), np.array([None], dtype=object)])
        return table[codes]  # type: ignore[no-any-return]
    return s.to_numpy(dtype=object, na_value=None)  # type: ignore[no-any-return]


_MIX = np.uint64(0x9E3779B97F4A7C15)
_NULL_HASH = np.uint64(0x5BD1E9955BD1E995)


def _hash_strings(values: np.ndarray, few: bool) -> np.ndarray:
    """Hash of each ``str`` (``None`` → a fixed value); with few distinct values each is hashed once."""
    missing = pd.isna(values)
    if few:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        hashed = pd.util.hash_array(np.asarray(uniques, dtype=object), categorize=False)
        return np.append(hashed, _NULL_HASH)[codes]  # type: ignore[no-any-return]
    filled = np.where(missing, "", values) if missing.any() else values
    hashed = pd.util.hash_array(filled, categorize=False)
    return np.where(missing, _NULL_HASH, hashed)  # type: ignore[no-any-return]


def row_hashes(table: Table, canonical: dict[str, np.ndarray]) -> np.ndarray:
    """Signed 64-bit hash of each row's canonical contract values (column order matters)."""
    n = len(next(iter(canonical.values()))) if canonical else 0
    out = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i, col in enumerate(table.columns):
            values = canonical[col.id]
            if values.dtype == object:
                h = _hash_strings(values, _few_values(col))
            else:
                h = pd.util.hash_array(values, categorize=False)
            out = (out ^ h) * (_MIX + np.uint64(2 * i))
            out ^= out >> np.uint64(29)
    return out.view(np.int64)


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
    joined = pd.Series(parts[0], dtype="str")
    for part in parts[1:]:
        joined = joined + "\x1f" + pd.Series(part, dtype="str")
    return joined.to_numpy(dtype=object)


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
    canonical: dict[str, np.ndarray]
    hashes: np.ndarray
    added: np.ndarray
    replaced: np.ndarray
    stored_rows: int
    counts: TableCounts


def _driver(session: Session) -> object:
    driver = session.connection().connection.driver_connection
    assert driver is not None
    return driver


def _plan(session: Session, validated: Validated) -> _Plan:
    table = validated.table
    frame = validated.frame
    canonical = canonical_columns(table, frame)
    hashes = row_hashes(table, canonical)
    stored, total = _stored_hashes(session, table, frame)
    if not stored:
        added = np.ones(len(frame), dtype=bool)
        replaced = np.zeros(len(frame), dtype=bool)
    else:
        keys = key_strings(table, frame)
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
    n_added, n_replaced = int(added.sum()), int(replaced.sum())
    counts = TableCounts(table.id, n_added, n_replaced, len(frame) - n_added - n_replaced)
    return _Plan(table, frame, canonical, hashes, added, replaced, total, counts)


LOOKUP_CHUNK = 500


def _stored_hashes(session: Session, table: Table, frame: pd.DataFrame) -> tuple[list[tuple[object, ...]], int]:
    """Stored (key..., row_hash) rows that may match the batch, and the table's row count.

    A small batch against a large table looks its keys up (single-column keys); otherwise
    the whole key column is read, which is faster than millions of lookups."""
    cols = ", ".join(f'"{c}"' for c in table.key)
    marker = "?" if session.get_bind().dialect.paramstyle == "qmark" else "%s"
    cur = _driver(session).cursor()  # type: ignore[attr-defined]
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
    todo = plan.added | plan.replaced
    n = int(todo.sum())
    if not n:
        return
    bulk = n >= BULK_ROWS and n * 2 >= plan.stored_rows
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        _write_sqlite(session, plan, todo, batch_id, bulk)
    elif dialect == "postgresql":
        _write_postgresql(session, plan, todo, batch_id, bulk)
    else:
        raise NotImplementedError(f"import into {dialect} is not supported")


def _upsert_sql(table: Table, columns: Sequence[str], source: str) -> str:
    cols = ", ".join(f'"{c}"' for c in columns)
    keys = ", ".join(f'"{c}"' for c in table.key)
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c not in table.key)
    return f'INSERT INTO "{table.id}" ({cols}) {source} ON CONFLICT ({keys}) DO UPDATE SET {updates}'


def _stamp_strings(values: np.ndarray, kind: Kind) -> np.ndarray:
    """Dates as ``YYYY-MM-DD`` and date-times as ``YYYY-MM-DD HH:MM:SS.ffffff`` (SQLAlchemy's
    SQLite storage format), ``None`` where missing."""
    stamps = values.view("datetime64[ns]")
    if kind is Kind.DATE:
        arr = pa.array(stamps.astype("datetime64[D]"), type=pa.date32())
    else:
        arr = pa.array(stamps.astype("datetime64[us]"), type=pa.timestamp("us"))
    return arr.cast(pa.string()).to_numpy(zero_copy_only=False)  # type: ignore[no-any-return]


def _sqlite_columns(plan: _Plan, rows: np.ndarray, batch_id: int) -> list[list[object]]:
    """The columns of ``rows`` as lists of Python values in SQLAlchemy's SQLite storage format."""
    out: list[list[object]] = []
    for col in plan.table.columns:
        values = plan.canonical[col.id][rows]
        if col.kind in (Kind.TEXT, Kind.ENUM, Kind.USCC):
            out.append(values.tolist())
        elif col.kind is Kind.BOOL:
            out.append(values.astype(np.int8).tolist())
        elif col.kind in (Kind.DATE, Kind.DATETIME):
            out.append(_stamp_strings(values, col.kind).tolist())
        else:
            missing = np.isnan(values)
            if col.kind is Kind.NUMBER:
                py: list[object] = values.tolist()
            else:
                py = np.where(missing, 0, values).astype(np.int64).tolist()
            if missing.any():
                for i in np.flatnonzero(missing).tolist():
                    py[i] = None
            out.append(py)
    out.append(plan.hashes[rows].tolist())
    out.append([batch_id] * len(rows))
    return out


def _write_sqlite(session: Session, plan: _Plan, todo: np.ndarray, batch_id: int, bulk: bool) -> None:
    table = plan.table
    columns = [*table.column_ids, ROW_HASH, BATCH_ID]
    placeholders = ", ".join("?" for _ in columns)
    sql = _upsert_sql(table, columns, f"VALUES ({placeholders})")
    cur = _driver(session).cursor()  # type: ignore[attr-defined]
    try:
        cur.execute("PRAGMA cache_size = -262144")  # 256 MiB page cache for large index updates
        cur.execute("PRAGMA threads = 2")  # helper threads for sorting when indexes are rebuilt
        indexes: list[tuple[str, str]] = []
        if bulk:
            cur.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                (table.id,),
            )
            indexes = cur.fetchall()
            for name, _ in indexes:
                cur.execute(f'DROP INDEX "{name}"')
        positions = np.flatnonzero(todo)
        chunk = 250_000
        for start in range(0, len(positions), chunk):
            cols = _sqlite_columns(plan, positions[start:start + chunk], batch_id)
            cur.executemany(sql, zip(*cols, strict=True))
        for _, create in indexes:
            cur.execute(create)
    finally:
        cur.close()


def _arrow_table(plan: _Plan, rows: np.ndarray, batch_id: int) -> pa.Table:
    """The columns of ``rows`` as an Arrow table in storage types, for ``COPY``."""
    arrays: dict[str, pa.Array] = {}
    for col in plan.table.columns:
        values = plan.canonical[col.id][rows]
        if col.kind in (Kind.TEXT, Kind.ENUM, Kind.USCC):
            arrays[col.id] = pa.array(values, type=pa.string())
        elif col.kind is Kind.BOOL:
            arrays[col.id] = pa.array(values)
        elif col.kind in (Kind.INT, Kind.RATING):
            missing = np.isnan(values)
            arrays[col.id] = pa.array(np.where(missing, 0, values).astype(np.int64), mask=missing)
        elif col.kind is Kind.NUMBER:
            arrays[col.id] = pa.array(values, mask=np.isnan(values))
        elif col.kind is Kind.DATE:
            arrays[col.id] = pa.array(values.view("datetime64[ns]").astype("datetime64[D]"), type=pa.date32())
        else:
            arrays[col.id] = pa.array(values.view("datetime64[ns]").astype("datetime64[us]"), type=pa.timestamp("us"))
    arrays[ROW_HASH] = pa.array(plan.hashes[rows], type=pa.int64())
    arrays[BATCH_ID] = pa.array(np.full(len(rows), batch_id, dtype=np.int64))
    return pa.table(arrays)


def _copy(cursor: object, target: str, data: pa.Table) -> None:
    """``COPY`` an Arrow table into ``target`` as CSV (nulls as unquoted empty fields)."""
    cols = ", ".join(f'"{c}"' for c in data.column_names)
    buf = io.BytesIO()
    pacsv.write_csv(data, buf, pacsv.WriteOptions(include_header=False, batch_size=65536))
    view = buf.getbuffer()
    with cursor.copy(f"COPY {target} ({cols}) FROM STDIN WITH (FORMAT csv)") as copy:  # type: ignore[attr-defined]
        step = 1 << 22
        for start in range(0, len(view), step):
            copy.write(view[start:start + step])


def _write_postgresql(session: Session, plan: _Plan, todo: np.ndarray, batch_id: int, bulk: bool) -> None:
    table = plan.table
    with _driver(session).cursor() as cur:  # type: ignore[attr-defined]
        rebuild = _pg_suspend_indexes(cur, table.id) if bulk else None
        added = np.flatnonzero(plan.added)
        if len(added):
            _copy(cur, f'"{table.id}"', _arrow_table(plan, added, batch_id))
        replaced = np.flatnonzero(plan.replaced)
        if len(replaced):
            temp = f'"_import_{table.id}"'
            cur.execute(f'CREATE TEMPORARY TABLE {temp} (LIKE "{table.id}") ON COMMIT DROP')
            data = _arrow_table(plan, replaced, batch_id)
            _copy(cur, temp, data)
            cols = ", ".join(f'"{c}"' for c in data.column_names)
            cur.execute(_upsert_sql(table, data.column_names, f"SELECT {cols} FROM {temp}"))
            cur.execute(f"DROP TABLE {temp}")
        if rebuild is not None:
            rebuild()


def _pg_suspend_indexes(cur: object, table_id: str) -> Callable[[], None] | None:
    """Drop the table's secondary indexes and its foreign keys for a bulk load; return the
    function that recreates them (which checks every foreign key in one query, far faster
    than a trigger per row).  ``None`` when that is not allowed (e.g. not the table's owner):
    the load then goes through the indexes and triggers as usual."""
    import psycopg  # the PostgreSQL driver, present whenever this runs

    run = cur.execute  # type: ignore[attr-defined]
    indexes = run(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
        "AND i.tablename = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname "
        "AND c.conrelid = (quote_ident(current_schema()) || '.' || quote_ident(%s))::regclass)",
        (table_id, table_id),
    ).fetchall()
    foreign = run(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid = (quote_ident(current_schema()) || '.' || quote_ident(%s))::regclass",
        (table_id,),
    ).fetchall()
    run("SAVEPOINT import_bulk")
    try:
        for name, _ in foreign:
            run(f'ALTER TABLE "{table_id}" DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            run(f'DROP INDEX "{name}"')
    except psycopg.Error:  # e.g. not the owner: load through the indexes instead
        run("ROLLBACK TO SAVEPOINT import_bulk")
        return None
    run("RELEASE SAVEPOINT import_bulk")

    def rebuild() -> None:
        run("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            run(definition)
        for name, definition in foreign:
            run(f'ALTER TABLE "{table_id}" ADD CONSTRAINT "{name}" {definition}')

    return rebuild
