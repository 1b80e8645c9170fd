"""Validated rows in storage form: row hashes, natural keys, and fast writes.

:class:`StoredColumns` turns a table's typed frame (from :mod:`data.validate`) into what
the database needs, converting each column once and only when needed: Python values for
SQLite's ``executemany``, Arrow arrays for PostgreSQL's ``COPY``, and a 64-bit hash of every
row's contract values (``row_hash``) so that an import can tell unchanged rows without
reading them back.

:func:`write_rows` writes rows with the driver directly: ``INSERT ... ON CONFLICT DO UPDATE``
through ``executemany`` on SQLite, ``COPY`` (through a temporary table for replaced rows)
on PostgreSQL.  A bulk load drops the table's secondary indexes (and on PostgreSQL its
foreign keys, checked again in one query when re-added) and rebuilds them afterwards,
which is many times faster than maintaining them row by row; an import written in chunks
suspends them once for all its chunks (:func:`suspend_indexes`).  Dates are stored in the
formats SQLAlchemy reads back (``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM:SS.ffffff`` on SQLite).
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Sequence
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy.orm import Session

from data.contract import Column, Kind, Table
from data.schema import BATCH_ID, ROW_HASH

_TEXT = (Kind.TEXT, Kind.ENUM, Kind.USCC)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_NULL_HASH = np.uint64(0x5BD1E9955BD1E995)


def few_values(col: Column) -> bool:
    """Columns that repeat a few values (enumerations, codes of other tables): converted and
    hashed once per distinct value."""
    return col.kind is Kind.ENUM or col.ref is not None


class StoredColumns:
    """One validated table's typed frame, converted column by column on demand."""

    def __init__(self, table: Table, frame: pd.DataFrame) -> None:
        self.table = table
        self.frame = frame
        self._objects: dict[str, np.ndarray] = {}
        self._codes: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self.frame)

    # -- conversions --------------------------------------------------------------------------

    def codes(self, cid: str) -> tuple[np.ndarray, np.ndarray]:
        """Factorized text column: codes (-1 = missing) and the distinct values as ``str``."""
        if cid not in self._codes:
            codes, uniques = pd.factorize(self.frame[cid], use_na_sentinel=True)
            self._codes[cid] = (np.asarray(codes), np.asarray(uniques, dtype=object))
        return self._codes[cid]

    def objects(self, cid: str) -> np.ndarray:
        """A text column as Python ``str`` and ``None`` (object array)."""
        if cid not in self._objects:
            if few_values(self.table.column(cid)):
                codes, uniques = self.codes(cid)
                self._objects[cid] = np.concatenate([uniques, np.array([None], dtype=object)])[codes]
            else:
                self._objects[cid] = self.frame[cid].to_numpy(dtype=object, na_value=None)
        return self._objects[cid]

    def numbers(self, cid: str) -> np.ndarray:
        return self.frame[cid].to_numpy(dtype=np.float64, na_value=np.nan)  # type: ignore[no-any-return]

    def stamps(self, cid: str) -> np.ndarray:
        return self.frame[cid].to_numpy(dtype="datetime64[ns]")  # type: ignore[no-any-return]

    # -- hashes and keys ----------------------------------------------------------------------

    def column_hash(self, col: Column) -> np.ndarray:
        """A 64-bit hash of each value; missing text hashes to a fixed value."""
        if col.kind in _TEXT:
            if few_values(col):
                codes, uniques = self.codes(col.id)
                hashed = pd.util.hash_array(uniques, categorize=False) if len(uniques) else np.zeros(0, np.uint64)
                return np.append(hashed, _NULL_HASH)[codes]  # type: ignore[no-any-return]
            values = self.objects(col.id)
            missing = self.frame[col.id].isna().to_numpy()
            if missing.any():
                values = np.where(missing, "", values)
            return np.where(missing, _NULL_HASH, pd.util.hash_array(values, categorize=False))  # type: ignore[no-any-return]
        if col.kind is Kind.BOOL:
            values = self.frame[col.id].to_numpy(dtype=np.uint64)
        elif col.kind in (Kind.DATE, Kind.DATETIME):
            values = self.stamps(col.id).view(np.int64)
        else:
            values = self.numbers(col.id)
        return pd.util.hash_array(values, categorize=False)  # type: ignore[no-any-return]

    @cached_property
    def row_hashes(self) -> np.ndarray:
        """Signed 64-bit hash of each row's contract values (column order matters)."""
        out = np.zeros(len(self.frame), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for i, col in enumerate(self.table.columns):
                out = (out ^ self.column_hash(col)) * (_MIX + np.uint64(2 * i))
                out ^= out >> np.uint64(29)
        return out.view(np.int64)

    def key_strings(self) -> np.ndarray:
        """Each row's natural key as one string (dates as ``YYYY-MM-DD``), for matching stored rows."""
        parts = []
        for cid in self.table.key:
            if self.table.column(cid).kind is Kind.DATE:
                days = self.stamps(cid).astype("datetime64[D]")
                parts.append(np.datetime_as_string(days, unit="D").astype(object))
            else:
                parts.append(self.objects(cid))
        if len(parts) == 1:
            return parts[0]  # type: ignore[no-any-return]
        joined = pd.Series(parts[0], dtype="str")
        for part in parts[1:]:
            joined = joined + "\x1f" + pd.Series(part, dtype="str")
        return joined.to_numpy(dtype=object)

    # -- storage forms ------------------------------------------------------------------------

    def sqlite_values(self, col: Column, rows: np.ndarray) -> list[object]:
        """Python values of ``rows`` as SQLAlchemy stores them in SQLite."""
        if col.kind in _TEXT:
            return self.objects(col.id)[rows].tolist()  # type: ignore[no-any-return]
        if col.kind is Kind.BOOL:
            return self.frame[col.id].to_numpy(dtype=np.int8)[rows].tolist()  # type: ignore[no-any-return]
        if col.kind in (Kind.DATE, Kind.DATETIME):
            # Arrow renders 'YYYY-MM-DD' and 'YYYY-MM-DD HH:MM:SS.ffffff', SQLAlchemy's formats.
            return self.arrow(col, rows).cast(pa.string()).to_pylist()  # type: ignore[no-any-return]
        values = self.numbers(col.id)[rows]
        missing = np.isnan(values)
        out = values.tolist() if col.kind is Kind.NUMBER else np.where(missing, 0, values).astype(np.int64).tolist()
        if missing.any():
            filled = np.array(out, dtype=object)
            filled[missing] = None
            return filled.tolist()  # type: ignore[no-any-return]
        return out  # type: ignore[no-any-return]

    def arrow(self, col: Column, rows: np.ndarray) -> pa.Array:
        """An Arrow array of ``rows`` in storage types (dates, timestamps in microseconds)."""
        if col.kind in _TEXT:
            return pa.array(self.frame[col.id].array).take(pa.array(rows))
        if col.kind is Kind.BOOL:
            return pa.array(self.frame[col.id].to_numpy(dtype=bool)[rows])
        if col.kind in (Kind.INT, Kind.RATING, Kind.NUMBER):
            values = self.numbers(col.id)[rows]
            missing = np.isnan(values)
            if col.kind is Kind.NUMBER:
                return pa.array(values, mask=missing)
            return pa.array(np.where(missing, 0, values).astype(np.int64), mask=missing)
        stamps = self.stamps(col.id)[rows]
        if col.kind is Kind.DATE:
            return pa.array(stamps.astype("datetime64[D]"), type=pa.date32())
        return pa.array(stamps.astype("datetime64[us]"), type=pa.timestamp("us"))


# --- writing ------------------------------------------------------------------------------------

def _driver(session: Session) -> object:
    driver = session.connection().connection.driver_connection
    assert driver is not None
    return driver


def upsert_sql(table: Table, columns: Sequence[str], source: str) -> str:
    """``INSERT INTO table (columns) <source> ON CONFLICT (key) DO UPDATE SET ...``."""
    cols = ", ".join(f'"{c}"' for c in columns)
    keys = ", ".join(f'"{c}"' for c in table.key)
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c not in table.key)
    return f'INSERT INTO "{table.id}" ({cols}) {source} ON CONFLICT ({keys}) DO UPDATE SET {updates}'


