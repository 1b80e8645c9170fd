"""Read the contract tables into pandas for the indicator engine.

:func:`load_frames` returns a :class:`Frames` with one DataFrame per contract table, columns
named by contract id and typed by kind:

- text, enum, USCC: pandas strings, missing = NA (test with ``isna()``);
- bool: ``bool`` (the importer stores defaults, so never missing);
- int, rating: ``Int64`` (nullable), except ``suspended_days``, ``legal_limit_days``,
  ``promised_limit_days`` which are never missing and come as ``int64``;
- number: ``float64``;
- date, datetime: ``datetime64[ns]`` (dates at midnight), missing = NaT.

The engine works on these frames only; it never sees a session or SQL.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv
from sqlalchemy import select
from sqlalchemy.orm import Session

from data import contract, snapshots, sqlite_lines
from data.arrow_text import contiguous
from data.contract import Kind
from data.schema import CONTRACT

_NEVER_MISSING_INTS = {"suspended_days", "legal_limit_days", "promised_limit_days"}


@dataclass(frozen=True)
class Frames:
    """All contract tables as typed DataFrames (see the module docstring for dtypes)."""

    departments: pd.DataFrame
    negative_list: pd.DataFrame
    service_items: pd.DataFrame
    applications: pd.DataFrame
    cases: pd.DataFrame
    disclosures: pd.DataFrame
    credit_ratings: pd.DataFrame
    provincial_scores: pd.DataFrame

    def table(self, table_id: str) -> pd.DataFrame:
        return getattr(self, table_id)  # type: ignore[no-any-return]


def typed_frame(spec: contract.Table, df: pd.DataFrame) -> pd.DataFrame:
    """Coerce ``df`` (contract column ids, any dtypes) to the dtypes documented above."""
    out: dict[str, pd.Series] = {}
    for col in spec.columns:
        s = df[col.id] if col.id in df.columns else pd.Series([None] * len(df), index=df.index)
        if col.kind in (Kind.TEXT, Kind.ENUM, Kind.USCC):
            out[col.id] = s.astype("string")
        elif col.kind is Kind.BOOL:
            out[col.id] = s.fillna(bool(col.default)).astype(bool)
        elif col.kind in (Kind.INT, Kind.RATING):
            if col.id in _NEVER_MISSING_INTS:
                out[col.id] = pd.to_numeric(s).fillna(0).astype("int64")
            else:
                out[col.id] = pd.to_numeric(s).astype("Int64")
        elif col.kind is Kind.NUMBER:
            out[col.id] = pd.to_numeric(s).astype("float64")
        elif col.kind is Kind.DATE:
            out[col.id] = _to_datetime(s).dt.normalize()
        elif col.kind is Kind.DATETIME:
            out[col.id] = _to_datetime(s)
    return pd.DataFrame(out, index=df.index)


def _to_datetime(s: pd.Series) -> pd.Series:
    """datetime64[ns] from stored values: ISO strings (SQLite), datetime/date objects
    (PostgreSQL), or anything pandas parses (hand-built test frames)."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return s.astype("datetime64[ns]")
    present = s.dropna()
    if len(present) and isinstance(present.iloc[0], str):
        try:
            return pd.to_datetime(s, format="ISO8601").astype("datetime64[ns]")
        except (ValueError, TypeError):
            return pd.to_datetime(s, format="mixed").astype("datetime64[ns]")
    return pd.to_datetime(s).astype("datetime64[ns]")


def empty_frames() -> Frames:
    """Frames with every table empty but correctly typed."""
    return Frames(**{t.id: typed_frame(t, pd.DataFrame(columns=t.column_ids)) for t in contract.TABLES})


def frames_from(tables: dict[str, pd.DataFrame]) -> Frames:
    """Frames from hand-built DataFrames (tests, fixtures); missing tables are empty."""
    base = empty_frames()
    data = {f.name: getattr(base, f.name) for f in fields(Frames)}
    for table_id, df in tables.items():
        data[table_id] = typed_frame(contract.TABLES_BY_ID[table_id], df.reset_index(drop=True))
    return Frames(**data)


CHUNK_ROWS = 100_000
"""Rows fetched and typed at a time: keeps the peak memory of a load near the typed result."""


def _read_table(session: Session, spec: contract.Table) -> pd.DataFrame:
    """One table through the session's DBAPI cursor, typed chunk by chunk.

    Raw cursor rows skip SQLAlchemy's per-value result processing, and typing each chunk as
    it arrives avoids holding a million rows of Python objects at once.
    """
    sql = _select_sql(session, spec)
    dbapi_conn = session.connection().connection.dbapi_connection
    assert dbapi_conn is not None
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute(sql)
        parts = []
        while rows := cursor.fetchmany(CHUNK_ROWS):
            parts.append(typed_frame(spec, pd.DataFrame.from_records(rows, columns=spec.column_ids)))
    finally:
        cursor.close()
    if not parts:
        return typed_frame(spec, pd.DataFrame(columns=spec.column_ids))
    return contiguous(pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0])


