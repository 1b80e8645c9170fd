"""Which rows of an import are new, changed or unchanged, chunk by chunk, and writing them.

:class:`StoredKeys` classifies each validated chunk of a table against the rows stored
before the import: a row whose natural key is not stored is added, one whose key is stored
with another ``row_hash`` is replaced, the rest are unchanged and not written.  The table's
stored keys are looked up once per import (and only as hashes: 16 bytes a row), or, for a
small batch against a large table, key by key.  :class:`TableWriter` writes the chunks
(:func:`data.storage.write_rows`) and, for a bulk load, drops the table's secondary indexes
before the first chunk and rebuilds them after the last (:func:`data.storage.suspend_indexes`).

A 64-bit hash of each stored key stands for the key.  Two different keys with the same hash
(about 10⁻⁷ for a batch of 10⁶ rows against 10⁷ stored ones) can only make a new row count
as replaced; it is written all the same (an upsert).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from data.contract import Kind, Table
from data.schema import ROW_HASH
from data.storage import StoredColumns, suspend_indexes, write_rows

LOOKUP_CHUNK = 500
FETCH_ROWS = 100_000
BULK_ROWS = 20_000
"""Writing at least this many rows, and at least half as many as the table holds, rebuilds the
table's secondary indexes afterwards instead of updating them row by row (much faster)."""


