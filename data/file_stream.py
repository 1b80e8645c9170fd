"""Import files opened for a streamed import: each table's rows come in chunks, never the whole file.

:func:`open_file` reads what is needed to know a file (its SHA-256 and encoding in one
pass over the bytes, then the top rows to find the table and header, as
:mod:`data.readers` does) and returns an :class:`OpenedFile` whose :class:`SheetStream`\\ s
yield the data rows as :class:`~data.sheets.Sheet` chunks of about ``chunk_rows`` records,
with their real row numbers (:mod:`data.csv_chunks`, :class:`~data.sheets.SheetBuilder`).
A CSV file is streamed here, a workbook sheet by sheet (:mod:`data.xlsx_stream`).  Problems
found only while streaming (a record that cannot be parsed) are added to the stream's problems
when met.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from data import csv_chunks
from data.csv_chunks import CHUNK_ROWS, Opener
from data.locate import locate
from data.problems import Problem
from data.readers import (
    CSV_SUFFIXES,
    EXCEL_SUFFIXES,
    FileRead,
    ReadOptions,
    Source,
    csv_error,
    csv_top,
    read_bytes,
    table_for,
)
from data.sheet_streams import OpenedFile, SheetStream
from data.sheets import Sheet, SheetBuilder, layout_of
from data.xlsx_stream import open_workbook


class _CsvStream(SheetStream):
    """A CSV file's data rows, parsed chunk by chunk after its header record."""

    def __init__(self, file: str, opener: Opener, encoding: str, size: int, header: bytes, body_start: int,
                 builder: SheetBuilder, chunk_rows: int) -> None:
        assert builder.table is not None
        super().__init__(file, None, builder.table)
        self._opener, self._encoding, self._size = opener, encoding, max(size, 1)
        self._header, self._start, self._builder, self._chunk_rows = header, body_start, builder, chunk_rows
        self.problems = []

    def _body_blocks(self) -> Iterator[bytes]:
        skip = self._start
        for block in csv_chunks.utf8_blocks(self._opener, self._encoding):
            if skip >= len(block):
                skip -= len(block)
                continue
            yield block[skip:] if skip else block
            skip = 0

    def chunks(self) -> Iterator[Sheet]:
        builder = self._builder
        first_row = builder.where.header_index + 2
        lines_before = builder.where.header_index + 1
        consumed = self._start
        width = len(self._header_fields())
        try:
            for data, final in csv_chunks.record_chunks(self._body_blocks(), self._chunk_rows):
                consumed += len(data)
                self.done = min(consumed / self._size, 1.0)
                if data:
                    try:
                        body = csv_chunks.parse_records(self._header, data)
                    except (pd.errors.ParserError, ValueError) as err:
                        reason = f"无法解析 CSV 文件：{csv_error(err, lines_before - 1)}"
                        self.problems.append(Problem(self.file, reason, table=self.table.id))
                        return
                else:
                    body = pd.DataFrame({i: pd.Series([], dtype="str") for i in range(width)})
                lines_before += data.count(b"\n")
                sheet = builder.add(body, first_row, final)
                first_row += len(body)
                if sheet is not None and len(sheet.frame):
                    self.last = final
                    yield sheet
        finally:
            self.done = 1.0
            problems, warnings, self.layout = builder.finish()
            self.problems = problems + self.problems
            self.warnings = warnings
            self.rows = builder.rows

    def _header_fields(self) -> list[str | None]:
        return header_cells(self._header)


def header_cells(header: bytes) -> list[str | None]:
    """The cells of a CSV header record."""
    raw = csv_chunks.csv_frame(header)
    return [None if pd.isna(h) else str(h) for h in raw.iloc[0].tolist()] if len(raw) else []


def _opener(item: Path | Source) -> Opener:
    if isinstance(item, Source):
        data = item.data
        return lambda: io.BytesIO(data)
    path = item
    return lambda: path.open("rb")


