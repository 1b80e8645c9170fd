"""Refuse hostile import files before they are read: the entry check of every import.

:func:`data.importer.import_files` calls :func:`check` for each path first (the 数据导入
page and ``market-access import`` go through it); a refused file becomes a
:class:`~data.readers.FileRead` holding one Chinese problem and is never handed to the
readers, so nothing is stored.  Every check streams the file from disk in CHUNK-sized
pieces (zip member sizes from the central directory, XML through expat callbacks that
count text without keeping it, :mod:`data.xlsx_guard`), so memory stays bounded whatever
the file declares or holds.

Refused, each with the file, row and column where they are known:

- a file name with control or format characters (a right-to-left override …), a
  backslash or more than ``name_chars`` characters;
- an empty file; a CSV with a header and no data row;
- a file larger than ``file_bytes``;
- CSV: a NUL byte (binary data or UTF-16: not a text CSV), a control character other than
  tab, line feed and carriage return (refused, not stripped: what is stored is what was
  sent, and a control character in a name breaks charts and decks), more than ``rows``
  lines, a line with more than ``columns`` fields, a field longer than ``cell_chars``;
- XLSX: see :mod:`data.xlsx_guard` (inflated size, compression ratio, sharedStrings size,
  rows, columns, cell length).

The limits are settings: :class:`Limits` with defaults sized for the product (a 1.8M-row
demo import passes with ``MARKET_ACCESS_LIMIT_FILE_MB``), each overridable by an
environment variable ``MARKET_ACCESS_LIMIT_<NAME>`` (e.g. ``MARKET_ACCESS_LIMIT_ROWS``).
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from data.problems import Problem
from data.readers import CSV_SUFFIXES, EXCEL_SUFFIXES, FileRead, Source
from data.upload_limits import CHUNK, MB, Limits, Refused, shown_name
from data.xlsx_guard import check_xlsx

_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # all but tab, line feed, carriage return
_ALLOWED = b"\t\n\r" + bytes(range(32, 127)) + bytes(range(128, 256))  # deleted: what is left is control


def name_problem(name: str, limits: Limits | None = None) -> str | None:
    """Why ``name`` (a file name, without directories) is refused, or None."""
    limits = limits or Limits.from_env()
    if not name or name in (".", ".."):
        return "文件名无效"
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        return "文件名含有控制字符或不可见的格式字符，请重命名后再导入"
    if "\\" in name or "/" in name:
        return "文件名含有路径分隔符，请使用不含路径的文件名"
    if len(name) > limits.name_chars:
        return f"文件名过长（{len(name)} 个字符，上限 {limits.name_chars} 个），请重命名后再导入"
    return None


def check(path: str | Path, limits: Limits | None = None) -> FileRead | None:
    """None when ``path`` may be read; else a :class:`FileRead` with the refusal as its problem.

    A missing or unreadable file is left to the reader, which says so.
    """
    path = Path(path)
    limits = limits or Limits.from_env()
    shown = shown_name(path.name)
    reason = name_problem(path.name, limits)
    if reason is not None:
        return FileRead(shown, path, "", problems=(Problem(shown, reason),))
    try:
        size = path.stat().st_size
    except OSError:
        return None
    if size > limits.file_bytes:
        reason = f"文件过大（{size / MB:.1f} MB，上限 {limits.file_mb} MB），请拆分后再导入"
        return FileRead(shown, path, "", problems=(Problem(shown, reason),))
    suffix = path.suffix.lower()
    if size == 0 and suffix in (*CSV_SUFFIXES, *EXCEL_SUFFIXES):
        return FileRead(shown, path, hashlib.sha256(b"").hexdigest(), problems=(Problem(shown, "文件为空"),))
    try:
        if suffix in CSV_SUFFIXES:
            _check_csv(path, shown, limits)
        elif suffix in EXCEL_SUFFIXES:
            check_xlsx(path, shown, limits)
    except Refused as refused:
        return FileRead(shown, path, _sha256(path), problems=(refused.problem,))
    except OSError:
        return None
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- CSV ------------------------------------------------------------------------------------

@dataclass
class _CsvScan:
    """What one pass over a CSV's bytes found; per-line figures are upper bounds."""

    lines: int = 0  # line feeds seen
    longest: int = 0  # bytes of the longest line
    widest: int = 0  # commas + 1 of the widest line (its fields, unless quoted commas)
    widest_line: int = 0
    quotes: bool = False  # any double quote
    spans: bool = False  # a line with an odd number of quotes: a quoted field may span lines
    header: bool = False  # the first line has something
    content: bool = False  # anything but blanks after the first line
    carry: tuple[int, int, int] = (0, 0, 0)  # length, commas, quotes of the line a chunk ends in

    def feed(self, chunk: bytes, file: str) -> None:
        control = chunk.translate(None, _ALLOWED)  # what is left is control characters (fast)
        if control:
            nul = chunk.find(b"\0")  # a NUL anywhere says binary before any other control character
            at = nul if nul >= 0 else _CONTROL.search(chunk).start()  # type: ignore[union-attr]
            code = chunk[at]
            reason = ("文件含有空字节（NUL），不是文本 CSV 文件（可能是二进制文件或 UTF-16 编码）；"
                      "请在 Excel 中另存为“CSV UTF-8”后再导入") if code == 0 else (
                f"含有控制字符 U+{code:04X}，请删除后再导入")
            raise Refused(Problem(file, reason, row=self.lines + chunk.count(b"\n", 0, at) + 1))
        data = np.frombuffer(chunk, dtype=np.uint8)
        breaks = np.flatnonzero(data == 10)
        bounds = np.concatenate(([0], breaks, [len(data)]))
        lengths = np.diff(bounds) - np.concatenate(([0], np.ones(len(breaks), dtype=np.int64)))
        commas = np.diff(np.searchsorted(np.flatnonzero(data == 44), bounds))
        quotes = (np.diff(np.searchsorted(np.flatnonzero(data == 34), bounds)) if b'"' in chunk
                  else np.zeros(len(bounds) - 1, dtype=np.int64))
        lengths[0] += self.carry[0]
        commas[0] += self.carry[1]
        quotes[0] += self.carry[2]
        done = len(breaks)  # segments ended by a line feed; the last one goes on in the next chunk
        self.carry = (int(lengths[-1]), int(commas[-1]), int(quotes[-1]))
        if done:
            self.longest = max(self.longest, int(lengths[:done].max()))
            widest = int(commas[:done].argmax())
            if int(commas[widest]) + 1 > self.widest:
                self.widest, self.widest_line = int(commas[widest]) + 1, self.lines + widest + 1
            self.spans = self.spans or bool((quotes[:done] % 2).any())
        if not self.lines:
            self.header = self.header or bool(chunk.split(b"\n", 1)[0].strip(b" \t\r\xef\xbb\xbf"))
        if not self.content:
            body = chunk if self.lines else chunk.split(b"\n", 1)[1] if b"\n" in chunk else b""
            self.content = bool(body.strip())
        self.lines += done
        self.quotes = self.quotes or bool(quotes.any())

    def finish(self) -> None:
        """Count the last line (one without a final line feed)."""
        length, commas, quotes = self.carry
        if length:
            self.longest = max(self.longest, length)
            if commas + 1 > self.widest:
                self.widest, self.widest_line = commas + 1, self.lines + 1
            self.spans = self.spans or bool(quotes % 2)