def write_rows(
    session: Session, data: StoredColumns, added: np.ndarray, replaced: np.ndarray, batch_id: int, bulk: bool
) -> None:
    """Write the ``added`` and ``replaced`` rows of ``data`` (boolean masks) in the session's transaction."""
    if not (added.any() or replaced.any()):
        return
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        _write_sqlite(session, data, np.flatnonzero(added | replaced), batch_id, bulk)
    elif dialect == "postgresql":
        _write_postgresql(session, data, np.flatnonzero(added), np.flatnonzero(replaced), batch_id, bulk)
    else:
        raise NotImplementedError(f"import into {dialect} is not supported")


def suspend_indexes(session: Session, table: Table) -> Callable[[], None] | None:
    """Drop ``table``'s secondary indexes (and on PostgreSQL its foreign keys) for a bulk load written
    in several :func:`write_rows` calls; return the function that rebuilds them (``None`` when not
    allowed).  Both happen in the session's transaction."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        cur = _driver(session).cursor()  # type: ignore[attr-defined]
        rebuild = _pg_suspend_indexes(cur, table.id)
        if rebuild is None:
            cur.close()
            return None

        def rebuild_pg() -> None:
            try:
                rebuild()
            finally:
                cur.close()

        return rebuild_pg
    cur = _driver(session).cursor()  # type: ignore[attr-defined]
    try:
        indexes = _sqlite_drop_indexes(cur, table.id)
    finally:
        cur.close()

    def rebuild_sqlite() -> None:
        cur = _driver(session).cursor()  # type: ignore[attr-defined]
        try:
            for _, create in indexes:
                cur.execute(create)
        finally:
            cur.close()

    return rebuild_sqlite


def _sqlite_drop_indexes(cur: object, table_id: str) -> list[tuple[str, str]]:
    """Drop the table's (named, explicitly created) indexes; their names and ``CREATE`` statements."""
    cur.execute(  # type: ignore[attr-defined]
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table_id,),
    )
    indexes: list[tuple[str, str]] = cur.fetchall()  # type: ignore[attr-defined]
    for name, _ in indexes:
        cur.execute(f'DROP INDEX "{name}"')  # type: ignore[attr-defined]
    return indexes


