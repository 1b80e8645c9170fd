"""Turn the located grid of one CSV file or sheet into a :class:`Sheet` of raw contract columns.

Given where the table is (:mod:`data.locate`), the header cells and the positional body
rows, :func:`finish_sheet` skips total and footnote rows, fills merged ranges, matches the
headers to contract columns (ids, Chinese names, aliases, the saved mapping's choices),
drops blank rows, applies the mapping's value rewrites and describes all of it as a
:class:`~data.layout.SheetLayout`.  Every kept row keeps its Excel row number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data import contract
from data.aliases import column_names, normalize_name
from data.layout import (
    REJECT_COLUMNS,
    RewriteCount,
    SheetLayout,
    SkippedRow,
    fill_merged,
    fingerprint,
    skip_rows,
    trailing_start,
)
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


@dataclass
class _Columns:
    """The header matched once: contract column → position, and the header's problems and warnings."""

    chosen: dict[str, int]
    problems: list[Problem]
    warnings: list[tuple[int, Problem]]
    """Warnings with the header position they concern (kept in header order)."""
    headerless: list[int]
    """Positions without a header: a warning if any data row has a value there."""


def _match(file: str, sheet: str | None, table: contract.Table, headers: Sequence[object], header_row: int,
           names: Mapping[str, str]) -> _Columns:
    def at(reason: str, column: str | None = None) -> Problem:
        return Problem(file=file, reason=reason, sheet=sheet, table=table.id, row=header_row, column=column)

    out = _Columns({}, [], [], [])
    for pos, header in enumerate(headers):
        name = "" if header is None else str(header).strip()
        if not name:
            out.headerless.append(pos)
            continue
        norm = normalize_name(name)
        cid = names.get(norm)
        if not cid:
            if cid is None and norm not in _IGNORED:
                out.warnings.append((pos, at("不是该表的列，已忽略", column=name)))
            continue
        col = table.column(cid)
        if col.id in out.chosen:
            first = headers[out.chosen[col.id]]
            out.problems.append(at(
                f"列重复：第 {out.chosen[col.id] + 1} 列「{first}」与第 {pos + 1} 列「{name}」是同一列",
                column=column_label(col),
            ))
            continue
        out.chosen[col.id] = pos
    for col in table.columns:
        if (col.required or col.id in table.key) and col.id not in out.chosen:
            out.problems.append(at("缺少必填列", column=column_label(col)))
    return out


class SheetBuilder:
    """The data rows of one located sheet, added in chunks (:meth:`add`), as :class:`Sheet` chunks.

    The header is matched once; each chunk's totals are skipped, merged ranges filled, blank
    rows dropped and the mapping's rewrites applied, and every kept row keeps its Excel row.
    Rows at the end of a chunk that may be footnotes are held back for the next chunk, so
    footnotes are recognised only at the sheet's real end, as in a whole sheet.  What was done
    is summed up by :meth:`finish`.  With one chunk it is exactly :func:`finish_sheet`.
    """

    def __init__(self, file: str, sheet: str | None, where: Located, headers: Sequence[object],
                 merges: Sequence[str] = ()) -> None:
        assert where.table is not None
        self.file, self.sheet, self.where, self.merges = file, sheet, where, merges
        self.table = where.table
        self.lookup = header_lookup(self.table, where.mapping)
        self.columns = _match(file, sheet, self.table, headers, where.header_index + 1, self.lookup)
        self.rewrite_table = where.mapping.rewrite_table() if where.mapping is not None else None
        self.rows = 0
        self._seen_headerless: set[int] = set()
        self._skipped: list[SkippedRow] = []
        self._filled: list[str] = []
        self._rewrites: dict[tuple[str, str, str], int] = {}
        self._merged: dict[str, object] = {}
        """Values of merged ranges going on below the chunks read so far."""
        self._carry: pd.DataFrame | None = None
        self._carry_row = 0

    @property
    def ok(self) -> bool:
        """Whether the header fits the table (no missing or duplicated column)."""
        return not self.columns.problems

    def add(self, body: pd.DataFrame, first_row: int, final: bool) -> Sheet | None:
        """The kept rows of ``body`` (positional columns; row ``i`` is Excel row ``first_row + i``)."""
        if self._carry is not None and len(self._carry):
            body = pd.concat([self._carry, body], ignore_index=True)
            first_row = self._carry_row
        self._carry = None
        if not final:
            keep = trailing_start(body)
            if keep < len(body):
                self._carry, self._carry_row = body.iloc[keep:].reset_index(drop=True), first_row + keep
                body = body.iloc[:keep]
        for pos in self.columns.headerless:
            if pos not in self._seen_headerless and pos < body.shape[1] and not _is_blank(body.iloc[:, pos]).all():
                self._seen_headerless.add(pos)
        skip, skipped = skip_rows(body, first_row, tail=final)
        self._skipped += skipped
        if self.merges:
            self._filled += fill_merged(body, self.merges, first_row - 1, skip, self._merged)
        if not self.ok:
            return None
        ordered = [c.id for c in self.table.columns if c.id in self.columns.chosen]
        frame = pd.DataFrame({cid: body.iloc[:, self.columns.chosen[cid]] for cid in ordered}, index=body.index)
        rows = np.arange(first_row, first_row + len(body), dtype=np.int64)
        blank = _blank_rows(frame) | skip
        if blank.any():
            frame = frame[~blank]
            rows = rows[~blank]
        frame = frame.reset_index(drop=True)
        if self.rewrite_table is not None:
            frame, counts = apply_rewrites(self.table, frame, self.rewrite_table)
            for c in counts:
                key = (c.column, c.source, c.target)
                self._rewrites[key] = self._rewrites.get(key, 0) + c.count
        self.rows += len(frame)
        return Sheet(self.file, self.sheet, self.table, frame, rows)

    def finish(self) -> tuple[list[Problem], list[Problem], SheetLayout]:
        """The sheet's problems, warnings and layout, once every chunk was added."""
        where, table = self.where, self.table
        header_row = where.header_index + 1
        noted = list(self.columns.warnings) + [
            (pos, Problem(self.file, f"第 {pos + 1} 列没有表头，已忽略该列", sheet=self.sheet, table=table.id,
                          row=header_row))
            for pos in sorted(self._seen_headerless)
        ]
        warnings = [w for _, w in sorted(noted, key=lambda pw: pw[0])]
        if self.ok and not self.rows:
            warnings.append(Problem(self.file, "没有数据行", sheet=self.sheet, table=table.id))
        if where.mapping is not None and fingerprint(where.headers) != where.mapping.fingerprint:
            warnings.insert(0, Problem(self.file, f"表头与导入模板「{where.mapping.name}」保存时的表头不完全相同，请核对列的对应",
                                       sheet=self.sheet, table=table.id, row=header_row))
        rewrites = tuple(RewriteCount(c, s, t, n) for (c, s, t), n in self._rewrites.items())
        columns = tuple((h, self.lookup.get(normalize_name(h)) or None) for h in where.headers if h)
        layout = layout_of(self.file, self.sheet, where, columns=columns, skipped=tuple(self._skipped),
                           filled=tuple(self._filled), rewrites=rewrites)
        return list(self.columns.problems), warnings, layout


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
    """Skip totals and footnotes, fill merged ranges, match columns and apply the mapping's rewrites
    (a whole sheet: :class:`SheetBuilder` with one chunk)."""
    builder = SheetBuilder(file, sheet_name, where, headers, merges)
    sheet = builder.add(body, where.header_index + 2, final=True)
    problems, warnings, layout = builder.finish()
    return sheet, problems, warnings, layout
