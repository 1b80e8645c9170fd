"""Exact quantiles of a population that is a range of days, from its values sorted per group and day.

A window's quantiles (the stage medians over C) are the costliest part of a compute at
city scale: DuckDB sorts every row of the window for each of them (1 s a year at ten million
applications, on two cores), and a window's neighbour or the same window again sorts them
all anew.  Quantiles are not additive, so :mod:`metrics.columnar.cubes` cannot hold them;
but the rows they are taken over can be held sorted, as the in-memory engine holds its
``stage_order``.

:class:`QuantileIndex` reads, once per population (its part outside the day range),
grouping, mask and value, the rows' group, day and value, and keeps them sorted by group,
day, and value within each (group, day) *block*.  Every element carries its rank among all
the values, so one ``searchsorted`` over ``block << 32 | rank`` counts, for every block of
a window at once, the values of rank ≤ r.  A window's k-th value per group (and over all
rows, for the district) is then a binary search over the ranks: about twenty vectorised
steps, whatever the window's size, and exactly numpy's linear interpolation between the
k-th and (k+1)-th values (as :func:`metrics.columnar.batch.counted_quantile`).

It serves an in-process database (the rows cross into numpy once); a grouping whose groups
times days exceed :data:`MAX_BLOCKS` (items) runs its window query as before.  Beside a
snapshot (``folder``), each mask's sorted values are written once as ``.npy`` files named by
a digest of their query and the derived columns' own digest (``tag``), and later processes
map them from there: sorting ten million values four times is most of a first start, and
reading them back is milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrics.columnar.cubes import day_range

KEPT_BYTES = 1024 * 1024 * 1024
"""What an engine's sorted values may hold (the least recently used go first): 16 bytes a
row and value, so the four stage durations of ten million applications by department are
about 640 MB."""

MAX_BLOCKS = 1 << 16
"""Groups (and the rows of no group) times days at most: the blocks are sorted by a stable
radix sort of 16-bit codes; beyond, the window's own query runs."""

_SHIFT = np.int64(32)


@dataclass(frozen=True)
class _Sorted:
    """One mask's values, sorted by (group, day, value); see the module."""

    keys: np.ndarray  # int64, ascending: block << 32 | rank
    values: np.ndarray  # float64, the values by rank (ascending)
    starts: np.ndarray  # int64, the first position of each block, and the end
    groups: tuple[str | None, ...]  # the group key of each group code (None: rows of no group)
    first_day: int
    days: int

    @property
    def size(self) -> int:
        return int(self.keys.nbytes + self.values.nbytes + self.starts.nbytes)

    def save(self, path: Path) -> None:
        """Written as a folder of ``.npy`` files, complete or not at all (renamed into place)."""
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.mkdir(parents=True)
        try:
            for name in ("keys", "values", "starts"):
                np.save(tmp / f"{name}.npy", getattr(self, name))
            (tmp / "meta.json").write_text(json.dumps(
                {"groups": list(self.groups), "first_day": self.first_day, "days": self.days}))
            os.replace(tmp, path)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            if not path.exists():
                raise

    @staticmethod
    def load(path: Path) -> _Sorted | None:
        """The values saved at ``path`` (mapped, not read), or None when there are none."""
        try:
            meta = json.loads((path / "meta.json").read_text())
            arrays = {name: np.load(path / f"{name}.npy", mmap_mode="r") for name in ("keys", "values", "starts")}
        except (OSError, ValueError):
            return None
        return _Sorted(arrays["keys"], arrays["values"], arrays["starts"], tuple(meta["groups"]),
                       int(meta["first_day"]), int(meta["days"]))


def _sorted(days: np.ndarray, codes: np.ndarray, values: np.ndarray, groups: tuple[str | None, ...],
            first_day: int, n_days: int) -> _Sorted:
    """The values sorted by value, then stably by block (group, day): each block's run stays in
    value order, and an element's rank is its place in the value order."""
    by_value = np.argsort(values, kind="quicksort")
    blocks = (codes.astype(np.int64) * n_days + (days - first_day))[by_value].astype(np.uint16)
    order = np.argsort(blocks, kind="stable")  # radix sort of 16-bit codes
    block = blocks[order]
    keys = (block.astype(np.int64) << _SHIFT) | order.astype(np.int64)
    starts = np.searchsorted(block, np.arange(len(groups) * n_days + 1), side="left").astype(np.int64)
    return _Sorted(keys, values[by_value], starts, groups, first_day, n_days)