def _arrow_column(col: contract.Column, arr: pa.ChunkedArray) -> pd.Series:
    """One column of an Arrow result (strings from SQLite / CSV, native types otherwise) typed
    as documented in the module docstring."""
    kind = col.kind
    if kind in (Kind.TEXT, Kind.ENUM, Kind.USCC):
        text = pc.cast(arr, pa.string())
        if isinstance(text, pa.ChunkedArray):
            text = text.combine_chunks()  # one piece: see contiguous()
        return pd.Series(text.to_pandas(types_mapper=_STRING_TYPES.get)).astype("string")
    if kind is Kind.BOOL:
        if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
            arr = pc.is_in(pc.utf8_lower(arr), value_set=pa.array(["1", "t", "true"]))
        out = pc.fill_null(pc.cast(arr, pa.bool_()), bool(col.default))
        return pd.Series(out.to_numpy(zero_copy_only=False), dtype=bool)
    if kind in (Kind.INT, Kind.RATING):
        ints = pc.cast(arr, pa.int64())
        if col.id in _NEVER_MISSING_INTS:
            return pd.Series(pc.fill_null(ints, 0).to_numpy(zero_copy_only=False), dtype="int64")
        return pd.Series(ints.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get), dtype="Int64")
    if kind is Kind.NUMBER:
        return pd.Series(pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False), dtype="float64")
    stamps = pc.cast(arr, pa.timestamp("ns"))
    s = pd.Series(stamps.to_numpy(zero_copy_only=False), dtype="datetime64[ns]")
    return s.dt.normalize() if kind is Kind.DATE else s


_STRING_TYPES = {pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype()}


def arrow_to_frame(spec: contract.Table, table: pa.Table) -> pd.DataFrame:
    """A typed frame from an Arrow table whose columns are ``spec``'s in order."""
    return pd.DataFrame({c.id: _arrow_column(c, table.column(i)) for i, c in enumerate(spec.columns)})


def arrow_columns(spec: contract.Table, table: pa.Table) -> pd.DataFrame:
    """The columns of ``spec`` that ``table`` holds (by name, in ``spec``'s order), typed as
    :func:`arrow_to_frame` types them: for rows fetched with other columns beside them."""
    names = set(table.column_names)
    return pd.DataFrame({c.id: _arrow_column(c, table.column(c.id)) for c in spec.columns if c.id in names})


def _select_sql(session: Session, spec: contract.Table) -> str:
    table = CONTRACT[spec.id]
    return str(select(*[table.c[c] for c in spec.column_ids]).compile(dialect=session.get_bind().dialect))


def _read_postgresql_copy(session: Session, spec: contract.Table) -> pd.DataFrame | None:
    """PostgreSQL through ``COPY ... TO STDOUT`` (CSV) on the session's own connection, parsed
    by Arrow's CSV reader; None if the driver is not psycopg 3."""
    dbapi_conn = session.connection().connection.dbapi_connection
    cursor = dbapi_conn.cursor()  # type: ignore[union-attr]
    if not hasattr(cursor, "copy"):
        cursor.close()
        return None
    buf = io.BytesIO()
    try:
        with cursor.copy(f"COPY ({_select_sql(session, spec)}) TO STDOUT (FORMAT CSV, NULL '')") as copy:
            for block in copy:
                buf.write(block)
    finally:
        cursor.close()
    if buf.tell() == 0:
        return typed_frame(spec, pd.DataFrame(columns=spec.column_ids))
    return arrow_to_frame(spec, _parse_delimited(spec, buf.getbuffer()))


_CSV_TYPES = {Kind.DATETIME: pa.timestamp("ns"), Kind.DATE: pa.timestamp("ns"), Kind.INT: pa.int64(),
              Kind.RATING: pa.int64()}
"""Kinds Arrow's CSV reader types itself (in parallel, in C++); the rest stay text for
:func:`_arrow_column` (booleans, for one, are ``t``/``f`` from PostgreSQL, ``0``/``1`` from SQLite)."""


def _parse_delimited(spec: contract.Table, data: bytes | memoryview, *, delimiter: str = ",",
                     quoted: bool = True, empty_lines_are_rows: bool = False) -> pa.Table:
    """``spec``'s rows from delimited text without a header.  An empty field is NULL: the
    importer stores blank text as NULL, never as an empty string."""
    return pv.read_csv(
        pa.py_buffer(data),
        read_options=pv.ReadOptions(column_names=spec.column_ids, block_size=1 << 25),
        parse_options=pv.ParseOptions(delimiter=delimiter, quote_char='"' if quoted else False,
                                      ignore_empty_lines=not empty_lines_are_rows),
        convert_options=pv.ConvertOptions(
            column_types={c.id: _CSV_TYPES.get(c.kind, pa.string()) for c in spec.columns},
            strings_can_be_null=True, null_values=[""]),
    )


