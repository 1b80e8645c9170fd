"""Read import files into raw tables, without interpreting any value.

A CSV file is one table; each sheet of an Excel workbook (.xlsx) is one table.  The table
is the one the caller chose, the one of a saved mapping (:mod:`data.mappings`, chosen by
name or recognised by the header's fingerprint), the one the file stem or sheet name
names (id or Chinese name), or the one the headers fit (:mod:`data.table_choice`).
The header is found among the first rows, total and footnote rows are skipped and merged
cells filled (:mod:`data.layout`); what was done is reported per sheet as a
:class:`~data.layout.SheetLayout`.  Headers are matched to contract columns by id,
Chinese name or alias (:mod:`data.aliases`), ignoring surrounding spaces, full-width forms
and case.  Cells stay strings (CSV) or the native objects openpyxl returns (Excel:
numbers, dates, date-times); :mod:`data.values` interprets them.

Every data row keeps the row number the user sees in Excel (the real sheet row), so a
problem can point at it.  Whatever cannot be read becomes a
:class:`~data.problems.Problem`; an unknown column or an extra sheet becomes a warning.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data import contract
from data.csv_chunks import csv_frame
from data.layout import (
    HEADER_SCAN_ROWS,
    SheetLayout,
    header_texts,
    merged_ranges,
    source_key,
)
from data.locate import Located, locate
from data.mappings import SavedMapping
from data.problems import Problem
from data.sheets import Sheet, finish_sheet, header_lookup, layout_of
from data.table_choice import table_named

__all__ = [
    "FileRead", "ReadOptions", "Sheet", "Source", "csv_error", "csv_top", "decode_csv", "header_lookup",
    "read_bytes", "read_csv", "read_excel", "read_file", "table_for",
]

CSV_SUFFIXES = (".csv",)
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class FileRead:
    """Everything read from one file: its tables, SHA-256, problems, warnings and layouts."""

    file: str
    path: Path
    sha256: str
    sheets: tuple[Sheet, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = field(default=())
    layouts: tuple[SheetLayout, ...] = ()
    encoding: str | None = None
    """A CSV file's encoding (utf-8, utf-8-sig or gb18030); ``None`` for a workbook."""


@dataclass(frozen=True)
class ReadOptions:
    """The caller's choices for reading: tables and mappings per source, and the saved mappings.

    Sources are named ``file`` (a CSV file, or every sheet of a workbook) or ``file:sheet``;
    the mapping source ``*`` means every source.  Saved mappings not chosen by name are
    applied to the sources whose header fingerprint they carry.
    """

    tables: Mapping[str, str] = field(default_factory=dict)
    mapping: Mapping[str, str] = field(default_factory=dict)
    saved: tuple[SavedMapping, ...] = ()

    def table_choice(self, file: str, sheet: str | None) -> str | None:
        return self.tables.get(source_key(file, sheet)) or (self.tables.get(file) if sheet else None)

    def mapping_choice(self, file: str, sheet: str | None) -> str | None:
        key = source_key(file, sheet)
        return self.mapping.get(key) or (self.mapping.get(file) if sheet else None) or self.mapping.get("*")


def table_for(name: str) -> contract.Table | None:
    """The contract table a file stem or sheet name refers to (id or Chinese name)."""
    return table_named(name)


# --- CSV ------------------------------------------------------------------------------------

