"""Duplicate natural keys within one import batch, across every chunk, file and sheet of a table.

A key may occur once per batch.  Every row whose key occurs more than once is reported:
the first occurrence points at the second (另见 …), every later one at the first.  Within
one chunk this is a group-by over the chunk's keys (:func:`check_duplicates`); across
chunks a :class:`BatchKeys` index remembers, for each key already seen, only two 64-bit
hashes of the key (two independent hash functions, so that a collision of different keys
is practically impossible: about 10⁻²⁵ for 10⁷ keys), where its first occurrence is and
whether it was already reported.  That is 25 bytes per key, not the rows themselves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.contract import Kind, Table
from data.problems import Problem, column_label
from data.raw_tables import RawTable
from data.rules import Collector

_SECOND_KEY = "market-access-k2"
"""The hash key of the second, independent key hash (16 characters, as pandas requires)."""


def _key_text(values: dict[str, pd.Series], table: Table, mask: np.ndarray) -> np.ndarray:
    parts = []
    for cid in table.key:
        s = values[cid][mask]
        if table.column(cid).kind is Kind.DATE:
            s = s.dt.strftime("%Y-%m-%d")
        parts.append(s.astype(object).to_numpy())
    return np.array([" / ".join(map(str, row)) for row in zip(*parts, strict=True)], dtype=object)


def _where(raw: RawTable, origin: int, row: int) -> str:
    file, sheet = raw.origins[origin]
    place = f"{file}" + (f"「{sheet}」" if sheet else "")
    return f"{place} 第 {row} 行"


def _reason(table: Table, text: str, where: str) -> str:
    key_names = "、".join(table.column(c).zh for c in table.key)
    return f"键（{key_names}：{text}）在本批导入中重复，另见 {where}"


_ROW_BITS = 40
"""A first occurrence is packed into one integer: its origin (file or sheet) above, its row below."""


class BatchKeys:
    """The keys of one table seen in the earlier chunks of a batch (hashes and first occurrences).

    25 bytes a key; a chunk's keys are merged in with :func:`numpy.insert`, one array at a
    time, so the index never needs twice its own size."""

    def __init__(self) -> None:
        self.h1 = np.zeros(0, dtype=np.uint64)
        """First key hashes, sorted; the other arrays are aligned with it."""
        self.h2 = np.zeros(0, dtype=np.uint64)
        self.at = np.zeros(0, dtype=np.int64)
        """Origin and row of the first occurrence, packed (:data:`_ROW_BITS`)."""
        self.reported = np.zeros(0, dtype=bool)

    def __len__(self) -> int:
        return len(self.h1)

    def origin(self, i: int) -> int:
        return int(self.at[i]) >> _ROW_BITS

    def row(self, i: int) -> int:
        return int(self.at[i]) & ((1 << _ROW_BITS) - 1)

    def find(self, h1: np.ndarray, h2: np.ndarray) -> np.ndarray:
        """Position of each (h1, h2) in the index, -1 when not seen."""
        pos = np.searchsorted(self.h1, h1)
        out = np.full(len(h1), -1, dtype=np.int64)
        if not len(self.h1):
            return out
        # equal h1 values are adjacent: scan the run for the matching h2
        while True:
            inside = (pos < len(self.h1)) & (out < 0)
            if not inside.any():
                return out
            at = np.where(inside, pos, 0)
            same1 = inside & (self.h1[at] == h1)
            if not same1.any():
                return out
            hit = same1 & (self.h2[at] == h2)
            out[hit] = pos[hit]
            pos = np.where(same1 & ~hit, pos + 1, len(self.h1))

    def add(self, h1: np.ndarray, h2: np.ndarray, origin: np.ndarray, row: np.ndarray, reported: np.ndarray) -> None:
        """Remember new keys (each once, at its first occurrence)."""
        if not len(h1):
            return
        order = np.argsort(h1, kind="stable")
        where = np.searchsorted(self.h1, h1[order], side="right")
        packed = (origin[order].astype(np.int64) << _ROW_BITS) | row[order].astype(np.int64)
        self.h1 = np.insert(self.h1, where, h1[order])
        self.h2 = np.insert(self.h2, where, h2[order])
        self.at = np.insert(self.at, where, packed)
        self.reported = np.insert(self.reported, where, reported[order])


_MIX = np.uint64(0x9E3779B97F4A7C15)


def key_hashes(keys: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Two independent 64-bit hashes of each row's key values (each column converted once)."""
    h1 = np.zeros(len(keys), dtype=np.uint64)
    h2 = np.zeros(len(keys), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for cid in keys.columns:
            col = keys[cid]
            if pd.api.types.is_datetime64_any_dtype(col.dtype):
                vals = col.to_numpy(dtype="datetime64[ns]").view(np.int64)
            else:
                vals = col.to_numpy(dtype=object)
            h1 = h1 * _MIX ^ pd.util.hash_array(vals, categorize=False)
            h2 = h2 * _MIX ^ pd.util.hash_array(vals, hash_key=_SECOND_KEY, categorize=False)
    return h1, h2


def check_duplicates(table: Table, values: dict[str, pd.Series], problems: Collector,
                     seen: BatchKeys | None = None) -> list[Problem]:
    """Report the rows of this chunk whose key occurs twice in the batch; ``seen`` holds the earlier
    chunks' keys (and is updated).  Returns the problems of earlier rows that only this chunk revealed
    (a first occurrence in an earlier chunk, which now points at this chunk's row)."""
    keys = pd.DataFrame({cid: values[cid] for cid in table.key})
    complete = keys.notna().all(axis=1).to_numpy()
    if not complete.any():
        return []
    raw = problems.raw
    positions = np.flatnonzero(complete)
    earlier = np.full(len(positions), -1, dtype=np.int64)
    h1 = h2 = np.zeros(0, dtype=np.uint64)
    if seen is not None and len(positions):
        h1, h2 = key_hashes(keys.iloc[positions].reset_index(drop=True))
        if len(seen):
            earlier = seen.find(h1, h2)
    new = earlier < 0
    new_pos = positions[new]
    sub = keys.iloc[new_pos]
    if seen is None:
        dup_new = np.array(sub.duplicated(keep=False), dtype=bool)
    else:  # equal hashes first (cheap), then the keys themselves among those few rows
        dup_new = np.array(pd.Series(h1[new]).duplicated(keep=False), dtype=bool)
        if dup_new.any():
            dup_new[dup_new] = sub[dup_new].duplicated(keep=False).to_numpy()
    dup = np.zeros(len(keys), dtype=bool)
    dup[new_pos[dup_new]] = True
    dup[positions[~new]] = True
    revealed: list[Problem] = []
    if dup.any():
        first_of: dict[int, int] = {}
        second_of: dict[int, int] = {}
        group_of: dict[int, int] = {}
        in_chunk = new_pos[dup_new]
        if len(in_chunk):
            group = keys.iloc[in_chunk].groupby(list(table.key), sort=False, dropna=False).ngroup().to_numpy()
            for g, pos in zip(group.tolist(), in_chunk.tolist(), strict=True):
                group_of[pos] = g
                if g not in first_of:
                    first_of[g] = pos
                elif g not in second_of:
                    second_of[g] = pos
        at_old = dict(zip(positions[~new].tolist(), earlier[~new].tolist(), strict=True))
        flagged = np.flatnonzero(dup).tolist()
        texts = _key_text(values, table, dup)
        key_col = table.column(table.key[0])
        reasons = []
        for pos, text in zip(flagged, texts.tolist(), strict=True):
            if pos in group_of:
                g = group_of[pos]
                other = second_of[g] if pos == first_of[g] else first_of[g]
                reasons.append(_reason(table, text, _where(raw, int(raw.origin[other]), int(raw.rows[other]))))
                continue
            assert seen is not None
            i = at_old[pos]
            reasons.append(_reason(table, text, _where(raw, seen.origin(i), seen.row(i))))
            if not seen.reported[i]:  # the first occurrence, in an earlier chunk, points at this row
                seen.reported[i] = True
                file, sheet = raw.origins[seen.origin(i)]
                here = _where(raw, int(raw.origin[pos]), int(raw.rows[pos]))
                revealed.append(Problem(file=file, sheet=sheet, table=table.id, row=seen.row(i),
                                        column=column_label(key_col), value=text, reason=_reason(table, text, here)))
        problems.add(dup, key_col, np.array(reasons, dtype=object), texts)
    if seen is not None and len(new_pos):
        first = ~dup_new
        if dup_new.any():
            first[dup_new] = ~sub[dup_new].duplicated(keep="first").to_numpy()
        idx = np.flatnonzero(new)[first]
        rows = new_pos[first]
        seen.add(h1[idx], h2[idx], raw.origin[rows], raw.rows[rows], dup_new[first])
    return revealed
