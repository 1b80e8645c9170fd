"""Daily pre-aggregates of a population's counts and sums, shared by every window.

A window's completed (C), submitted (S) and received (R) populations are a range of days on
one day column and a part that is the same for every window::

    status_code = 1 AND comp_day IS NOT NULL AND … AND comp_day >= start AND comp_day <= end

The counts and sums of such a query (its masks are the population's rows' own properties:
on time, online, rated…) are therefore sums over days of the same counts and sums per day.
:class:`Cubes` keeps them per group and day in the engine (a few thousand rows per grouping
instead of millions of records) and answers each window by summing its days.  Only the days
no earlier window held are read, so a year costs what its own query cost, and a quarter or a
month inside it, or the same year again, reads nothing.

The answer is exact whatever the masks are: the per-day counts are of the same rows and the
same masks, so a mask that depended on the window would only be another pre-aggregate
(another key), never a wrong value.  Quantiles are not additive and stay window queries.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import reduce
from typing import Any

import ibis.expr.operations as ops
import pandas as pd
import pyarrow as pa

KEPT_BYTES = 256 * 1024 * 1024
"""What an engine's pre-aggregates may hold (the least recently used go first).  At ten
million applications a department grouping's C is 9,000 rows (under 1 MB), an item
grouping's up to a few hundred thousand (tens of MB)."""

DAY = "cube_day"


@dataclass(frozen=True)
class DayRange:
    """A population split into its day range and the rest (None: every row)."""

    rest: Any
    column: str
    start: int
    end: int


def _leaves(op: Any) -> Iterator[Any]:
    if isinstance(op, ops.And):
        yield from _leaves(op.left)
        yield from _leaves(op.right)
    else:
        yield op


def _bound(op: Any, kind: type) -> tuple[str, int] | None:
    """(column, day) of ``column >= day`` / ``column <= day`` (``kind``), else None."""
    if not isinstance(op, kind):
        return None
    left: Any = op.left  # type: ignore[attr-defined]
    right: Any = op.right  # type: ignore[attr-defined]
    if isinstance(left, ops.Field) and isinstance(right, ops.Literal) and isinstance(right.value, int) \
            and not isinstance(right.value, bool):
        return str(left.name), int(right.value)
    return None


def day_range(partition: Any) -> DayRange | None:
    """``partition`` as ``rest AND column >= start AND column <= end`` (one column), or None
    when it is no such range (open work at as_of)."""
    if partition is None:
        return None
    leaves = list(_leaves(partition.op()))
    lows = {b[0]: (op, b[1]) for op in leaves if (b := _bound(op, ops.GreaterEqual)) is not None}
    highs = {b[0]: (op, b[1]) for op in leaves if (b := _bound(op, ops.LessEqual)) is not None}
    columns = sorted(set(lows) & set(highs))
    if len(columns) != 1:
        return None
    column = columns[0]
    (low, start), (high, end) = lows[column], highs[column]
    rest = [op.to_expr() for op in leaves if op is not low and op is not high
            and not (isinstance(op, ops.Literal) and op.value is True)]
    return DayRange(reduce(lambda a, b: a & b, rest) if rest else None, column, start, end)


class Cubes:
    """The daily pre-aggregates of one engine (see the module); safe to share by threads."""

    def __init__(self, kept_bytes: int = KEPT_BYTES) -> None:
        self.kept_bytes = kept_bytes
        self._cubes: OrderedDict[tuple[Any, ...], _Kept] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.built = 0  # how many ranges of days were read from the database (tests, benchmarks)

    def window(self, backend: Any, query: Any) -> pa.Table | None:
        """The additive aggregates of ``query`` (a :class:`metrics.columnar.batch._Query`)
        for its window, as its own query would give them: per group key (rows of no group
        under a NULL key), or one row without a key.  None when the query has no additive
        aggregates or its population is no day range: it runs as it is."""
        span = day_range(query.partition)
        signature = query.additive_signature()
        if span is None or not signature:
            return None
        cube = self._cube(backend, query, span, signature)
        names = [n for n in cube.columns if n not in ("group_key", DAY)]
        days = cube[(cube[DAY] >= span.start) & (cube[DAY] <= span.end)]
        if query.key is None:
            return pa.table({n: [_sum(days[n])] for n in names})
        per = days.groupby("group_key", dropna=False, sort=False)[names].sum(min_count=1).reset_index()
        return pa.Table.from_pandas(per, preserve_index=False)

    def _cube(self, backend: Any, query: Any, span: DayRange, signature: tuple[Any, ...]) -> pd.DataFrame:
        """The query's pre-aggregate, holding at least the window's days: the days no window
        asked for before are read (a range each, whose row groups the storage's day order
        lets the database skip to), the others are kept."""
        ident = (query.relation.op(), None if query.key is None else query.key.op(),
                 None if span.rest is None else span.rest.op(), span.column, signature)
        with self._lock:
            hit = self._cubes.get(ident)
            if hit is not None:
                self._cubes.move_to_end(ident)
        covered = hit.covered if hit is not None else ()
        missing = _missing(span.start, span.end, covered)
        if hit is not None and not missing:
            return hit.cube
        rel = query.relation
        day = rel[span.column]
        parts = [] if hit is None else [hit.cube]
        for lo, hi in missing:
            within = (day >= lo) & (day <= hi)
            rows = rel.filter(within if span.rest is None else span.rest & within)
            parts.append(backend.to_pyarrow(query.aggregated(False, rows, **{DAY: day})).to_pandas())
        known = [p for p in parts if len(p)] or parts[:1]
        cube = known[0] if len(known) == 1 else pd.concat(known, ignore_index=True)
        kept = _Kept(cube, _merged((*covered, *missing)), int(cube.memory_usage(index=True, deep=True).sum()))
        with self._lock:
            self.built += len(missing)
            old = self._cubes.pop(ident, None)
            self._bytes -= 0 if old is None else old.size
            if kept.size <= self.kept_bytes:
                self._cubes[ident] = kept
                self._bytes += kept.size
                while self._bytes > self.kept_bytes:
                    self._bytes -= self._cubes.popitem(last=False)[1].size
        return cube


@dataclass(frozen=True)
class _Kept:
    cube: pd.DataFrame
    covered: tuple[tuple[int, int], ...]  # the days it holds: disjoint ranges, in order
    size: int  # bytes


def _missing(start: int, end: int, covered: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """The ranges of days from ``start`` to ``end`` (inclusive) outside ``covered``."""
    out: list[tuple[int, int]] = []
    at = start
    for lo, hi in covered:
        if hi < at:
            continue
        if lo > end:
            break
        if lo > at:
            out.append((at, lo - 1))
        at = max(at, hi + 1)
        if at > end:
            return out
    if at <= end:
        out.append((at, end))
    return out


def _merged(ranges: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """Day ranges sorted, with touching or overlapping ones joined."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return tuple(out)


def _sum(values: pd.Series) -> Any:
    """A column's sum as SQL gives it: NULL (None) when no value is known."""
    known = values.dropna()
    return None if known.empty else known.sum()


__all__ = ["Cubes", "DayRange", "day_range"]