def _stored_key(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text[:10] if len(text) > 10 and text[4:5] == "-" and text[10:11] in (" ", "T") else text


def _hash_keys(keys: np.ndarray) -> np.ndarray:
    return pd.util.hash_array(keys.astype(object), categorize=False).view(np.int64)  # type: ignore[no-any-return]


class StoredKeys:
    """The rows of one table stored before the import, as far as classifying the batch needs them."""

    def __init__(self, session: Session, table: Table) -> None:
        self.session, self.table = session, table
        self._cols = ", ".join(f'"{c}"' for c in table.key)
        self.total = self._count()
        """Rows stored before the import (fixed at the start: the batch's own writes do not count)."""
        self._index: pd.Index | None = None
        self._hashes = np.zeros(0, dtype=np.int64)

    def _cursor(self) -> object:
        driver = self.session.connection().connection.driver_connection
        assert driver is not None
        return driver.cursor()

    def _count(self) -> int:
        cur = self._cursor()
        try:
            cur.execute(f'SELECT count(*) FROM "{self.table.id}"')  # type: ignore[attr-defined]
            return int(cur.fetchone()[0])  # type: ignore[attr-defined]
        finally:
            cur.close()  # type: ignore[attr-defined]

    def _key_texts(self, rows: list[tuple[object, ...]]) -> np.ndarray:
        width = len(self.table.key)
        dates = [i for i, cid in enumerate(self.table.key) if self.table.column(cid).kind is Kind.DATE]
        if width == 1 and not dates:
            return np.array([r[0] for r in rows], dtype=object)
        return np.array(["\x1f".join(_stored_key(v) if i in dates else str(v) for i, v in enumerate(r[:width]))
                         for r in rows], dtype=object)

    def classify(self, data: StoredColumns, whole: bool) -> tuple[np.ndarray, np.ndarray]:
        """Masks of the added and of the replaced rows of one chunk; ``whole``: the chunk is the
        table's whole batch (a small one is then looked up key by key)."""
        n = len(data)
        if not self.total:
            return np.ones(n, dtype=bool), np.zeros(n, dtype=bool)
        if self._index is None and whole and len(self.table.key) == 1 and n * 20 < self.total:
            stored_keys, stored_hash = self._lookup(data)
            pos = pd.Index(stored_keys).get_indexer(pd.Index(data.key_strings()))
        else:
            if self._index is None:
                self._load()
            assert self._index is not None
            stored_hash = self._hashes
            if self._index.dtype == np.int64:
                pos = self._index.get_indexer(_hash_keys(data.key_strings()))
            else:
                pos = self._index.get_indexer(pd.Index(data.key_strings()))
        added = pos < 0
        same = np.zeros(n, dtype=bool)
        same[~added] = stored_hash[pos[~added]] == data.row_hashes[~added]
        return added, ~added & ~same

    def _load(self) -> None:
        """Every stored key (hashed) and row hash, fetched in batches."""
        keys: list[np.ndarray] = []
        hashes: list[np.ndarray] = []
        texts: list[np.ndarray] = []
        cur = self._cursor()
        try:
            cur.execute(f'SELECT {self._cols}, "{ROW_HASH}" FROM "{self.table.id}"')  # type: ignore[attr-defined]
            width = len(self.table.key)
            while rows := cur.fetchmany(FETCH_ROWS):  # type: ignore[attr-defined]
                text = self._key_texts(rows)
                keys.append(_hash_keys(text))
                hashes.append(np.fromiter((r[width] for r in rows), dtype=np.int64, count=len(rows)))
                texts.append(text)
                if sum(len(t) for t in texts) > 2 * FETCH_ROWS:
                    texts = []  # only kept for a small table (the fallback below)
        finally:
            cur.close()  # type: ignore[attr-defined]
        self._hashes = np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.int64)
        index = pd.Index(np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64))
        if not index.is_unique:  # two stored keys share a hash: match the keys themselves
            index = pd.Index(np.concatenate(texts) if texts else self._all_texts())
        self._index = index

    def _all_texts(self) -> np.ndarray:
        cur = self._cursor()
        try:
            cur.execute(f'SELECT {self._cols} FROM "{self.table.id}"')  # type: ignore[attr-defined]
            parts = []
            while rows := cur.fetchmany(FETCH_ROWS):  # type: ignore[attr-defined]
                parts.append(self._key_texts(rows))
        finally:
            cur.close()  # type: ignore[attr-defined]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=object)

    def _lookup(self, data: StoredColumns) -> tuple[np.ndarray, np.ndarray]:
        """The stored (key, row_hash) of the chunk's keys, looked up in batches (single-column keys)."""
        marker = "?" if self.session.get_bind().dialect.paramstyle == "qmark" else "%s"
        keys = pd.unique(data.frame[self.table.key[0]].to_numpy(dtype=object, na_value=None))
        found: list[tuple[object, ...]] = []
        cur = self._cursor()
        try:
            for start in range(0, len(keys), LOOKUP_CHUNK):
                chunk = [k for k in keys[start:start + LOOKUP_CHUNK].tolist() if k is not None]
                if not chunk:
                    continue
                marks = ", ".join(marker for _ in chunk)
                cur.execute(f'SELECT {self._cols}, "{ROW_HASH}" FROM "{self.table.id}" '  # type: ignore[attr-defined]
                            f'WHERE {self._cols} IN ({marks})', chunk)
                found += cur.fetchall()  # type: ignore[attr-defined]
        finally:
            cur.close()  # type: ignore[attr-defined]
        hashes = np.fromiter((r[1] for r in found), dtype=np.int64, count=len(found))
        return np.array([r[0] for r in found], dtype=object), hashes


Writer = Callable[..., None]


class TableWriter:
    """The chunks of one table written in the import's transaction, as one bulk load when large."""

    def __init__(self, session: Session, table: Table, batch_id: int, stored: int, write: Writer = write_rows) -> None:
        self.session, self.table, self.batch_id, self.stored = session, table, batch_id, stored
        self._write = write
        self._decided = False
        self._rebuild: Callable[[], None] | None = None

    def write(self, data: StoredColumns, added: np.ndarray, replaced: np.ndarray, done: float) -> None:
        """Write one chunk; ``done`` is the share of the table's file read so far (to estimate its size)."""
        n = int(added.sum() + replaced.sum())
        if n and not self._decided:
            self._decided = True
            expected = n / max(done, 1e-6)
            if expected >= BULK_ROWS and expected * 2 >= self.stored:
                self._rebuild = suspend_indexes(self.session, self.table)
        self._write(self.session, data, added, replaced, self.batch_id, False)

    def finish(self) -> None:
        """Rebuild what a bulk load suspended."""
        if self._rebuild is not None:
            rebuild, self._rebuild = self._rebuild, None
            rebuild()