def _window_quantiles(index: _Sorted, start: int, end: int, qs: list[float],
                      grouped: bool) -> tuple[list[float | None], dict[str, list[float | None]]]:
    """The quantiles ``qs`` over the days ``start``..``end``: over every row (the district's),
    and per group key when ``grouped``."""
    lo_day, hi_day = max(start - index.first_day, 0), min(end - index.first_day, index.days - 1)
    n_groups = len(index.groups)
    if lo_day > hi_day:
        nothing: list[float | None] = [None] * len(qs)
        return nothing, ({str(g): list(nothing) for g in index.groups if g is not None} if grouped else {})
    blocks = (np.arange(n_groups)[:, None] * index.days + np.arange(lo_day, hi_day + 1)[None, :]).ravel()
    sets = [blocks] + ([blocks[g * (hi_day - lo_day + 1):(g + 1) * (hi_day - lo_day + 1)]
                        for g in range(n_groups)] if grouped else [])
    entries = np.concatenate(sets)
    first = index.starts[entries]
    last = index.starts[entries + 1]
    bounds = np.cumsum([0] + [len(s) for s in sets])[:-1]
    sizes = np.add.reduceat(last - first, bounds)
    out: list[list[float | None]] = [[None] * len(qs) for _ in sets]
    for i, q in enumerate(qs):
        k_lo = np.array([math.floor(q * max(int(n) - 1, 0)) for n in sizes], dtype=np.int64)
        x_lo = _kth(index, entries, first, bounds, k_lo, sizes)
        x_hi = _next(index, entries, first, last, bounds, x_lo)
        need_hi = k_lo + 1 <= sizes - 1  # else the k-th is the last value (numpy's min(lo + 1, n - 1))
        x_hi = np.where(need_hi, x_hi, x_lo)
        for j in range(len(sets)):
            n = int(sizes[j])
            if n:  # in Python floats, as _sorted_quantile (numpy's vector arithmetic may round otherwise)
                at = q * (n - 1)
                a, b = float(index.values[x_lo[j]]), float(index.values[x_hi[j]])
                out[j][i] = a + (b - a) * (at - int(k_lo[j]))
    groups = {str(g): out[c + 1] for c, g in enumerate(index.groups) if g is not None} if grouped else {}
    return out[0], groups


def _counts(index: _Sorted, entries: np.ndarray, first: np.ndarray, bounds: np.ndarray,
            rank: np.ndarray, side: str = "right") -> tuple[np.ndarray, np.ndarray]:
    """(positions, per set the values of rank ≤ ``rank[set]``): one search of every block."""
    per_entry = np.repeat(rank, np.diff(np.append(bounds, len(entries))))
    at = np.searchsorted(index.keys, (entries.astype(np.int64) << _SHIFT) | per_entry, side=side)  # type: ignore[call-overload]
    return at, np.add.reduceat(at - first, bounds)


