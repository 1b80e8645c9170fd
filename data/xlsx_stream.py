"""A workbook opened for a streamed import: each sheet's rows read in chunks.

The workbook is opened once, read-only (openpyxl streams each worksheet's XML), and stays
open until the import is done (:attr:`~data.sheet_streams.OpenedFile.close`).  For each
sheet the first rows decide the table and header exactly as :func:`data.readers.read_excel`
does; the data rows are then read again from the sheet, ``chunk_rows`` at a time, cut or
padded to the header's width, and turned into :class:`~data.sheets.Sheet` chunks by a
:class:`~data.sheets.SheetBuilder`, which fills merged ranges across chunks.  The merged
ranges come from the end of the sheet's XML part, read as a stream.
"""

from __future__ import annotations

import hashlib
import itertools
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from data.csv_chunks import BLOCK, Opener
from data.layout import HEADER_SCAN_ROWS, SheetLayout, header_texts, merged_ranges
from data.locate import Located, locate
from data.problems import Problem
from data.sheet_streams import OpenedFile, SheetStream
from data.sheets import Sheet, SheetBuilder, layout_of
from data.sources import ReadOptions

EXTRA_COLUMNS = "表头右侧还有数据，这些列没有表头，已忽略"


class _SheetRows(SheetStream):
    """One worksheet's data rows below its header, in chunks."""

    def __init__(self, ws: object, builder: SheetBuilder, width: int, chunk_rows: int, total: int) -> None:
        super().__init__(builder.file, builder.sheet, builder.table)
        self._ws, self._builder, self._width, self._chunk_rows = ws, builder, width, chunk_rows
        self._total = max(total, 1)

    def _frame(self, rows: list[tuple[object, ...]]) -> pd.DataFrame:
        if not rows:
            return pd.DataFrame({i: pd.Series([], dtype=object) for i in range(self._width)})
        return pd.DataFrame.from_records(rows, columns=range(self._width)).astype(object)

    def chunks(self) -> Iterator[Sheet]:
        builder, width = self._builder, self._width
        first_row = builder.where.header_index + 2
        extra = False
        batch: list[tuple[object, ...]] = []
        try:
            for values in self._ws.iter_rows(min_row=first_row, values_only=True):  # type: ignore[attr-defined]
                row = tuple(values)
                if len(row) > width:
                    extra = extra or any(v is not None and str(v).strip() for v in row[width:])
                    row = row[:width]
                elif len(row) < width:
                    row = row + (None,) * (width - len(row))
                batch.append(row)
                if len(batch) > self._chunk_rows:  # one row more read: this chunk is not the last
                    body, batch = self._frame(batch[:self._chunk_rows]), batch[self._chunk_rows:]
                    sheet = builder.add(body, first_row, final=False)
                    first_row += len(body)
                    self.done = min((first_row - 1) / self._total, 1.0)
                    if sheet is not None and len(sheet.frame):
                        yield sheet
            sheet = builder.add(self._frame(batch), first_row, final=True)
            self.done, self.last = 1.0, True
            if sheet is not None and len(sheet.frame):
                yield sheet
        finally:
            self.done = 1.0
            problems, warnings, self.layout = builder.finish()
            if extra:
                warnings.append(Problem(self.file, EXTRA_COLUMNS, sheet=self.sheet, table=self.table.id))
            self.problems, self.warnings, self.rows = problems, warnings, builder.rows


def _merges(ws: object, workbook: object) -> list[str]:
    """Merged ranges of a read-only worksheet: its XML part's mergeCells element, found by streaming
    the part (the element follows the sheet's data, so only its tail is kept)."""
    part = getattr(ws, "_worksheet_path", None)
    archive = getattr(workbook, "_archive", None)
    if part is None or archive is None:
        return []
    tail = b""
    found = False
    try:
        with archive.open(part) as fh:
            while block := fh.read(BLOCK):
                tail = tail + block if found else tail[-64:] + block
                if not found and (at := tail.find(b"mergeCells")) >= 0:
                    found, tail = True, tail[max(at - 16, 0):]
    except KeyError:
        return []
    return merged_ranges(tail) if found else []


