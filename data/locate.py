"""Decide, for one CSV file or sheet, which table it holds, where its header is and which
saved mapping applies, from its first rows and the caller's choices.

Order of precedence: a table the caller chose; a mapping the caller chose by name; a saved
mapping whose header fingerprint matches one of the first rows; the table the file stem or
sheet name names; the one table the headers fit.  A mapping is applied only to its own
table: an automatic match for another table than the chosen one is passed over, a chosen
one is a problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from data import contract
from data.aliases import all_names, column_names
from data.layout import HEADER_SCAN_ROWS, find_header, fingerprint, first_nonblank, header_texts
from data.mappings import SavedMapping
from data.table_choice import recognise, table_list, table_named


@dataclass(frozen=True)
class Located:
    """Where one source's table is: the table (``None`` with ``problem`` when not decided)."""

    table: contract.Table | None
    header_index: int
    """0-based position of the header among the sheet's rows (Excel row = index + 1)."""
    headers: tuple[str, ...]
    how: str
    candidates: tuple[str, ...] = ()
    mapping: SavedMapping | None = None
    problem: str | None = None
    has_header: bool = False
    """Whether a row naming at least two known columns was found (looks like a data table)."""


def _header_at(top: Sequence[Sequence[object]], index: int) -> tuple[str, ...]:
    return tuple(header_texts(top[index])) if index < len(top) else ()


def locate(
    top: Sequence[Sequence[object]], *, stem: str, by_name: str, chosen_table: str | None,
    chosen_mapping: str | None, saved: Sequence[SavedMapping],
) -> Located:
    """Decide for a source whose first rows are ``top`` (``by_name``: 文件名 or 工作表名)."""
    top = list(top[:HEADER_SCAN_ROWS])
    mapping: SavedMapping | None = None
    index: int | None = None
    if chosen_mapping:
        mapping = next((m for m in saved if m.name == chosen_mapping.strip()), None)
        if mapping is None:
            names = "、".join(m.name for m in saved) or "无"
            return Located(None, 0, (), "", problem=f"没有名为「{chosen_mapping}」的导入模板（已有：{names}）")
        index = next((i for i, r in enumerate(top) if fingerprint(header_texts(r)) == mapping.fingerprint),
                     mapping.header_row - 1)
    else:
        prints = {fingerprint(header_texts(r)): i for i, r in reversed(list(enumerate(top))) if any(header_texts(r))}
        mapping = next((m for m in saved if m.fingerprint in prints), None)
        index = prints[mapping.fingerprint] if mapping is not None else None

    if chosen_table:
        table = table_named(chosen_table)
        if table is None:
            return Located(None, 0, (), "所选", problem=f"「{chosen_table}」不是数据合同中的表名（应为：{table_list()}）")
        if mapping is not None and mapping.table != table.id:
            if chosen_mapping:
                zh = contract.TABLES_BY_ID[mapping.table].zh
                return Located(None, 0, (), "所选",
                               problem=f"导入模板「{mapping.name}」用于{zh}（{mapping.table}），与所选的{table.zh}（{table.id}）不符")
            mapping, index = None, None
        how = "所选"
    elif mapping is not None:
        table, how = contract.TABLES_BY_ID[mapping.table], "模板"
    else:
        table, how = table_named(stem), by_name

    if index is None:
        found = find_header(top, column_names(table.id) if table is not None else all_names())
        index = found if found is not None else first_nonblank(top)
        has_header = found is not None
    else:
        has_header = True
    headers = _header_at(top, index)
    if table is not None:
        return Located(table, index, headers, how, (table.id,), mapping, has_header=has_header)
    guess = recognise(headers, stem)
    if guess.table is None:
        return Located(None, index, headers, "", guess.candidates, problem=guess.reason, has_header=has_header)
    return Located(guess.table, index, headers, "表头", guess.candidates, has_header=has_header)
