"""Turn the located grid of one CSV file or sheet into a :class:`Sheet` of raw contract columns.

Given where the table is (:mod:`data.locate`), the header cells and the positional body
rows, :func:`finish_sheet` skips total and footnote rows, fills merged ranges, matches the
headers to contract columns (ids, Chinese names, aliases, the saved mapping's choices),
drops blank rows, applies the mapping's value rewrites and describes all of it as a
:class:`~data.layout.SheetLayout`.  Every kept row keeps its Excel row number.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data import contract
from data.aliases import column_names, normalize_name
from data.layout import REJECT_COLUMNS, RewriteCount, SheetLayout, fill_merged, fingerprint, skip_rows
from data.locate import Located
from data.mappings import SavedMapping, apply_rewrites
from data.problems import Problem, column_label


@dataclass(frozen=True)
class Sheet:
    """One table read from a file: a CSV file or one Excel sheet.

    ``frame`` has one column per recognised contract column (named by id) holding the raw
    cells of the data rows; ``rows`` holds each data row's Excel row number.
    """

    file: str
    sheet: str | None
    table: contract.Table
    frame: pd.DataFrame
    rows: np.ndarray


def _is_blank(series: pd.Series) -> np.ndarray:
    """Cells that are empty or only spaces."""
    if series.dtype == object:
        text = series.map(lambda v: v if v is None or isinstance(v, str) else "x", na_action="ignore")
        text = text.astype("str")
    else:
        text = series
    return (text.isna() | (text.str.strip() == "")).to_numpy()  # type: ignore[no-any-return]


def _blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows in which every cell is empty or only spaces (checked column by column on fewer rows)."""
    candidates = np.arange(len(frame))
    for cid in frame.columns:
        if not len(candidates):
            break
        candidates = candidates[_is_blank(frame[cid].iloc[candidates])]
    blank = np.zeros(len(frame), dtype=bool)
    blank[candidates] = True
    return blank


def header_lookup(table: contract.Table, mapping: SavedMapping | None = None) -> dict[str, str]:
    """Normalised header → column id of ``table`` (ids, Chinese names, aliases, then the mapping's own
    choices, where "" means a column deliberately ignored)."""
    lookup = dict(column_names(table.id))
    if mapping is not None:
        lookup.update(mapping.lookup())
    return lookup


_IGNORED = frozenset(normalize_name(c) for c in REJECT_COLUMNS)


def build_sheet(
    file: str, sheet: str | None, table: contract.Table, headers: Sequence[object], body: pd.DataFrame,
    first_row: int = 2, *, lookup: Mapping[str, str] | None = None, skip: np.ndarray | None = None,
) -> tuple[Sheet | None, list[Problem], list[Problem]]:
    """Match ``headers`` to ``table``'s columns and keep the non-blank data rows of ``body``.

    ``body`` has one positional column per header; its row ``i`` is Excel row ``first_row + i``
    (the header is row ``first_row - 1``); rows of ``skip`` are left out (totals, footnotes).
    ``lookup`` maps normalised headers to column ids (default :func:`header_lookup`).
    Returns the sheet (``None`` when a required column is missing or a column is duplicated),
    problems and warnings.
    """
    problems: list[Problem] = []
    warnings: list[Problem] = []
    header_row = first_row - 1

    def at(reason: str, row: int | None = header_row, column: str | None = None) -> Problem:
        return Problem(file=file, reason=reason, sheet=sheet, table=table.id, row=row, column=column)

    names = header_lookup(table) if lookup is None else lookup
    chosen: dict[str, int] = {}
    for pos, header in enumerate(headers):
        name = "" if header is None else str(header).strip()
        if not name:
            if pos < body.shape[1] and not _is_blank(body.iloc[:, pos]).all():
                warnings.append(at(f"第 {pos + 1} 列没有表头，已忽略该列"))
            continue
        norm = normalize_name(name)
        cid = names.get(norm)
        if not cid:
            if cid is None and norm not in _IGNORED:
                warnings.append(at("不是该表的列，已忽略", column=name))
            continue
        col = table.column(cid)
        if col.id in chosen:
            first = headers[chosen[col.id]]
            problems.append(at(
                f"列重复：第 {chosen[col.id] + 1} 列「{first}」与第 {pos + 1} 列「{name}」是同一列",
                column=column_label(col),
            ))
            continue
        chosen[col.id] = pos
    for col in table.columns:
        if (col.required or col.id in table.key) and col.id not in chosen:
            problems.append(at("缺少必填列", column=column_label(col)))
    if problems:
        return None, problems, warnings
    ordered = [c.id for c in table.columns if c.id in chosen]
    frame = pd.DataFrame({cid: body.iloc[:, chosen[cid]] for cid in ordered}, index=body.index)
    rows = np.arange(first_row, first_row + len(body), dtype=np.int64)
    blank = _blank_rows(frame)
    if skip is not None:
        blank |= skip
    if blank.any():
        frame = frame[~blank]
        rows = rows[~blank]
    frame = frame.reset_index(drop=True)
    if frame.empty:
        warnings.append(at("没有数据行", row=None))
    return Sheet(file, sheet, table, frame, rows), problems, warnings


def layout_of(file: str, sheet: str | None, where: Located, **kw: object) -> SheetLayout:
    return SheetLayout(
        file=file, sheet=sheet, table=where.table.id if where.table else None, how=where.how,
        candidates=where.candidates, header_row=where.header_index + 1, headers=where.headers,
        fingerprint=fingerprint(where.headers), mapping=where.mapping.name if where.mapping else None,
        **kw,  # type: ignore[arg-type]
    )


def finish_sheet(
    file: str, sheet_name: str | None, where: Located, headers: Sequence[object], body: pd.DataFrame,
    merges: Sequence[str] = (),
) -> tuple[Sheet | None, list[Problem], list[Problem], SheetLayout]:
    """Skip totals and footnotes, fill merged ranges, match columns and apply the mapping's rewrites."""
    assert where.table is not None
    table = where.table
    first_row = where.header_index + 2
    skip, skipped = skip_rows(body, first_row)
    filled = fill_merged(body, merges, where.header_index + 1, skip) if merges else ()
    lookup = header_lookup(table, where.mapping)
    sheet, problems, warnings = build_sheet(file, sheet_name, table, headers, body, first_row,
                                            lookup=lookup, skip=skip if skipped else None)
    rewrites: tuple[RewriteCount, ...] = ()
    if where.mapping is not None and fingerprint(where.headers) != where.mapping.fingerprint:
        warnings.insert(0, Problem(file, f"表头与导入模板「{where.mapping.name}」保存时的表头不完全相同，请核对列的对应",
                                sheet=sheet_name, table=table.id, row=where.header_index + 1))
    if sheet is not None and where.mapping is not None:
        frame, rewrites = apply_rewrites(table, sheet.frame, where.mapping.rewrite_table())
        sheet = dataclasses.replace(sheet, frame=frame)
    columns = tuple((h, lookup.get(normalize_name(h)) or None) for h in where.headers if h)
    layout = layout_of(file, sheet_name, where, columns=columns, skipped=skipped, filled=filled, rewrites=rewrites)
    return sheet, problems, warnings, layout
