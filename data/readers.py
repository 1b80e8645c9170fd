"""Read import files into raw tables, without interpreting any value.

A CSV file is one table named by its file stem; each sheet of an Excel workbook (.xlsx) is
one table named by the sheet name.  Either name may be the table's id or its Chinese name.
Headers are matched to contract columns by id or Chinese name, ignoring surrounding
spaces, full-width forms (（）) and case.  Cells stay strings (CSV) or the native objects
openpyxl returns (Excel: numbers, dates, date-times); :mod:`data.values` interprets them.

Every data row keeps the row number the user sees in Excel (header = row 1), so a problem
can point at it.  Whatever cannot be read becomes a :class:`~data.problems.Problem`; an
unknown column or an extra sheet becomes a warning.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from data import contract
from data.problems import Problem, column_label

CSV_SUFFIXES = (".csv",)
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


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


@dataclass(frozen=True)
class FileRead:
    """Everything read from one file: its tables, SHA-256, problems and warnings."""

    file: str
    path: Path
    sha256: str
    sheets: tuple[Sheet, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = field(default=())


def normalize_name(name: object) -> str:
    """A header or table name as compared: NFKC (full-width → half-width), trimmed, case-folded."""
    return unicodedata.normalize("NFKC", str(name)).strip().casefold()


def table_for(name: str) -> contract.Table | None:
    """The contract table a file stem or sheet name refers to (id or Chinese name)."""
    norm = normalize_name(name)
    for table in contract.TABLES:
        if norm in (normalize_name(table.id), normalize_name(table.zh)):
            return table
    return None


def _column_lookup(table: contract.Table) -> dict[str, contract.Column]:
    lookup: dict[str, contract.Column] = {}
    for col in table.columns:
        lookup[normalize_name(col.id)] = col
        lookup[normalize_name(col.zh)] = col
    return lookup


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


def build_sheet(
    file: str, sheet: str | None, table: contract.Table, headers: Sequence[object], body: pd.DataFrame,
    first_row: int = 2,
) -> tuple[Sheet | None, list[Problem], list[Problem]]:
    """Match ``headers`` to ``table``'s columns and keep the non-blank data rows of ``body``.

    ``body`` has one positional column per header; its row ``i`` is Excel row ``first_row + i``.
    Returns the sheet (``None`` when a required column is missing or a column is duplicated),
    problems and warnings.
    """
    problems: list[Problem] = []
    warnings: list[Problem] = []

    def at(reason: str, row: int | None = 1, column: str | None = None) -> Problem:
        return Problem(file=file, reason=reason, sheet=sheet, table=table.id, row=row, column=column)

    lookup = _column_lookup(table)
    chosen: dict[str, int] = {}
    for pos, header in enumerate(headers):
        name = "" if header is None else str(header).strip()
        if not name:
            if pos < body.shape[1] and not _is_blank(body.iloc[:, pos]).all():
                warnings.append(at(f"第 {pos + 1} 列没有表头，已忽略该列"))
            continue
        col = lookup.get(normalize_name(name))
        if col is None:
            warnings.append(at("不是该表的列，已忽略", column=name))
            continue
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
    if blank.any():
        frame = frame[~blank]
        rows = rows[~blank]
    frame = frame.reset_index(drop=True)
    if frame.empty:
        warnings.append(at("没有数据行", row=None))
    return Sheet(file, sheet, table, frame, rows), problems, warnings


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


def _line_count(data: bytes) -> int:
    """Lines up to the last non-empty one (trailing line breaks do not count)."""
    end = len(data)
    while end and data[end - 1] in b"\r\n":
        end -= 1
    return data.count(b"\n", 0, end) + 1 if end else 0


def _csv_frame(utf8: bytes) -> pd.DataFrame:
    """All records of a UTF-8 CSV (header included) as positional string columns.

    The fast path is Arrow's multi-threaded reader.  It skips blank lines, which would shift
    row numbers, so its result is used only when every line is one record; files with blank
    lines, values spanning lines or rows of uneven length go through pandas' reader, which
    keeps every record in place.
    """
    header = next(csv.reader(io.StringIO(utf8[:65536].decode("utf-8", "ignore"))), [])
    width = len(header)
    if width:
        names = [f"f{i}" for i in range(width)]
        try:
            table = pacsv.read_csv(
                io.BytesIO(utf8),
                read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
                parse_options=pacsv.ParseOptions(newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except (pa.ArrowInvalid, ValueError):
            table = None
        if table is not None and table.num_rows == _line_count(utf8):
            frame = table.to_pandas()
            frame.columns = range(width)
            return frame.astype("str")
    frame = pd.read_csv(
        io.BytesIO(utf8), header=None, dtype=str, keep_default_na=False, na_filter=False,
        skip_blank_lines=False, encoding="utf-8", engine="c",
    )
    frame.columns = range(frame.shape[1])
    return frame


def read_csv(path: Path, data: bytes, file: str) -> FileRead:
    """Read one CSV file: one table named by the file stem."""
    digest = hashlib.sha256(data).hexdigest()
    table = table_for(path.stem)
    if table is None:
        return FileRead(file, path, digest, problems=(Problem(file, _unknown_table(path.stem)),))
    try:
        utf8, _encoding = decode_csv(data)
    except UnicodeDecodeError:
        reason = "无法识别文件编码（应为 UTF-8、带 BOM 的 UTF-8 或 GB18030/GBK）"
        return FileRead(file, path, digest, problems=(Problem(file, reason, table=table.id),))
    if not utf8[:4096].strip() and not utf8.strip():
        return FileRead(file, path, digest, problems=(Problem(file, "文件为空（没有表头）", table=table.id),))
    try:
        raw = _csv_frame(utf8)
    except (pd.errors.ParserError, ValueError) as err:
        reason = f"无法解析 CSV 文件：{_csv_error(err)}"
        return FileRead(file, path, digest, problems=(Problem(file, reason, table=table.id),))
    headers = [None if pd.isna(h) else str(h) for h in raw.iloc[0].tolist()] if len(raw) else []
    body = raw.iloc[1:].reset_index(drop=True)
    sheet, problems, warnings = build_sheet(file, None, table, headers, body)
    return FileRead(file, path, digest, (sheet,) if sheet else (), tuple(problems), tuple(warnings))


def _csv_error(err: Exception) -> str:
    text = str(err).strip()
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if match:
        expected, line, saw = match.groups()
        return f"第 {line} 行有 {saw} 个字段，而表头只有 {expected} 列"
    return text


def _unknown_table(name: str) -> str:
    names = "、".join(f"{t.id}/{t.zh}" for t in contract.TABLES)
    return f"「{name}」不是数据合同中的表名（应为：{names}）"


# --- Excel ----------------------------------------------------------------------------------

def read_excel(path: Path, data: bytes, file: str) -> FileRead:
    """Read one workbook: each sheet named by a contract table is one table."""
    import openpyxl  # deferred: only Excel imports need it
    from openpyxl.utils.exceptions import InvalidFileException

    digest = hashlib.sha256(data).hexdigest()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        reason = f"无法打开 Excel 文件（{err.__class__.__name__}），请确认是 .xlsx 格式且未损坏"
        return FileRead(file, path, digest, problems=(Problem(file, reason),))
    sheets: list[Sheet] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    unknown: list[str] = []
    try:
        for ws in workbook.worksheets:
            table = table_for(ws.title)
            if table is None:
                unknown.append(ws.title)
                continue
            sheet, probs, warns = _read_worksheet(ws, file, table)
            problems += probs
            warnings += warns
            if sheet is not None:
                sheets.append(sheet)
    finally:
        workbook.close()
    if unknown and not sheets and not problems:
        problems += [Problem(file, _unknown_table(name), sheet=name) for name in unknown]
    else:
        warnings += [Problem(file, "工作表名不是数据合同中的表名，已忽略该工作表", sheet=name) for name in unknown]
    return FileRead(file, path, digest, tuple(sheets), tuple(problems), tuple(warnings))


def _read_worksheet(ws: object, file: str, table: contract.Table) -> tuple[Sheet | None, list[Problem], list[Problem]]:
    ws.reset_dimensions()  # type: ignore[attr-defined]
    rows = ws.iter_rows(min_row=1, values_only=True)  # type: ignore[attr-defined]
    header = list(next(rows, ()) or ())
    while header and header[-1] is None:
        header.pop()
    if not header:
        return None, [Problem(file, "工作表为空（没有表头）", sheet=ws.title, table=table.id)], []  # type: ignore[attr-defined]
    width = len(header)
    records = []
    extra = False
    for values in rows:
        row = tuple(values)
        if len(row) > width:
            extra = extra or any(v is not None and str(v).strip() for v in row[width:])
            row = row[:width]
        elif len(row) < width:
            row = row + (None,) * (width - len(row))
        records.append(row)
    body = pd.DataFrame.from_records(records, columns=range(width)) if records else pd.DataFrame(
        {i: pd.Series([], dtype=object) for i in range(width)}
    )
    body = body.astype(object)
    sheet, problems, warnings = build_sheet(file, ws.title, table, header, body)  # type: ignore[attr-defined]
    if extra:
        warnings.append(Problem(file, "表头右侧还有数据，这些列没有表头，已忽略", sheet=ws.title, table=table.id))  # type: ignore[attr-defined]
    return sheet, problems, warnings


# --- any file -------------------------------------------------------------------------------

def read_file(path: str | Path) -> FileRead:
    """Read one import file (CSV or .xlsx) into raw tables; never raises for bad content."""
    path = Path(path)
    file = path.name
    try:
        data = path.read_bytes()
    except OSError as err:
        reason = "文件不存在" if isinstance(err, FileNotFoundError) else f"无法读取文件（{err.strerror or err}）"
        return FileRead(file, path, "", problems=(Problem(file, reason),))
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv(path, data, file)
    if suffix in EXCEL_SUFFIXES:
        if not data:
            digest = hashlib.sha256(data).hexdigest()
            return FileRead(file, path, digest, problems=(Problem(file, "文件为空"),))
        return read_excel(path, data, file)
    digest = hashlib.sha256(data).hexdigest()
    if suffix == ".xls":
        reason = "不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入"
    else:
        reason = "不支持的文件类型（应为 .csv 或 .xlsx）"
    return FileRead(file, path, digest, problems=(Problem(file, reason),))