def _kth(index: _Sorted, entries: np.ndarray, first: np.ndarray, bounds: np.ndarray,
         k: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The rank of each set's ``k``-th value (0-based; ranks are distinct): the least rank r
    with more than k values of rank ≤ r."""
    lo = np.zeros(len(bounds), dtype=np.int64)
    hi = np.full(len(bounds), max(len(index.values) - 1, 0), dtype=np.int64)
    while True:
        open_ = (lo < hi) & (sizes > 0)
        if not open_.any():
            return lo
        mid = (lo + hi) // 2
        _at, counts = _counts(index, entries, first, bounds, mid)
        enough = counts > k
        hi = np.where(open_ & enough, mid, hi)
        lo = np.where(open_ & ~enough, mid + 1, lo)


def _next(index: _Sorted, entries: np.ndarray, first: np.ndarray, last: np.ndarray, bounds: np.ndarray,
          rank: np.ndarray) -> np.ndarray:
    """The least rank above ``rank[set]`` in each set (its next value): the first element past
    it in each block, the least of them."""
    at = _counts(index, entries, first, bounds, rank)[0]
    past = at < last
    ranks = np.where(past, index.keys[np.minimum(at, len(index.keys) - 1)] & 0xFFFFFFFF if len(index.keys)
                     else 0, np.iinfo(np.int64).max)
    return np.minimum.reduceat(ranks, bounds)


class QuantileIndex:
    """The sorted values of one engine (see the module); safe to share by threads."""

    def __init__(self, kept_bytes: int = KEPT_BYTES, folder: Path | None = None, tag: str = "") -> None:
        self.kept_bytes = kept_bytes
        self.folder = folder  # a snapshot's folder to keep the sorted values in, or None
        self.tag = tag  # what the relations' rows depend on (their derivation's digest)
        self._kept: OrderedDict[tuple[Any, ...], _Sorted] = OrderedDict()
        self._suits_memo: dict[tuple[Any, ...], bool] = {}
        self._bytes = 0
        self._lock = threading.Lock()
        self.built = 0  # how many masks' values were read and sorted (tests, benchmarks)

    def window(self, backend: Any, query: Any) -> dict[str, tuple[float | None, dict[str, float | None]]] | None:
        """The quantiles of ``query`` (a :class:`metrics.columnar.batch._Query`) for its window:
        {result name: (value over every row, {group key: value})}; None when its population
        is no day range or its grouping is not suited (:meth:`_suits`): its own query runs."""
        span = day_range(query.partition)
        wanted = {ident: name for ident, name in query.aggregates.items() if ident[0] == "quantile"}
        if span is None or not wanted:
            return None
        base = (query.relation.op(), None if query.key is None else query.key.op(),
                None if span.rest is None else span.rest.op(), span.column)
        if not self._suits(backend, query, span, base):
            return None
        masks, values = query.masks_by_name, query.values_by_name
        idents = {(m, v): (*base, masks[m].op(), values[v].op()) for _k, m, v, _q in wanted}
        with self._lock:
            found = {pair: self._kept[i] for pair, i in idents.items() if i in self._kept}
            for i in idents.values():
                if i in self._kept:
                    self._kept.move_to_end(i)
        missing = [pair for pair in idents if pair not in found]
        files = {pair: self._file(backend, query, span, pair) for pair in missing} if self.folder else {}
        for pair, path in files.items():
            loaded = _Sorted.load(path)
            if loaded is not None:
                found[pair] = loaded
        missing = [pair for pair in missing if pair not in found]
        for pair, kept in (self._build(backend, query, span, missing) if missing else {}).items():
            if pair in files:  # kept mapped from its file: the page cache holds it, not the process
                try:
                    kept.save(files[pair])
                    kept = _Sorted.load(files[pair]) or kept
                except OSError:
                    pass  # a folder that cannot be written: the next process sorts again
            found[pair] = kept
        self._keep({idents[pair]: kept for pair, kept in found.items()})
        out: dict[str, tuple[float | None, dict[str, float | None]]] = {}
        by_pair: dict[tuple[str, str], list[tuple[float, str]]] = {}
        for (_k, m, v, q), name in wanted.items():
            assert v is not None and q is not None
            by_pair.setdefault((m, v), []).append((q, name))
        for pair, asked in by_pair.items():
            district, groups = _window_quantiles(found[pair], span.start, span.end, [q for q, _n in asked],
                                                 query.key is not None)
            for j, (_q, name) in enumerate(asked):
                out[name] = (district[j], {k: g[j] for k, g in groups.items()})
        return out

    def _suits(self, backend: Any, query: Any, span: Any, base: tuple[Any, ...]) -> bool:
        """Whether a grouping's sorted values serve it (asked of the database once, and kept
        beside the snapshot): at most :data:`MAX_BLOCKS` blocks, and most rows in a group.  A
        department's item grouping leaves the other departments' rows in no group, and would
        keep every row for a few."""
        hit = self._suits_memo.get(base)
        if hit is not None:
            return hit
        rows = self._rows(query, span, [])
        kept = self._named(backend, rows, "suits") if self.folder else None
        if kept is not None and kept.exists():
            hit = bool(json.loads(kept.read_text())["suits"])
        else:
            day = rows.index_day
            stats: dict[str, Any] = {"rows": rows.count(), "low": day.min(), "high": day.max()}
            if query.key is not None:
                stats |= {"unkeyed": rows.group_key.isnull().sum(), "groups": rows.group_key.nunique()}
            got = backend.to_pyarrow(rows.aggregate(**stats)).to_pylist()[0]
            days = 1 if got["low"] is None else int(got["high"]) - int(got["low"]) + 1
            hit = (int(got.get("groups") or 0) + 1) * days <= MAX_BLOCKS \
                and 2 * int(got.get("unkeyed") or 0) <= int(got["rows"])
            if kept is not None:
                try:
                    tmp = kept.with_name(f".{kept.name}.{os.getpid()}.{threading.get_ident()}.tmp")
                    tmp.write_text(json.dumps({"suits": hit}))
                    os.replace(tmp, kept)
                except OSError:
                    pass  # a folder that cannot be written: the next process asks again
        self._suits_memo[base] = hit
        return hit

    def _named(self, backend: Any, rows: Any, kind: str) -> Path:
        """A file beside the snapshot named by a digest of the query reading ``rows``, this
        module's source and the relations' ``tag``."""
        assert self.folder is not None
        h = hashlib.sha256()
        for part in (Path(__file__).read_bytes(), self.tag.encode(), np.__version__.encode(),
                     backend.compile(rows).encode()):
            h.update(part)
            h.update(b"\0")
        return self.folder / f"{kind}-{h.hexdigest()[:16]}"

    def _file(self, backend: Any, query: Any, span: Any, pair: tuple[str, str]) -> Path:
        """Where a pair's sorted values are kept beside the snapshot (see :meth:`_named`)."""
        return self._named(backend, self._rows(query, span, [pair]), "sorted")

    @staticmethod
    def _rows(query: Any, span: Any, pairs: list[tuple[str, str]]) -> Any:
        """The population's rows (every day of it) with their day, group key and the pairs' columns."""
        rel = query.relation
        rows = rel if span.rest is None else rel.filter(span.rest)
        columns: dict[str, Any] = {"index_day": rel[span.column]}
        if query.key is not None:
            columns["group_key"] = query.key
        for m, v in pairs:
            columns[m] = query.masks_by_name[m]
            columns[v] = query.values_by_name[v]
        return rows.select(**columns).filter(rel[span.column].notnull())

    def _build(self, backend: Any, query: Any, span: Any, pairs: list[tuple[str, str]]) -> dict[Any, _Sorted]:
        """The pairs' (mask, value) sorted values over every day of the population, from one
        read of their rows."""
        table = backend.to_pyarrow(self._rows(query, span, pairs))
        days = table["index_day"].to_numpy().astype(np.int64)
        first_day = int(days.min()) if len(days) else 0
        n_days = int(days.max()) - first_day + 1 if len(days) else 1
        if query.key is not None:
            encoded = table["group_key"].combine_chunks().dictionary_encode()
            groups: tuple[str | None, ...] = (*(str(g) for g in encoded.dictionary.to_pylist()), None)
            codes = pc.fill_null(encoded.indices, len(groups) - 1).to_numpy().astype(np.int64)
        else:
            groups, codes = (None,), np.zeros(len(days), dtype=np.int64)
        if len(groups) * n_days > MAX_BLOCKS:
            raise ValueError(f"{len(groups)} groups × {n_days} days exceed {MAX_BLOCKS} blocks")

        def one(pair: tuple[str, str]) -> _Sorted:
            m, v = pair
            keep = _true(table[m]) & pc.is_valid(table[v]).to_numpy(zero_copy_only=False)
            vals = table[v].to_numpy(zero_copy_only=False)[keep].astype(np.float64)
            return _sorted(days[keep], codes[keep], vals, groups, first_day, n_days)

        with ThreadPoolExecutor(max_workers=2) as pool:  # numpy sorts without the GIL
            built = dict(zip(pairs, pool.map(one, pairs), strict=True))
        with self._lock:
            self.built += len(built)
        return built

    def _keep(self, built: dict[tuple[Any, ...], _Sorted]) -> None:
        with self._lock:
            for ident, kept in built.items():
                old = self._kept.pop(ident, None)
                self._bytes -= 0 if old is None else old.size
                if kept.size <= self.kept_bytes:
                    self._kept[ident] = kept
                    self._bytes += kept.size
            while self._bytes > self.kept_bytes:
                self._bytes -= self._kept.popitem(last=False)[1].size


def _true(column: pa.ChunkedArray) -> np.ndarray:
    """A boolean column as numpy, NULL as false."""
    return pc.fill_null(column, False).to_numpy(zero_copy_only=False).astype(bool)


__all__ = ["MAX_BLOCKS", "QuantileIndex"]