def decode_csv(data: bytes) -> tuple[bytes, str]:
    """The file as UTF-8 bytes without BOM, and the encoding it was in.

    UTF-8 (with or without BOM) is tried strictly first; anything else is read as GB18030,
    a superset of GBK and GB2312.  Raises ``UnicodeDecodeError`` when neither fits.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data[3:].decode("utf-8")
        return data[3:], "utf-8-sig"
    try:
        data.decode("utf-8")
        return data, "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030").encode("utf-8"), "gb18030"


def csv_top(utf8: bytes) -> tuple[list[list[str]], list[int]]:
    """The first :data:`HEADER_SCAN_ROWS` records of a UTF-8 CSV and the byte offset each starts at."""
    consumed = 0

    def lines() -> Iterator[str]:
        nonlocal consumed
        for line in io.BytesIO(utf8[: 1 << 20]):
            consumed += len(line)
            yield line.decode("utf-8", "replace")

    records: list[list[str]] = []
    starts: list[int] = []
    start = 0
    try:
        for record in csv.reader(lines()):
            records.append(record)
            starts.append(start)
            start = consumed
            if len(records) >= HEADER_SCAN_ROWS:
                break
    except csv.Error:
        pass
    return records, starts


def read_csv(path: Path, data: bytes, file: str, options: ReadOptions | None = None) -> FileRead:
    """Read one CSV file: one table (chosen, by mapping, by file stem or by headers)."""
    options = options or ReadOptions()
    digest = hashlib.sha256(data).hexdigest()
    try:
        utf8, encoding = decode_csv(data)
    except UnicodeDecodeError:
        reason = "无法识别文件编码（应为 UTF-8、带 BOM 的 UTF-8 或 GB18030/GBK）"
        return FileRead(file, path, digest, problems=(Problem(file, reason),))
    if not utf8[:4096].strip() and not utf8.strip():
        table = table_for(path.stem)
        return FileRead(file, path, digest, problems=(
            Problem(file, "文件为空（没有表头）", table=table.id if table else None),))
    top, starts = csv_top(utf8)
    where = locate(top, stem=path.stem, by_name="文件名", chosen_table=options.table_choice(file, None),
                   chosen_mapping=options.mapping_choice(file, None), saved=options.saved)
    if where.table is None:
        layout = layout_of(file, None, where)
        return FileRead(file, path, digest, problems=(Problem(file, where.problem or ""),), layouts=(layout,),
                        encoding=encoding)
    table = where.table
    if where.header_index >= len(starts):
        reason = f"表头应在第 {where.header_index + 1} 行，但文件只有 {len(starts)} 行"
        return FileRead(file, path, digest, problems=(Problem(file, reason, table=table.id),), encoding=encoding)
    if where.header_index:
        utf8 = utf8[starts[where.header_index]:]
    try:
        raw = csv_frame(utf8)
    except (pd.errors.ParserError, ValueError) as err:
        reason = f"无法解析 CSV 文件：{csv_error(err, where.header_index)}"
        return FileRead(file, path, digest, problems=(Problem(file, reason, table=table.id),), encoding=encoding)
    headers = [None if pd.isna(h) else str(h) for h in raw.iloc[0].tolist()] if len(raw) else []
    body = raw.iloc[1:].reset_index(drop=True)
    sheet, problems, warnings, layout = finish_sheet(file, None, where, headers, body)
    return FileRead(file, path, digest, (sheet,) if sheet else (), tuple(problems), tuple(warnings), (layout,),
                    encoding)


def csv_error(err: Exception, offset: int = 0) -> str:
    text = str(err).strip()
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if match:
        expected, line, saw = match.groups()
        return f"第 {int(line) + offset} 行有 {saw} 个字段，而表头只有 {expected} 列"
    return text


# --- Excel ----------------------------------------------------------------------------------

def read_excel(path: Path, data: bytes, file: str, options: ReadOptions | None = None) -> FileRead:
    """Read one workbook: each sheet holding a table (chosen, by mapping, by name or by headers)."""
    import openpyxl  # deferred: only Excel imports need it
    from openpyxl.utils.exceptions import InvalidFileException

    options = options or ReadOptions()
    digest = hashlib.sha256(data).hexdigest()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        reason = f"无法打开 Excel 文件（{err.__class__.__name__}），请确认是 .xlsx 格式且未损坏"
        return FileRead(file, path, digest, problems=(Problem(file, reason),))
    sheets: list[Sheet] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    layouts: list[SheetLayout] = []
    unknown: list[tuple[str, Located]] = []
    try:
        for ws in workbook.worksheets:
            records = _sheet_records(ws)
            where = locate(records, stem=ws.title, by_name="工作表名", chosen_table=options.table_choice(file, ws.title),
                           chosen_mapping=options.mapping_choice(file, ws.title), saved=options.saved)
            if where.table is None:
                if any(any(header_texts(r)) for r in records[:HEADER_SCAN_ROWS]):
                    unknown.append((ws.title, where))
                    layouts.append(layout_of(file, ws.title, where))
                continue
            sheet, probs, warns, layout = _read_worksheet(ws, file, where, records, workbook)
            problems += probs
            warnings += warns
            layouts.append(layout)
            if sheet is not None:
                sheets.append(sheet)
    finally:
        workbook.close()
    for name, where in unknown:
        reason = where.problem or ""
        if (sheets or problems) and not where.candidates and not where.has_header:
            warnings.append(Problem(file, f"{reason}；已忽略该工作表", sheet=name))
        else:
            problems.append(Problem(file, reason, sheet=name))
    if not sheets and not problems and not unknown:
        problems.append(Problem(file, "工作簿中没有数据（所有工作表都为空）"))
    return FileRead(file, path, digest, tuple(sheets), tuple(problems), tuple(warnings), tuple(layouts))


def _sheet_records(ws: object) -> list[tuple[object, ...]]:
    ws.reset_dimensions()  # type: ignore[attr-defined]
    return [tuple(values) for values in ws.iter_rows(min_row=1, values_only=True)]  # type: ignore[attr-defined]


def _sheet_merges(ws: object, workbook: object) -> list[str]:
    """Merged ranges of a read-only worksheet, from the mergeCells element of its XML part."""
    part = getattr(ws, "_worksheet_path", None)
    archive = getattr(workbook, "_archive", None)
    if part is None or archive is None:
        return []
    try:
        return merged_ranges(archive.read(part))
    except KeyError:
        return []


def _read_worksheet(
    ws: object, file: str, where: Located, records: list[tuple[object, ...]], workbook: object,
) -> tuple[Sheet | None, list[Problem], list[Problem], SheetLayout]:
    title: str = ws.title  # type: ignore[attr-defined]
    assert where.table is not None
    header = list(records[where.header_index]) if where.header_index < len(records) else []
    while header and (header[-1] is None or not str(header[-1]).strip()):
        header.pop()
    if not header:
        problem = Problem(file, "工作表为空（没有表头）", sheet=title, table=where.table.id)
        return None, [problem], [], layout_of(file, title, where)
    width = len(header)
    rows = []
    extra = False
    for values in records[where.header_index + 1:]:
        row = values
        if len(row) > width:
            extra = extra or any(v is not None and str(v).strip() for v in row[width:])
            row = row[:width]
        elif len(row) < width:
            row = row + (None,) * (width - len(row))
        rows.append(row)
    body = pd.DataFrame.from_records(rows, columns=range(width)) if rows else pd.DataFrame(
        {i: pd.Series([], dtype=object) for i in range(width)}
    )
    body = body.astype(object)
    sheet, problems, warnings, layout = finish_sheet(file, title, where, header, body, _sheet_merges(ws, workbook))
    if extra:
        warnings.append(Problem(file, "表头右侧还有数据，这些列没有表头，已忽略", sheet=title, table=where.table.id))
    return sheet, problems, warnings, layout


# --- any file -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """An uploaded file held in memory (the import page): its name and bytes."""

    name: str
    data: bytes


def read_file(path: str | Path | Source, options: ReadOptions | None = None) -> FileRead:
    """Read one import file (CSV or .xlsx, a path or an uploaded :class:`Source`); never raises for bad content."""
    if isinstance(path, Source):
        return read_bytes(Path(path.name), path.data, options)
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        reason = "文件不存在" if isinstance(err, FileNotFoundError) else f"无法读取文件（{err.strerror or err}）"
        return FileRead(path.name, path, "", problems=(Problem(path.name, reason),))
    return read_bytes(path, data, options)


def read_bytes(path: Path, data: bytes, options: ReadOptions | None = None) -> FileRead:
    """Read the content ``data`` of the file named ``path`` by its suffix."""
    file = path.name
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv(path, data, file, options)
    if suffix in EXCEL_SUFFIXES:
        if not data:
            digest = hashlib.sha256(data).hexdigest()
            return FileRead(file, path, digest, problems=(Problem(file, "文件为空"),))
        return read_excel(path, data, file, options)
    digest = hashlib.sha256(data).hexdigest()
    if suffix == ".xls":
        reason = "不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入"
    else:
        reason = "不支持的文件类型（应为 .csv 或 .xlsx）"
    return FileRead(file, path, digest, problems=(Problem(file, reason),))
