"""The reductions of :class:`~metrics.grouping.Reducer` as aggregates of a window's
:class:`~metrics.columnar.batch.Batch`, and the grouping that hands them out.

While the batch records, each call names the aggregates it needs and returns empty
measures; once the batch has run, the same calls return the real ones (see
:mod:`metrics.columnar.batch`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import ibis
import numpy as np
from ibis.expr.types import Table

from metrics.columnar.batch import Batch, Spec, current_batch
from metrics.grouping import Grouping, Measure, Reducer


def as_expression(mask: Any) -> Any:
    """A mask as a boolean expression (``True`` stands for every row)."""
    if isinstance(mask, bool | np.bool_):
        return ibis.literal(bool(mask))
    return mask


class ColumnarReducer(Reducer):
    """:class:`~metrics.grouping.Reducer`'s reductions as aggregates of a :class:`Batch`."""

    def __init__(self, batch: Batch, relation: Table, key: Any, keys: Sequence[str]) -> None:
        super().__init__(None, len(keys))
        self.batch = batch
        self.relation = relation
        self.key = key
        self.keys = tuple(keys)

    @property
    def grouped(self) -> bool:
        return self.key is not None

    def _values(self, spec: Spec, additive: bool) -> tuple[Any, list[Any] | None]:
        """(district value, value per group key) of an aggregate; None while recording."""
        grouped = self.key is not None
        part = self.batch.partition_of(spec[1])
        # a district count or sum is the sum over the groups; a grouped quantile's district
        # value is the ROLLUP row of the groups' query
        district_q = self.batch.query(self.relation, self.key if grouped else None, part)
        d_name = district_q.name_of(spec, total=grouped and not additive)
        group_q = district_q if grouped else None
        g_name = d_name if grouped else None
        if not self.batch.replaying:
            return None, ([None] * len(self.keys) if grouped else None)
        district = district_q.district.get(d_name)
        if group_q is None or g_name is None:
            return district, None
        per = group_q.groups.get(g_name, {})
        return district, [per.get(k) for k in self.keys]

    def _count(self, mask: Any) -> tuple[int, list[int] | None]:
        d, g = self._values(("count", as_expression(mask), None, None), additive=True)
        return int(d or 0), None if g is None else [int(v or 0) for v in g]

    def _sum(self, values: Any, mask: Any) -> tuple[Any, list[Any] | None]:
        return self._values(("sum", as_expression(mask), values, None), additive=True)

    def count(self, mask: Any) -> Measure:
        d, g = self._count(mask)
        return Measure(d, g)

    def ratio(self, num: Any, den: Any) -> Measure:
        d_den, g_den = self._count(den)
        d_num, g_num = self._count(as_expression(num) & as_expression(den))
        return Measure(_share(d_num, d_den), None if g_den is None else
                       [_share(n, d) for n, d in zip(g_num or [], g_den, strict=True)])

    def mean(self, values: Any, mask: Any) -> Measure:
        d_n, g_n = self._count(mask)
        d_s, g_s = self._sum(values, mask)
        return Measure(_share(d_s, d_n), None if g_n is None else
                       [_share(s, n) for s, n in zip(g_s or [], g_n, strict=True)])

    def sum_ratio(self, num: Any, den: Any, mask: Any) -> Measure:
        d_n, _g_n = self._count(mask)
        d_num, g_num = self._sum(num, mask)
        d_den, g_den = self._sum(den, mask)
        district = _share(d_num, d_den) if d_n else None
        return Measure(district, None if g_den is None else
                       [_share(n, d) for n, d in zip(g_num or [], g_den, strict=True)])

    def quantiles(self, values: Any, mask: Any, qs: Sequence[float], order: Any = None) -> list[Measure]:
        """Integer values (working days) from their histogram, in the groups' query; other
        values by the database's ``quantile_cont`` / ``percentile_cont``."""
        whole = values.type().is_integer()
        out = []
        for q in qs:
            d, g = self._values(("int_quantile" if whole else "quantile", as_expression(mask), values, q), additive=whole)
            out.append(Measure(d, g))
        return out


def _share(num: Any, den: Any) -> float | None:
    """num / den, None when den is 0 or unknown (an empty denominator is never 0)."""
    if num is None or not den:
        return None
    return float(num) / float(den)


@dataclass(frozen=True)
class ColumnarGrouping(Grouping):
    """A :class:`~metrics.grouping.Grouping` whose applications and cases are grouped by a key
    expression in the database (``apps`` / ``cases`` hold the key, or None for no breakdown);
    the small tables keep their numpy codes."""

    relations: dict[str, Table] = field(default_factory=dict, compare=False, repr=False)

    def reducer(self, table: str) -> Reducer:
        if table in self.relations:
            return ColumnarReducer(current_batch(), self.relations[table], getattr(self, table), self.keys)
        return super().reducer(table)


__all__ = ["ColumnarGrouping", "ColumnarReducer", "as_expression"]
