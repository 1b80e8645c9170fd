"""Validate one contract table of an import batch, all rows at once.

:func:`validate_table` parses every column with :mod:`data.values`, fills defaults, and
applies every rule of ``data-contract.md``: required values, kinds, enumerations, lengths,
the cross-column rules of each table (time order, status rules, limits), references to
other tables (in the database or in the same batch), duplicate keys within the batch and
the no-future rule.  A table may come in chunks: the keys of earlier chunks are kept
(:class:`~data.batch_keys.BatchKeys`) so that duplicates are found across them.  Each rule is one vectorised mask over the whole table, so a
million-row file is checked in seconds; every bad row is reported, not only the first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.batch_keys import BatchKeys, check_duplicates
from data.contract import Column, Kind, Table
from data.problems import Problem
from data.raw_tables import RawTable, References
from data.rules import TABLE_RULES, Collector
from data.schema import CONTRACT
from data.values import Parsed, parse_column


@dataclass(frozen=True)
class Validated:
    """A table's rows typed with contract ids and stored values (defaults filled), plus its problems."""

    raw: RawTable
    frame: pd.DataFrame
    problems: tuple[Problem, ...]

    @property
    def table(self) -> Table:
        return self.raw.table


_REF_NAMES = {
    "departments": "部门（departments）",
    "service_items": "政务服务事项（service_items）",
    "negative_list": "负面清单事项（negative_list）",
}


def _max_length(table: Table, col: Column) -> int | None:
    return getattr(CONTRACT[table.id].c[col.id].type, "length", None)


_EMPTY_DTYPES = {
    Kind.TEXT: "str", Kind.ENUM: "str", Kind.USCC: "str", Kind.BOOL: "boolean", Kind.INT: "Int64",
    Kind.RATING: "Int64", Kind.NUMBER: "float64", Kind.DATE: "datetime64[ns]", Kind.DATETIME: "datetime64[ns]",
}


def _with_default(col: Column, values: pd.Series) -> pd.Series:
    """Stored values: defaults filled; booleans plain ``bool`` (always known after defaults)."""
    if col.kind is Kind.BOOL:
        return values.fillna(bool(col.default)).astype(bool)
    if col.default is not None:
        filled = values.fillna(col.default)
        return filled.astype("int64") if col.kind is Kind.INT else filled
    return values


def validate_table(raw: RawTable, refs: References, now: dt.datetime, seen: BatchKeys | None = None) -> Validated:
    """Check every rule for one table of the batch; ``now`` is the import moment (local, naive).

    ``raw`` may be one chunk of the table's rows: ``seen`` then holds the keys of the earlier
    chunks, so that a key repeated across chunks is found (:mod:`data.batch_keys`)."""
    table = raw.table
    n = len(raw.frame)
    problems = Collector(raw)
    parsed: dict[str, Parsed] = {}
    values: dict[str, pd.Series] = {}
    present: dict[str, np.ndarray] = {}
    index = pd.RangeIndex(n)
    frame = raw.frame.set_axis(index, axis=0) if not isinstance(raw.frame.index, pd.RangeIndex) else raw.frame
    for col in table.columns:
        if col.id in frame.columns:
            p = parse_column(col, frame[col.id])
            parsed[col.id] = p
            for mask, reason in p.errors:
                problems.add(mask, col, reason)
            if col.required or col.id in table.key:
                problems.add(~p.present, col, "必填项为空", show_value=False)
            vals = p.values
            limit = _max_length(table, col)
            if limit and col.kind in (Kind.TEXT, Kind.USCC, Kind.ENUM):
                too_long = (vals.str.len() > limit).fillna(False).to_numpy(dtype=bool)
                problems.add(too_long, col, f"长度超过 {limit} 个字符")
                vals = vals.mask(too_long)
            values[col.id] = vals
            present[col.id] = p.present
        else:
            values[col.id] = pd.Series(None, index=index, dtype=_EMPTY_DTYPES[col.kind])
            present[col.id] = np.zeros(n, dtype=bool)

    rules = TABLE_RULES.get(table.id)
    if rules is not None:
        rules(table, values, present, problems, refs)
    _check_references(table, values, problems, refs)
    _check_no_future(table, values, problems, now)
    revealed = check_duplicates(table, values, problems, seen)

    typed = pd.DataFrame({c.id: _with_default(c, values[c.id]) for c in table.columns}, index=index)
    return Validated(raw, typed, tuple(problems.problems() + revealed))


# --- generic rules ---------------------------------------------------------------------------

def _check_references(table: Table, values: dict[str, pd.Series], problems: Collector, refs: References) -> None:
    for col in table.columns:
        if col.ref is None:
            continue
        vals = values[col.id]
        has = vals.notna().to_numpy()
        if not has.any():
            continue
        exists = refs.exists(col, vals)
        missing = has & ~exists
        target = _REF_NAMES[col.ref]
        what = "清单版本" if col.id == "version" else "编码"
        problems.add(missing, col, f"引用的{target}中没有该{what}（数据库和本批导入中都没有）")
        if col.id == "street_code":
            ok = has & exists
            types = vals[ok].map(refs.dept_types)
            wrong = types.ne("街道").to_numpy()
            if wrong.any():
                mask = np.zeros(len(vals), dtype=bool)
                mask[np.flatnonzero(ok)[wrong]] = True
                reasons = np.array(
                    [f"街道编码应为部门类型为「街道」的部门（该部门类型为「{t or '未知'}」）" for t in types[wrong]],
                    dtype=object,
                )
                problems.add(mask, col, reasons)


def _check_no_future(table: Table, values: dict[str, pd.Series], problems: Collector, now: dt.datetime) -> None:
    cutoff = pd.Timestamp(now) + pd.Timedelta(days=1)
    for col in table.columns:
        if not col.happened:
            continue
        late = (values[col.id] > cutoff).fillna(False).to_numpy(dtype=bool)
        problems.add(late, col, f"晚于导入时间（{now:%Y-%m-%d %H:%M}）一天以上：已发生的事不能在未来")


__all__ = ["RawTable", "References", "Validated", "validate_table"]