def _read_sqlite_lines(session: Session, spec: contract.Table) -> pd.DataFrame | None:
    """SQLite, columnar: the rows rendered as delimited text by SQLite itself
    (:mod:`data.sqlite_lines`) and parsed by Arrow's CSV reader like PostgreSQL's COPY
    output, about four times as fast as the DBAPI cursor.

    Returns None, and the caller reads through the DBAPI cursor instead, when the text could
    be inexact or does not parse:

    - a stored value containing a line break adds a line, so the parsed row count (empty
      lines counted, as rows the parser rejects) differs from SQLite's count;
    - a value containing the field separator gives its line too many fields, which the
      parser rejects;
    - a timestamp or integer the parser cannot read is rejected too;
    - the table has floating-point columns (SQLite's text form of a REAL may drop digits).
    """
    if any(c.kind is Kind.NUMBER for c in spec.columns):
        return None
    preparer = session.get_bind().dialect.identifier_preparer
    table = preparer.quote(CONTRACT[spec.id].name)
    conn = session.connection().connection.dbapi_connection
    rowids = sqlite_lines.rowid_range(conn, table)  # type: ignore[arg-type]
    if rowids is None:
        return typed_frame(spec, pd.DataFrame(columns=spec.column_ids))
    sql = sqlite_lines.block_sql(table, [preparer.quote(c) for c in spec.column_ids])

    def parse(group: list[tuple[int, bytes]]) -> pa.Table | None:
        try:
            parsed = _parse_delimited(spec, sqlite_lines.LINE_SEP.join(block for _, block in group),
                                      delimiter=sqlite_lines.FIELD_SEP, quoted=False, empty_lines_are_rows=True)
        except pa.ArrowInvalid:
            return None
        return parsed if parsed.num_rows == sum(rows for rows, _ in group) else None

    # SQLite renders the next blocks while Arrow parses the last ones: both release the GIL
    with ThreadPoolExecutor(max_workers=1) as parser:
        parsing = [parser.submit(parse, group)
                   for group in _groups(sqlite_lines.render(conn, sql, *rowids), PARSE_GROUP_ROWS)]  # type: ignore[arg-type]
        tables = [future.result() for future in parsing]
    if any(t is None for t in tables):
        return None
    return arrow_to_frame(spec, pa.concat_tables(tables))  # type: ignore[arg-type]


PARSE_GROUP_ROWS = 200_000
"""Rendered rows parsed together (and checked together)."""


def _groups(blocks: Iterable[tuple[int, bytes]], rows: int) -> Iterator[list[tuple[int, bytes]]]:
    """``blocks`` gathered into lists of at least ``rows`` rows (the last may hold fewer)."""
    group: list[tuple[int, bytes]] = []
    for block in blocks:
        group.append(block)
        if sum(n for n, _ in group) >= rows:
            yield group
            group = []
    if group:
        yield group


def load_tables(session: Session, table_ids: Iterable[str]) -> dict[str, pd.DataFrame]:
    """The contract tables ``table_ids`` read through ``session`` into typed frames (no
    snapshot): the columnar engine reads its small tables so, leaving the large ones where
    they are."""
    dialect = session.get_bind().dialect.name
    out: dict[str, pd.DataFrame] = {}
    for table_id in table_ids:
        spec = contract.TABLES_BY_ID[table_id]
        frame = None
        if dialect == "postgresql":
            frame = _read_postgresql_copy(session, spec)
        elif dialect == "sqlite":
            frame = _read_sqlite_lines(session, spec)
        out[spec.id] = frame if frame is not None else _read_table(session, spec)
    return out


def _load_from_database(session: Session) -> Frames:
    return Frames(**load_tables(session, [spec.id for spec in contract.TABLES]))


LOAD_ATTEMPTS = 3
"""Loads tried when an import commits while the tables are being read."""


def load_frames(session: Session, cache_dir: Path | None = None) -> Frames:
    """Every contract table read through ``session`` into typed frames.

    PostgreSQL is read with COPY and SQLite as text SQLite renders itself (both parsed by
    Arrow, no Python object per value); other databases through the DBAPI cursor in chunks.
    The tables are read one after another, so the data's fingerprint
    (:func:`data.snapshots.fingerprint`) is taken before and after: if an import committed
    in between, the load is repeated rather than mixing two states of the data.  With
    ``cache_dir``, the frames are also kept there as Parquet under the fingerprint, so the
    next process to load the same data reads columns from disk instead of the database.
    """
    for _ in range(LOAD_ATTEMPTS):
        key = snapshots.fingerprint(session)
        cached = snapshots.read(cache_dir, key) if cache_dir is not None else None
        if cached is not None:
            return Frames(**cached)
        frames = _load_from_database(session)
        if snapshots.fingerprint(session) == key:
            if cache_dir is not None:
                snapshots.write(cache_dir, key, {spec.id: frames.table(spec.id) for spec in contract.TABLES})
            return frames
    return frames  # the data kept changing: the last load, not kept as a snapshot


__all__ = ["Frames", "arrow_columns", "contiguous", "empty_frames", "frames_from", "load_frames", "typed_frame"]
