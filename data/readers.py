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
from collections.abc import Iterator
from pathlib import Path

from data import contract
from data.layout import HEADER_SCAN_ROWS
from data.problems import Problem
from data.sheets import Sheet, header_lookup
from data.sources import FileRead, ReadOptions, Source
from data.table_choice import table_named
from data.xlsx_stream import open_workbook

__all__ = [
    "FileRead", "ReadOptions", "Sheet", "Source", "csv_error", "csv_top", "decode_csv", "header_lookup",
    "read_bytes", "read_excel", "table_for",
]

CSV_SUFFIXES = (".csv",)
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


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


def csv_error(err: Exception, offset: int = 0) -> str:
    text = str(err).strip()
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if match:
        expected, line, saw = match.groups()
        return f"第 {int(line) + offset} 行有 {saw} 个字段，而表头只有 {expected} 列"
    return text


# --- Excel ----------------------------------------------------------------------------------

def read_excel(path: Path, data: bytes, file: str, options: ReadOptions | None = None) -> FileRead:
    """Read one workbook whole: each sheet holding a table (chosen, by mapping, by name or by headers).

    The same reading as an import's (:func:`data.xlsx_stream.open_workbook`), each sheet in one chunk."""
    opened = open_workbook(path, lambda: io.BytesIO(data), file, options or ReadOptions(), chunk_rows=1 << 62)
    try:
        sheets = tuple(chunk for stream in opened.streams for chunk in stream.chunks())
    finally:
        if opened.close is not None:
            opened.close()
    problems = opened.problems + tuple(p for s in opened.streams for p in s.problems)
    warnings = opened.warnings + tuple(w for s in opened.streams for w in s.warnings)
    return FileRead(file, path, opened.sha256, sheets, problems, warnings, opened.layouts)


# --- any file -------------------------------------------------------------------------------

def read_bytes(path: Path, data: bytes, options: ReadOptions | None = None) -> FileRead:
    """Read the content ``data`` of a workbook, or refuse a file of an unsupported type (a CSV
    file never comes here: :func:`data.file_stream.open_file` streams it in chunks)."""
    file = path.name
    suffix = path.suffix.lower()
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