def open_file(item: str | Path | Source, options: ReadOptions | None = None,
              chunk_rows: int = CHUNK_ROWS) -> OpenedFile:
    """Open one import file (CSV or .xlsx, a path or an uploaded :class:`Source`); never raises for bad content."""
    options = options or ReadOptions()
    path = Path(item.name) if isinstance(item, Source) else Path(item)
    suffix = path.suffix.lower()
    opener = _opener(item if isinstance(item, Source) else path)
    try:
        if suffix in CSV_SUFFIXES:
            return _open_csv(path, opener, path.name, options, chunk_rows)
        size = len(item.data) if isinstance(item, Source) else path.stat().st_size
        if suffix in EXCEL_SUFFIXES and size:  # an empty workbook is refused by read_bytes
            return open_workbook(path, opener, path.name, options, chunk_rows)
        data = item.data if isinstance(item, Source) else path.read_bytes()
    except OSError as err:
        return OpenedFile.of(_unreadable(path, err))
    return OpenedFile.of(read_bytes(path, data, options))


def read_through(item: str | Path | Source, options: ReadOptions | None = None,
                 chunk_rows: int = CHUNK_ROWS) -> FileRead:
    """Read a file to its end in chunks and keep what was found (layouts, problems, warnings), not
    its rows: how a file would be imported (:func:`data.import_service.propose`), in bounded memory."""
    opened = open_file(item, options, chunk_rows)
    try:
        for stream in opened.streams:
            for _ in stream.chunks():
                pass
    finally:
        if opened.close is not None:
            opened.close()
    problems = opened.problems + tuple(p for s in opened.streams for p in s.problems)
    warnings = opened.warnings + tuple(w for s in opened.streams for w in s.warnings)
    return FileRead(opened.file, opened.path, opened.sha256, (), problems, warnings, opened.layouts)


def _unreadable(path: Path, err: OSError) -> FileRead:
    reason = "文件不存在" if isinstance(err, FileNotFoundError) else f"无法读取文件（{err.strerror or err}）"
    return FileRead(path.name, path, "", problems=(Problem(path.name, reason),))


def _open_csv(path: Path, opener: Opener, file: str, options: ReadOptions, chunk_rows: int) -> OpenedFile:
    found = csv_chunks.scan(opener)
    digest = found.sha256
    if found.encoding is None:
        reason = "无法识别文件编码（应为 UTF-8、带 BOM 的 UTF-8 或 GB18030/GBK）"
        return OpenedFile(file, path, digest, problems=(Problem(file, reason),))
    head = csv_chunks.utf8_head(opener, found.encoding)
    if not head.strip() and _blank(opener, found.encoding):
        table = table_for(path.stem)
        return OpenedFile(file, path, digest, problems=(
            Problem(file, "文件为空（没有表头）", table=table.id if table else None),))
    top, starts = csv_top(head)
    where = locate(top, stem=path.stem, by_name="文件名", chosen_table=options.table_choice(file, None),
                   chosen_mapping=options.mapping_choice(file, None), saved=options.saved)
    if where.table is None:
        return OpenedFile(file, path, digest, problems=(Problem(file, where.problem or ""),),
                          opened_layouts=(layout_of(file, None, where),))
    if where.header_index >= len(starts):
        reason = f"表头应在第 {where.header_index + 1} 行，但文件只有 {len(starts)} 行"
        return OpenedFile(file, path, digest, problems=(Problem(file, reason, table=where.table.id),))
    start = starts[where.header_index]
    end = csv_chunks.record_end(head, start)
    header = head[start:end]
    try:
        headers = header_cells(header)
    except (pd.errors.ParserError, ValueError) as err:
        reason = f"无法解析 CSV 文件：{csv_error(err, where.header_index)}"
        return OpenedFile(file, path, digest, problems=(Problem(file, reason, table=where.table.id),))
    builder = SheetBuilder(file, None, where, headers)
    if not builder.ok:  # a required column missing or one doubled: nothing to stream
        problems, warnings, layout = builder.finish()
        return OpenedFile(file, path, digest, (), tuple(problems), tuple(warnings), (layout,))
    stream = _CsvStream(file, opener, found.encoding, found.size, header, end, builder, chunk_rows)
    return OpenedFile(file, path, digest, (stream,))


def _blank(opener: Opener, encoding: str) -> bool:
    """Whether the whole file is only white space."""
    return not any(block.strip() for block in csv_chunks.utf8_blocks(opener, encoding))


__all__ = ["CHUNK_ROWS", "OpenedFile", "SheetStream", "header_cells", "open_file", "read_through"]