def _top(ws: object, rows: int) -> list[tuple[object, ...]]:
    return [tuple(r) for r in itertools.islice(ws.iter_rows(min_row=1, values_only=True), rows)]  # type: ignore[attr-defined]


def _sha256(opener: Opener) -> str:
    digest = hashlib.sha256()
    with opener() as fh:
        while block := fh.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


def open_workbook(path: Path, opener: Opener, file: str, options: ReadOptions, chunk_rows: int) -> OpenedFile:
    """Open a workbook: a stream per sheet holding a table (chosen, by mapping, by name or by headers)."""
    import openpyxl  # deferred: only Excel imports need it
    from openpyxl.utils.exceptions import InvalidFileException

    digest = _sha256(opener)
    try:
        workbook = openpyxl.load_workbook(opener(), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        reason = f"无法打开 Excel 文件（{err.__class__.__name__}），请确认是 .xlsx 格式且未损坏"
        return OpenedFile(file, path, digest, problems=(Problem(file, reason),))
    streams: list[SheetStream] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    order: list[SheetLayout | SheetStream] = []
    unknown: list[tuple[str, Located]] = []
    for ws in workbook.worksheets:
        declared = int(getattr(ws, "max_row", 0) or 0)  # the sheet's stated size, to estimate progress
        ws.reset_dimensions()  # type: ignore[union-attr]
        top = _top(ws, HEADER_SCAN_ROWS)
        where = locate(top, stem=ws.title, by_name="工作表名", chosen_table=options.table_choice(file, ws.title),
                       chosen_mapping=options.mapping_choice(file, ws.title), saved=options.saved)
        if where.table is None:
            if any(any(header_texts(r)) for r in top):
                unknown.append((ws.title, where))
                order.append(layout_of(file, ws.title, where))
            continue
        if where.header_index >= len(top):
            top = _top(ws, where.header_index + 1)
        stream = _sheet(ws, workbook, file, where, top, chunk_rows, declared, problems, warnings)
        if isinstance(stream, SheetStream):
            streams.append(stream)
        order.append(stream)
    for name, where in unknown:
        reason = where.problem or ""
        if (streams or problems) and not where.candidates and not where.has_header:
            warnings.append(Problem(file, f"{reason}；已忽略该工作表", sheet=name))
        else:
            problems.append(Problem(file, reason, sheet=name))
    if not streams and not problems and not unknown:
        problems.append(Problem(file, "工作簿中没有数据（所有工作表都为空）"))
    if not streams:
        workbook.close()
    return OpenedFile(file, path, digest, tuple(streams), tuple(problems), tuple(warnings), tuple(order),
                      close=workbook.close if streams else None)


def _sheet(ws: object, workbook: object, file: str, where: Located, top: Sequence[tuple[object, ...]],
           chunk_rows: int, total: int, problems: list[Problem], warnings: list[Problem]) -> SheetStream | SheetLayout:
    """The stream of one located sheet, or (when it cannot be imported) its layout, its problems noted."""
    title: str = ws.title  # type: ignore[attr-defined]
    assert where.table is not None
    header = list(top[where.header_index]) if where.header_index < len(top) else []
    while header and (header[-1] is None or not str(header[-1]).strip()):
        header.pop()
    if not header:
        problems.append(Problem(file, "工作表为空（没有表头）", sheet=title, table=where.table.id))
        return layout_of(file, title, where)
    builder = SheetBuilder(file, title, where, header, _merges(ws, workbook))
    if not builder.ok:
        found, warns, layout = builder.finish()
        problems += found
        warnings += warns
        return layout
    return _SheetRows(ws, builder, len(header), chunk_rows, total)