def _check_csv(path: Path, file: str, limits: Limits) -> None:
    """One streaming pass over the bytes (vectorised per chunk); a csv-module pass only when
    the byte counts cannot settle a limit: a line longer than a cell may be, quoted commas
    in a line wider than allowed, or a quoted field that spans lines."""
    scan = _CsvScan()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            scan.feed(chunk, file)
            if scan.lines > limits.rows + 1:
                raise Refused(Problem(file, f"行数超过上限（{limits.rows:,} 行），请拆分后再导入"))
    scan.finish()
    if not scan.content:
        raise Refused(Problem(file, "文件只有表头，没有数据行" if scan.header else "文件为空"))
    if not scan.quotes and scan.widest > limits.columns:
        raise Refused(Problem(file, f"有 {scan.widest:,} 列，超过上限 {limits.columns} 列", row=scan.widest_line))
    if scan.spans or scan.longest > limits.cell_chars or scan.widest > limits.columns:
        _check_csv_fields(path, file, limits)


def _encoding(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(CHUNK)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start < len(head) - 4:  # not merely a character cut at the chunk's end
            return "gb18030"
    return "utf-8-sig"


def _check_csv_fields(path: Path, file: str, limits: Limits) -> None:
    """Field by field (csv module, streaming): fields per record and characters per field.
    The csv module itself stops at a field of more than its field_size_limit characters."""
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=_encoding(path), errors="replace", newline="")
        reader = csv.reader(text)
        header: list[str] = []
        row = 0  # the record's number as Excel shows it (header = 1)
        try:
            for row, record in enumerate(reader, start=1):
                if not header:
                    header = record
                if len(record) > limits.columns:
                    raise Refused(Problem(file, f"有 {len(record):,} 列，超过上限 {limits.columns} 列", row=row))
                for i, value in enumerate(record):
                    if len(value) > limits.cell_chars:
                        raise Refused(_long_cell(file, row, header, i, len(value), limits))
        except csv.Error:  # a field over the csv module's own limit (131,072 characters)
            raise Refused(_long_cell(file, row + 1, header, None, None, limits)) from None


def _long_cell(file: str, row: int, header: list[str], index: int | None, chars: int | None,
               limits: Limits) -> Problem:
    column = None
    if index is not None:
        column = shown_name(header[index], 40) if index < len(header) and header[index] else f"第 {index + 1} 列"
    size = f"长达 {chars:,} 个字符，" if chars is not None else "过长，"
    return Problem(file, f"单元格内容{size}超过上限 {limits.cell_chars:,} 个字符", row=row, column=column)


def check_any(item: str | Path | Source, limits: Limits | None = None) -> FileRead | None:
    """:func:`check` for a path or an uploaded :class:`~data.readers.Source` (the import
    page): an upload is spooled to a private temporary file under its own (checked) name, so
    that it meets the same streaming checks, and a refusal names the uploaded file."""
    if not isinstance(item, Source):
        return check(item, limits)
    limits = limits or Limits.from_env()
    shown = shown_name(item.name)
    reason = name_problem(item.name, limits)
    if reason is not None:
        return FileRead(shown, Path(shown), "", problems=(Problem(shown, reason),))
    with tempfile.TemporaryDirectory(prefix="ma-upload-") as tmp:
        spooled = Path(tmp) / item.name
        spooled.write_bytes(item.data)
        refused = check(spooled, limits)
    return None if refused is None else dataclasses.replace(refused, path=Path(item.name))
