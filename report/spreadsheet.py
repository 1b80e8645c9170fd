"""CSV and Excel files that spreadsheet programs open as data, never as formulas.

Every table download and the meeting workbook go through here (OWASP "CSV Injection"): a
text cell whose first character is ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
would be evaluated by Excel or WPS (``=HYPERLINK(...)`` in a progress note becomes a live
link in the administrator's export).

- CSV has no cell types, so such a text is written with a leading apostrophe (``'=1+1``),
  which spreadsheet programs show as text; the field is quoted by the csv writer as usual.
- XLSX keeps the text exactly: it is written as a string cell (never a formula, URL or
  number: ``strings_to_formulas/urls/numbers`` off) and, when it starts with one of those
  characters, with the ``quotePrefix`` style so that editing the cell keeps it text.
- Real numbers stay numbers, dates stay dates; only text is touched.  A column may carry an
  Excel number format (``0.0%`` for a rate kept as a fraction); a text column whose every
  value reads like ``90.0%`` is written as numbers (0.9) with that format, so that a rate
  formatted for the screen still sums and sorts in the spreadsheet.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": False,
}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_PERCENT_TEXT = re.compile(r"^(-?\d+(?:\.(\d+))?)%$")
PERCENT = "0.0%"


def formula_like(value: object) -> bool:
    """Whether ``value`` is text that a spreadsheet program would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(value: object) -> object:
    """``value`` as a CSV cell may hold it: formula-like text gets a leading apostrophe."""
    return "'" + value if formula_like(value) else value  # type: ignore[operator]


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and headers) are neutralised; numbers untouched."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if isinstance(series.dtype, pd.CategoricalDtype) or pd.api.types.is_object_dtype(series.dtype) \
                or pd.api.types.is_string_dtype(series.dtype):
            out[col] = series.astype(object).map(neutralise)
    out.columns = [neutralise(c) if isinstance(c, str) else c for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV in UTF-8 with a BOM (opens in Excel), formulas neutralised; lines end
    in CRLF (RFC 4180), so that a field holding a lone carriage return is quoted too."""
    return csv_safe(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def sheet_name(name: str, used: set[str] | None = None) -> str:
    """A valid, unique Excel sheet name for ``name`` (≤ 31 characters, no ``[]:*?/\\``)."""
    base = _SHEET_FORBIDDEN.sub("_", name).strip("'")[:31] or "Sheet1"
    used = used if used is not None else set()
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f"_{n}"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def excel_writer(buffer: io.BytesIO) -> pd.ExcelWriter:
    """A pandas Excel writer (xlsxwriter) that writes every string as a string cell, for
    workbooks laid out by hand (titles, formats) such as the meeting workbook."""
    return pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": dict(XLSX_OPTIONS)})


def write_cell(ws: Any, row: int, col: int, value: object, formats: Mapping[str, Any],
               cell_format: Any = None) -> None:
    """Write one value on an xlsxwriter worksheet by its type (text as text, numbers as numbers)."""
    if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        ws.write_blank(row, col, None, cell_format)
    elif isinstance(value, bool | np.bool_):
        ws.write_boolean(row, col, bool(value), cell_format)
    elif isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        if math.isinf(number):
            ws.write_string(row, col, "∞" if number > 0 else "-∞", formats["text"])
        else:
            ws.write_number(row, col, value, cell_format)
    elif isinstance(value, datetime | pd.Timestamp):
        ws.write_datetime(row, col, pd.Timestamp(value).to_pydatetime().replace(tzinfo=None), formats["datetime"])
    elif isinstance(value, date):
        ws.write_datetime(row, col, datetime(value.year, value.month, value.day), formats["date"])
    else:
        text = str(value)
        ws.write_string(row, col, text, formats["text"] if formula_like(text) else cell_format)


def percent_text(series: pd.Series) -> tuple[pd.Series, str] | None:
    """A text column whose every value is a percentage (``90.0%``; missing values allowed) as
    fractions with its Excel number format (as many decimals as the text); None otherwise."""
    if not (pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype)):
        return None
    known = [v for v in series if not (v is None or (not isinstance(v, str) and pd.isna(v)))]
    matches = [_PERCENT_TEXT.match(v) if isinstance(v, str) else None for v in known]
    if not known or not all(matches):
        return None
    decimals = max(len(m.group(2) or "") for m in matches if m)
    values = series.map(lambda v: float(v[:-1]) / 100 if isinstance(v, str) else None)
    return values.astype(object), "0" + ("." + "0" * decimals if decimals else "") + "%"


def to_xlsx_bytes(frames: Mapping[str, pd.DataFrame],
                  number_formats: Mapping[str, Mapping[str, str]] | None = None) -> bytes:
    """One sheet per frame (sheet names made valid), headers in bold, every cell by its type;
    ``number_formats`` (sheet → column header → Excel format such as ``0.0%``) formats the
    numbers of a column, and percentage text is written as formatted numbers."""
    import xlsxwriter  # deferred: only downloads need it

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **XLSX_OPTIONS})
    formats = {
        "text": book.add_format({"quote_prefix": True}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
    }
    head = book.add_format({"bold": True})
    used: set[str] = set()
    number_formats = number_formats or {}
    cell_formats: dict[str, Any] = {}
    for name, frame in (frames.items() or {"Sheet1": pd.DataFrame()}.items()):
        ws = book.add_worksheet(sheet_name(str(name), used))
        wanted = dict(number_formats.get(str(name), {}))
        columns: list[pd.Series] = []
        for i, column in enumerate(frame.columns):
            series = frame.iloc[:, i]
            converted = percent_text(series)
            if converted is not None:
                series, wanted[str(column)] = converted
            columns.append(series)
        col_formats = []
        for column in frame.columns:
            fmt = wanted.get(str(column))
            if fmt is not None and fmt not in cell_formats:
                cell_formats[fmt] = book.add_format({"num_format": fmt})
            col_formats.append(None if fmt is None else cell_formats[fmt])
        for c, column in enumerate(frame.columns):
            write_cell(ws, 0, c, str(column), formats, head)
        for c, series in enumerate(columns):
            for r, value in enumerate(series.tolist(), start=1):
                write_cell(ws, r, c, value, formats, col_formats[c])
    book.close()
    return buffer.getvalue()
