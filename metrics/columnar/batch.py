"""Every aggregate of one window in a few wide queries: record, execute, replay.

The families compute their measures through a :class:`~metrics.grouping.Reducer`
(``count``, ``ratio``, ``mean``, ``sum_ratio``, ``quantiles``).  :class:`~metrics.columnar.reducer.ColumnarReducer` has
the same methods over Ibis expressions.  A database answers one wide query far faster than
fifty narrow ones, so :meth:`ColumnarEngine.measures <metrics.columnar.engine.ColumnarEngine.measures>`
runs the families twice inside a :class:`Batch`:

1. *recording*: each reducer call names the aggregates it needs (a filtered count or sum, a
   quantile) and returns empty measures;
2. the batch runs, per table, grouping and population (C, S, O, R, or none), one ``GROUP BY``
   query of the counts and sums and one of the quantiles, with every aggregate a column
   (a grouped quantiles query's ``ROLLUP`` row gives the district's); the counts and sums
   of a population that is a range of days come from the engine's daily pre-aggregates
   instead (:mod:`metrics.columnar.cubes`), which every window of it shares, and its
   quantiles from the engine's sorted values (:mod:`metrics.columnar.quantile_index`);
3. *replaying*: the same calls find their aggregates' values and return the real measures.

Aggregates are keyed by their expression (Ibis expressions compare by structure), so the
population S counted by many ratios is one column, and replay does not depend on call order.
District counts and sums are the sums over all groups, including rows of no group.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.operations as ops
from ibis.expr.types import Table

if TYPE_CHECKING:
    from metrics.columnar.cubes import Cubes
    from metrics.columnar.quantile_index import QuantileIndex

_CURRENT: ContextVar[Batch | None] = ContextVar("columnar_batch", default=None)


def _plain(value: Any) -> Any:
    """A database scalar as a plain Python number, None for NULL / NaN."""
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


Spec = tuple[str, Any, Any, float | None]
"""An aggregate: (kind ``count`` / ``sum`` / ``quantile``, mask, values or None, q or None)."""


@dataclass
class _Query:
    """The aggregates asked of one relation at one grouping level (``key`` None: ungrouped).

    Each distinct mask and value expression becomes one column of a projection (``b0``,
    ``v0``…), evaluated once per row; the aggregates then filter on those boolean columns.
    (A database evaluating fifty ``FILTER (WHERE <mask>)`` clauses re-evaluates the shared
    parts of the masks, S, C, O, for every one: twice the time.)
    """

    relation: Table
    key: Any
    partition: Any = None  # the population every aggregate of the query lies within, or None
    masks: dict[Any, tuple[str, Any]] = field(default_factory=dict)  # op -> (column, expression)
    values: dict[Any, tuple[str, Any]] = field(default_factory=dict)
    aggregates: dict[tuple[str, str, str | None, float | None], str] = field(default_factory=dict)
    totals: set[str] = field(default_factory=set)  # grouped quantiles wanted over all rows too
    stripped: dict[Any, Any] = field(default_factory=dict)  # mask op -> the mask without the population
    district: dict[str, Any] = field(default_factory=dict)  # name -> value over all rows
    groups: dict[str, dict[Any, Any]] = field(default_factory=dict)  # name -> {group key: value}

    @property
    def masks_by_name(self) -> dict[str, Any]:
        return {name: expr for name, expr in self.masks.values()}

    @property
    def values_by_name(self) -> dict[str, Any]:
        return {name: expr for name, expr in self.values.values()}

    @staticmethod
    def _column(columns: dict[Any, tuple[str, Any]], prefix: str, expr: Any) -> str:
        hit = columns.get(expr.op())
        if hit is None:
            hit = columns[expr.op()] = (f"{prefix}{len(columns)}", expr)
        return hit[0]

    def within(self, mask: Any) -> Any:
        """``mask`` on the rows of the query's population: the population is true there, so
        it becomes ``TRUE`` inside the mask (a database does not see that every mask repeats
        the same conjunction, and evaluated it per mask: 40 % of a window's counts at 10M)."""
        if self.partition is None:
            return mask
        op = mask.op()
        hit = self.stripped.get(op)
        if hit is None:  # kept: recording and replaying ask for the same masks
            hit = self.stripped[op] = op.replace({self.partition.op(): ibis.literal(True).op()}).to_expr()
        return hit

    def name_of(self, spec: Spec, total: bool = False) -> str:
        """The result column of an aggregate (one per distinct aggregate); with ``total``, a
        grouped quantile whose value over all rows is wanted too (see :meth:`_rollup`)."""
        kind, mask, values, q = spec
        m = self._column(self.masks, "b", self.within(mask))
        v = None if values is None else self._column(self.values, "v", values.cast("float64"))
        ident = (kind, m, v, q)
        hit = self.aggregates.get(ident)
        if hit is None:
            hit = self.aggregates[ident] = f"a{len(self.aggregates)}"
        if total:
            self.totals.add(hit)
        return hit

    def rows(self) -> Table:
        """The relation's rows of the query's population (all rows without one): each
        aggregate's mask implies it, so the rows left out change nothing, and a period reads
        its own rows where the storage is sorted by the population's day column."""
        return self.relation if self.partition is None else self.relation.filter(self.partition)

    def _query(self, quantiles: bool) -> Table | None:
        """The query of the additive aggregates (counts, sums) or of the quantiles.

        They are two queries: an ordered-set aggregate (``percentile_cont``) makes PostgreSQL
        sort every row by group for the whole query, where counts and sums alone hash.
        """
        return self.aggregated(quantiles, self.rows())

    def aggregated(self, quantiles: bool, rows: Table, **by: Any) -> Table | None:
        """The additive aggregates (or the quantiles) over ``rows``, per group key and the
        ``by`` columns (name → expression; :mod:`metrics.columnar.cubes` adds the day)."""
        wanted = {ident: name for ident, name in self.aggregates.items()
                  if ident[0] != "int_quantile" and (ident[0] == "quantile") == quantiles}
        if not wanted:
            return None
        used = {m for _k, m, _v, _q in wanted} | {v for _k, _m, v, _q in wanted if v is not None}
        columns = {name: expr for name, expr in (*self.masks.values(), *self.values.values()) if name in used}
        if self.key is not None:
            columns["group_key"] = self.key
        columns.update(by)
        p = rows.select(**columns)
        aggs: dict[str, Any] = {}
        for (kind, m, v, q), name in wanted.items():
            if kind == "count":
                aggs[name] = p[m].cast("int32").sum()  # PostgreSQL casts boolean to integer, not bigint
            elif kind == "sum":
                aggs[name] = p[v].sum(where=p[m])
            else:
                aggs[name] = p[v].quantile(q, where=p[m])
        keys = [*(["group_key"] if self.key is not None else []), *by]
        return p.group_by(keys).aggregate(**aggs) if keys else p.aggregate(**aggs)

    def additive_signature(self) -> tuple[Any, ...]:
        """What the additive aggregates are, whatever their window: (name, kind, mask, values)
        with the expressions' operations (which compare by structure)."""
        masks = {name: expr.op() for name, expr in self.masks.values()}
        values = {name: expr.op() for name, expr in self.values.values()}
        return tuple(sorted((name, kind, masks[m], None if v is None else values[v])
                            for (kind, m, v, _q), name in self.aggregates.items() if kind in ("count", "sum")))

    def _rollup(self, backend: Any, query: Table) -> Table:
        """The grouped ``query`` with a row over all rows as well (``GROUP BY ROLLUP``, marked
        by ``GROUPING(group_key)`` in ``total_row``: a group's key may itself be NULL).
        Ibis has no grouping sets, so the compiled SQL is changed with sqlglot.  One pass
        gives the groups' and the district's quantiles: at 10M, 1.1 s where a grouped and an
        ungrouped query took 1.8 s (DuckDB runs an ungrouped quantile on one thread)."""
        from sqlglot import exp

        select = backend.compiler.to_sqlglot(query)
        key = select.expressions[0]
        select.set("group", exp.Group(rollup=[exp.Rollup(expressions=[key.copy()])]))
        select.append("expressions", exp.alias_(exp.Anonymous(this="GROUPING", expressions=[key.copy()]),
                                                "total_row"))
        return backend.sql(select.sql(dialect=backend.dialect))

    def run(self, backend: Any, cubes: Cubes | None = None, sorted_values: QuantileIndex | None = None) -> None:
        additive = None if cubes is None else cubes.window(backend, self)
        if additive is not None:
            self._read(additive)
        ranked = None if sorted_values is None else sorted_values.window(backend, self)
        if ranked is not None:
            for name, (district, groups) in ranked.items():
                self.district[name] = district
                self.groups[name] = groups
        for quantiles in ((False,) if additive is None else ()) + ((True,) if ranked is None else ()):
            query = self._query(quantiles)
            if query is not None:
                if quantiles and self.key is not None and self.totals:
                    query = self._rollup(backend, query)
                self._read(backend.to_pyarrow(query))
        for (m, v), names in self._histograms().items():
            self._read_histogram(backend.to_pyarrow(self._histogram_query(m, v)), v, names)

    def _histograms(self) -> dict[tuple[str, str], dict[str, float]]:
        """The integer quantiles asked, by (mask column, value column): {result name: q}."""
        out: dict[tuple[str, str], dict[str, float]] = {}
        for (kind, m, v, q), name in self.aggregates.items():
            if kind == "int_quantile":
                assert v is not None and q is not None
                out.setdefault((m, v), {})[name] = q
        return out

    def _histogram_query(self, m: str, v: str) -> Table:
        """How many rows of the mask hold each value, per group: a few hundred rows where the
        quantiles would sort millions (working days are small integers)."""
        columns = {m: self.masks_by_name[m], v: self.values_by_name[v]}
        if self.key is not None:
            columns["group_key"] = self.key
        p = self.rows().select(**columns)
        by = [v] if self.key is None else ["group_key", v]
        return p.filter(p[m]).group_by(by).aggregate(rows=p[v].count())

    def _read_histogram(self, table: Any, v: str, names: dict[str, float]) -> None:
        """Exact linear-interpolation quantiles (numpy's) from the value counts, per group
        and for the district (every row, of a group or none)."""
        keys = table["group_key"].to_pylist() if self.key is not None else [None] * table.num_rows
        counts: dict[Any, dict[float, int]] = {}
        district: dict[float, int] = {}
        for k, value, n in zip(keys, table[v].to_pylist(), table["rows"].to_pylist(), strict=True):
            if value is None:
                continue
            if k is not None:
                counts.setdefault(str(k), {})[value] = counts.get(str(k), {}).get(value, 0) + n
            district[value] = district.get(value, 0) + n
        for name, q in names.items():
            self.district[name] = counted_quantile(district, q)
            if self.key is not None:
                self.groups[name] = {k: counted_quantile(c, q) for k, c in counts.items()}

    def _read(self, table: Any) -> None:
        names = [n for n in table.column_names if n not in ("group_key", "total_row")]
        if "total_row" in table.column_names:  # a ROLLUP: the groups' rows and one over all rows
            for name in names:
                self.groups.setdefault(name, {})
            for row in table.to_pylist():
                if row["total_row"]:
                    self.district.update({name: _plain(row[name]) for name in names})
                elif row["group_key"] is not None:
                    for name in names:
                        self.groups[name][str(row["group_key"])] = _plain(row[name])
            return
        if self.key is None:
            self.district = {name: _plain(table[name][0].as_py()) if table.num_rows else None for name in names}
            return
        keys = [None if k is None else str(k) for k in table["group_key"].to_pylist()]
        for name in names:
            values = [_plain(v) for v in table[name].to_pylist()]
            self.groups[name] = {k: v for k, v in zip(keys, values, strict=True) if k is not None}
            present = [v for v in values if v is not None]
            self.district[name] = math.fsum(present) if present else None


def _conjunction(op: Any) -> Iterator[Any]:
    """The nodes of a mask's chain of ``&``: the mask itself, its operands and theirs."""
    yield op
    if isinstance(op, ops.And):
        yield from _conjunction(op.left)
        yield from _conjunction(op.right)


class Batch:
    """The queries of one window: recorded, then executed, then replayed (see the module).

    ``partitions`` are the window's populations (C, S, O of applications, R of cases): an
    aggregate whose mask is ``population & …`` goes to that population's query, which reads
    only its rows; the others to a query over all rows.
    """

    def __init__(self, backend: Any, partitions: Sequence[Any] = (), cubes: Cubes | None = None,
                 sorted_values: QuantileIndex | None = None) -> None:
        self.backend = backend
        self.cubes = cubes  # the engine's daily pre-aggregates
        self.sorted_values = sorted_values  # the engine's sorted values, for quantiles
        self.replaying = False
        self.partitions = {p.op(): p for p in partitions if not isinstance(p, bool)}
        self._queries: dict[tuple[int, Any, Any], _Query] = {}

    def partition_of(self, mask: Any) -> Any:
        """The first population of :attr:`partitions` the mask is a conjunction with, or None."""
        nodes = set(_conjunction(mask.op()))
        return next((p for op, p in self.partitions.items() if op in nodes), None)

    def query(self, relation: Table, key: Any, partition: Any = None) -> _Query:
        ident = (id(relation), None if key is None else key.op(), None if partition is None else partition.op())
        hit = self._queries.get(ident)
        if hit is None:
            hit = self._queries[ident] = _Query(relation, key, partition)
        return hit

    def execute(self) -> None:
        for q in self._queries.values():
            q.run(self.backend, self.cubes, self.sorted_values)
        self.replaying = True

    @contextmanager
    def active(self) -> Iterator[Batch]:
        token = _CURRENT.set(self)
        try:
            yield self
        finally:
            _CURRENT.reset(token)


def current_batch() -> Batch:
    batch = _CURRENT.get()
    if batch is None:
        raise RuntimeError("a columnar reducer is used outside ColumnarEngine.measures")
    return batch

def counted_quantile(counts: dict[float, int], q: float) -> float | None:
    """The linear-interpolation quantile ``q`` of the values each held ``counts[value]``
    times: exactly what numpy gives for the same values spelt out and sorted."""
    total = sum(counts.values())
    if total == 0:
        return None
    pos = q * (total - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, total - 1)
    v_lo = v_hi = None
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if v_lo is None and seen > lo:
            v_lo = value
        if seen > hi:
            v_hi = value
            break
    assert v_lo is not None and v_hi is not None
    return float(v_lo + (v_hi - v_lo) * (pos - lo))


__all__ = ["Batch", "counted_quantile", "current_batch"]
