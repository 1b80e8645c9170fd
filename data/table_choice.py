"""Which contract table a file or sheet holds, when its name does not say.

A file named 区住建局2026年11月办件明细导出.csv or a sheet named Sheet1 names no table; its
headers (ids, Chinese names and aliases of :mod:`data.aliases`) usually do.  A table *fits*
when the headers name all its required and key columns.  Exactly one fitting table is
taken; when none or several fit, the reason says so in Chinese and the caller must choose
(import page: a select per file or sheet; CLI: ``--table FILE=TABLE``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from data import contract
from data.aliases import column_names, normalize_name


@dataclass(frozen=True)
class TableGuess:
    """The table recognised from headers (``None`` unless exactly one fits) and why."""

    table: contract.Table | None
    candidates: tuple[str, ...]
    reason: str | None = None


def table_named(name: str) -> contract.Table | None:
    """The contract table a file stem, sheet name or user choice names (id or Chinese name)."""
    norm = normalize_name(name)
    for table in contract.TABLES:
        if norm in (normalize_name(table.id), normalize_name(table.zh)):
            return table
    return None


def matched_columns(table: contract.Table, headers: Sequence[str]) -> set[str]:
    """The column ids of ``table`` that ``headers`` name."""
    names = column_names(table.id)
    return {cid for h in headers if h and (cid := names.get(normalize_name(h))) is not None}


def fits(table: contract.Table, headers: Sequence[str]) -> bool:
    needed = {c.id for c in table.columns if c.required or c.id in table.key}
    return needed <= matched_columns(table, headers)


def table_list() -> str:
    return "、".join(f"{t.zh}（{t.id}）" for t in contract.TABLES)


def recognise(headers: Sequence[str], name: str | None = None) -> TableGuess:
    """The one table the headers fit, or why there is none (``name``: the file stem or sheet name)."""
    fitting = tuple(t.id for t in contract.TABLES if fits(t, headers))
    if len(fitting) == 1:
        return TableGuess(contract.TABLES_BY_ID[fitting[0]], fitting)
    if fitting:
        names = "、".join(f"{contract.TABLES_BY_ID[t].zh}（{t}）" for t in fitting)
        return TableGuess(None, fitting, f"表头同时符合多张表：{names}，请选择要导入的表")
    best = max(contract.TABLES, key=lambda t: len(matched_columns(t, headers)))
    hint = ""
    if matched_columns(best, headers):
        missing = [c.zh for c in best.columns if (c.required or c.id in best.key)
                   and c.id not in matched_columns(best, headers)]
        hint = f"；最接近的是{best.zh}（{best.id}），但缺少必填列：{'、'.join(missing)}"
    named = f"「{name}」不是数据合同中的表名，也" if name else ""
    return TableGuess(None, (), f"{named}无法从表头识别是哪张表{hint}。请选择要导入的表（{table_list()}）")
