"""The rows of a refused batch, returned in the file they came from.

From a refused import the user gets each file back in its own format (a CSV file in its
own encoding, or the workbook) with two columns added, 问题 and 所在列, filled on every bad
row, so they can fix the rows in Excel and import the file again.  The two columns are not
contract columns and are ignored without a warning on re-import (:mod:`data.readers`);
when the file already has them (a second round) they are reused and cleared first.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from data.aliases import normalize_name
from data.layout import REJECT_COLUMNS, SheetLayout
from data.problems import Problem, sorted_problems
from data.readers import Source, decode_csv

XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class RejectedFile:
    """One file of a refused batch with its bad rows marked."""

    name: str
    data: bytes
    rows: int
    """How many rows carry a problem."""
    media_type: str


def rejected_name(name: str) -> str:
    path = Path(name)
    return f"{path.stem}_待修改{path.suffix}"


def _notes(problems: Iterable[Problem]) -> dict[tuple[str | None, int], tuple[str, str]]:
    """(sheet, row) → (问题, 所在列) texts for every problem that names a row."""
    reasons: dict[tuple[str | None, int], list[str]] = {}
    columns: dict[tuple[str | None, int], list[str]] = {}
    for p in sorted_problems(problems):
        if p.row is None:
            continue
        key = (p.sheet, p.row)
        text = f"{p.column}：{p.reason}" if p.column else p.reason
        if p.value is not None:
            text += f"（值「{p.value}」）"
        reasons.setdefault(key, []).append(text)
        if p.column and p.column not in columns.setdefault(key, []):
            columns[key].append(p.column)
    return {k: ("；".join(v), "、".join(columns.get(k, []))) for k, v in reasons.items()}


def _positions(header: Sequence[object]) -> list[int]:
    """Where 问题 and 所在列 go: their existing columns, else just after the header."""
    norm = [normalize_name(h) if h is not None else "" for h in header]
    width = len(norm)
    while width and not norm[width - 1]:
        width -= 1
    out = []
    for name in REJECT_COLUMNS:
        n = normalize_name(name)
        if n in norm:
            out.append(norm.index(n))
        else:
            out.append(max([width, *[p + 1 for p in out]]))
    return out


def _csv(source: Source, notes: dict[tuple[str | None, int], tuple[str, str]], header_row: int) -> bytes:
    utf8, encoding = decode_csv(source.data)
    text = utf8.decode("utf-8")
    newline = "\r\n" if "\r\n" in text[:65536] else "\n"
    records = list(csv.reader(io.StringIO(text, newline="")))
    header = records[header_row - 1] if header_row - 1 < len(records) else []
    positions = _positions(header)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    for i, record in enumerate(records, start=1):
        cells = list(record)
        values: tuple[str, str] | None = None
        if i == header_row:
            values = REJECT_COLUMNS
        elif i > header_row:
            values = notes.get((None, i), ("", ""))
        if values is not None:
            cells += [""] * (max(positions) + 1 - len(cells))
            for pos, value in zip(positions, values, strict=True):
                cells[pos] = value
        writer.writerow(cells)
    body = out.getvalue()
    if encoding == "gb18030":
        return body.encode("gb18030")
    return (b"\xef\xbb\xbf" if encoding == "utf-8-sig" else b"") + body.encode("utf-8")


def _xlsx(source: Source, notes: dict[tuple[str | None, int], tuple[str, str]], layouts: Sequence[SheetLayout]) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.load_workbook(io.BytesIO(source.data))
    header_rows = {lay.sheet: lay.header_row for lay in layouts if lay.sheet is not None and lay.table}
    for ws in workbook.worksheets:
        if ws.title not in header_rows or not any(s == ws.title for s, _ in notes):
            continue
        h = header_rows[ws.title]
        header = [c.value for c in ws[h]] if ws.max_row >= h else []
        positions = [p + 1 for p in _positions(header)]
        for col, name in zip(positions, REJECT_COLUMNS, strict=True):
            ws.cell(row=h, column=col, value=name).font = Font(bold=True, color="C00000")
        for row in range(h + 1, ws.max_row + 1):
            values = notes.get((ws.title, row), ("", ""))
            for col, value in zip(positions, values, strict=True):
                ws.cell(row=row, column=col, value=value or None)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rejected_file(source: Source, problems: Sequence[Problem], layouts: Sequence[SheetLayout]) -> RejectedFile | None:
    """``source`` with its bad rows marked, or ``None`` when none of ``problems`` names one of its rows."""
    name = Path(source.name).name
    mine = [p for p in problems if p.file == name]
    own_layouts = [lay for lay in layouts if lay.file == name]
    header_rows = {lay.sheet: lay.header_row for lay in own_layouts}
    notes = {k: v for k, v in _notes(mine).items() if k[1] > header_rows.get(k[0], 1)}
    if not notes:
        return None
    if Path(name).suffix.lower() == ".csv":
        data = _csv(source, notes, header_rows.get(None, 1))
        media = "text/csv"
    else:
        data = _xlsx(source, notes, own_layouts)
        media = XLSX_MEDIA
    return RejectedFile(rejected_name(name), data, len(notes), media)