SQLITE_CHUNK = 250_000
ROWS_PER_STATEMENT = 50
"""Rows per ``INSERT`` on SQLite: one statement with many ``VALUES`` tuples costs less per row."""


def _write_sqlite(session: Session, data: StoredColumns, rows: np.ndarray, batch_id: int, bulk: bool) -> None:
    table = data.table
    columns = [*table.column_ids, ROW_HASH, BATCH_ID]
    width = len(columns) - 1  # the batch id is written as a literal
    one = "(" + ", ".join("?" for _ in range(width)) + f", {int(batch_id)})"
    single = upsert_sql(table, columns, f"VALUES {one}")
    multi = upsert_sql(table, columns, "VALUES " + ", ".join(one for _ in range(ROWS_PER_STATEMENT)))
    cur = _driver(session).cursor()  # type: ignore[attr-defined]
    try:
        indexes = _sqlite_drop_indexes(cur, table.id) if bulk else []
        for start in range(0, len(rows), SQLITE_CHUNK):
            chunk = rows[start:start + SQLITE_CHUNK]
            values = [data.sqlite_values(col, chunk) for col in table.columns]
            values.append(data.row_hashes[chunk].tolist())
            flat = list(itertools.chain.from_iterable(zip(*values, strict=True)))
            step = ROWS_PER_STATEMENT * width
            whole = len(chunk) // ROWS_PER_STATEMENT * step
            cur.executemany(multi, (flat[i:i + step] for i in range(0, whole, step)))
            cur.executemany(single, (flat[i:i + width] for i in range(whole, len(flat), width)))
        for _, create in indexes:
            cur.execute(create)
    finally:
        cur.close()


def _arrow_table(data: StoredColumns, rows: np.ndarray, batch_id: int) -> pa.Table:
    arrays = {col.id: data.arrow(col, rows) for col in data.table.columns}
    arrays[ROW_HASH] = pa.array(data.row_hashes[rows], type=pa.int64())
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


def _write_postgresql(
    session: Session, data: StoredColumns, added: np.ndarray, replaced: np.ndarray, batch_id: int, bulk: bool
) -> None:
    table = data.table
    with _driver(session).cursor() as cur:  # type: ignore[attr-defined]
        rebuild = _pg_suspend_indexes(cur, table.id) if bulk else None
        if len(added):
            _copy(cur, f'"{table.id}"', _arrow_table(data, added, batch_id))
        if len(replaced):
            temp = f'"_import_{table.id}"'
            cur.execute(f'CREATE TEMPORARY TABLE {temp} (LIKE "{table.id}") ON COMMIT DROP')
            rows = _arrow_table(data, replaced, batch_id)
            _copy(cur, temp, rows)
            cols = ", ".join(f'"{c}"' for c in rows.column_names)
            cur.execute(upsert_sql(table, rows.column_names, f"SELECT {cols} FROM {temp}"))
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
    regclass = "(quote_ident(current_schema()) || '.' || quote_ident(%s))::regclass"
    indexes = run(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
        f"AND i.tablename = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname "
        f"AND c.conrelid = {regclass})",
        (table_id, table_id),
    ).fetchall()
    foreign = run(
        f"SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' AND conrelid = {regclass}",
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
