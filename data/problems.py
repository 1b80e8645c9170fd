"""What is wrong with an import, as the user must see it.

A :class:`Problem` names the file, the sheet (Excel) and the contract table, the row as
numbered in Excel (header = row 1), the column (Chinese name and id), the cell's value and
the reason in Chinese.  Readers and validators produce them; the importer, the command
line and the dashboard only display them.  Warnings (ignored columns or sheets) use the
same shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from data.contract import TABLES_BY_ID, Column


def column_label(col: Column) -> str:
    """How a column is named in messages: ``受理时间 (accepted_at)``."""
    return f"{col.zh} ({col.id})"


@dataclass(frozen=True)
class Problem:
    """One bad cell, row, column or file (or a warning of the same shape)."""

    file: str
    reason: str
    sheet: str | None = None
    table: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def describe(self) -> str:
        """The problem as one Chinese line: where, what value, why."""
        where = [f"文件「{self.file}」"]
        if self.sheet is not None:
            where.append(f"工作表「{self.sheet}」")
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.column is not None:
            where.append(f"列「{self.column}」")
        text = "，".join(where)
        if self.value is not None:
            text += f"，值「{self.value}」"
        return f"{text}：{self.reason}"

    def sort_key(self) -> tuple[str, str, int, int]:
        """Reading order: file, sheet, row, then the column's position in the contract."""
        return (self.file, self.sheet or "", self.row or 0, _column_position(self.table, self.column))


def _column_position(table_id: str | None, label: str | None) -> int:
    table = TABLES_BY_ID.get(table_id or "")
    if table is None or label is None:
        return -1
    for i, col in enumerate(table.columns):
        if column_label(col) == label:
            return i
    return len(table.columns)


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in reading order: by file, sheet, row and column (stable otherwise)."""
    return sorted(problems, key=Problem.sort_key)
