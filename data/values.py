"""Vectorised parsers for the value kinds of the data contract.

Each contract :class:`~data.contract.Kind` has one parser that turns a column of raw cells
(strings from a CSV file, or the native objects openpyxl returns for an Excel sheet) into
typed values, the mask of cells that held a value, and the masks of invalid cells with
the Chinese reason for each.  Parsers work on whole columns with pandas/numpy so that a
million-row file is checked in well under a second per column; only Excel object columns
take a per-cell Python step (openpyxl is slower than that anyway).

The pieces live in modules named for them: :mod:`data.parsed` (the result type, reasons,
raw cells as text), :mod:`data.date_values` (dates and date-times), :mod:`data.uscc` (the
unified social credit code check, GB 32100-2015, re-exported here for reuse:
:func:`uscc_check_char` and :func:`is_valid_uscc`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data.arrow_text import arrow_strings
from data.contract import RATING_WORDS, Column, Kind
from data.date_values import parse_date, parse_datetime
from data.parsed import (
    INT_MAX,
    REASON_BOOL,
    REASON_INT,
    REASON_INT_BIG,
    REASON_NUMBER,
    REASON_RATING,
    REASON_USCC_CHAR,
    REASON_USCC_LEN,
    Parsed,
    cell_text,
    has_value,
    to_text,
)
from data.uscc import USCC_CHARSET, is_valid_uscc, uscc_check_char, uscc_expected, uscc_problems

_BOOL_WORDS = {"是": 1.0, "否": 0.0, "true": 1.0, "false": 0.0, "1": 1.0, "0": 0.0, "y": 1.0, "n": 0.0}


def _lookup(text: pd.Series, words: dict[str, float], lower: bool = False) -> np.ndarray:
    """The value of each string in ``words`` (NaN where it is not one of them), by hash lookup."""
    arr = arrow_strings(text)
    if lower:
        arr = pc.utf8_lower(arr)
    positions = pc.index_in(arr, value_set=pa.array(list(words), type=arr.type))
    table = np.append(np.array(list(words.values()), dtype=np.float64), np.nan)
    return table[positions.fill_null(len(words)).to_numpy(zero_copy_only=False)]  # type: ignore[no-any-return]


def parse_text(col: Column, raw: pd.Series) -> Parsed:
    """Text: trimmed; empty is missing."""
    text = to_text(raw)
    return Parsed(text, has_value(text))


def parse_enum(col: Column, raw: pd.Series) -> Parsed:
    """Enumeration: exactly one of the column's Chinese values."""
    text = to_text(raw)
    present = has_value(text)
    bad = present & ~text.isin(col.values).to_numpy()
    reason = f"不是允许的取值（应为：{'、'.join(col.values)}）"
    return Parsed(text.mask(bad), present, ((bad, reason),) if bad.any() else ())


def parse_bool(col: Column, raw: pd.Series) -> Parsed:
    """Boolean: 是/否, true/false, 1/0, Y/N (any case)."""
    text = to_text(raw)
    present = has_value(text)
    mapped = _lookup(text, _BOOL_WORDS, lower=True)
    ok = ~np.isnan(mapped)
    bad = present & ~ok
    values = pd.Series(pd.arrays.BooleanArray(mapped == 1.0, ~ok), index=raw.index)
    return Parsed(values, present, ((bad, REASON_BOOL),) if bad.any() else ())


def _numbers(text: pd.Series) -> np.ndarray:
    """Decimal numbers of trimmed strings; NaN where missing or not a number."""
    try:
        return pc.cast(arrow_strings(text), pa.float64()).to_numpy(zero_copy_only=False)  # type: ignore[no-any-return]
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)  # type: ignore[no-any-return]


def parse_int(col: Column, raw: pd.Series) -> Parsed:
    """Integer ≥ 0 (an integral value such as ``3.0`` from Excel counts)."""
    text = to_text(raw)
    present = has_value(text)
    num = _numbers(text)
    with np.errstate(invalid="ignore"):
        integral = np.isfinite(num) & (np.floor(num) == num) & (num >= 0)
    bad = present & ~integral
    big = present & integral & (num > INT_MAX)
    ok = integral & ~big
    values = pd.Series(pd.array(np.where(ok, num, 0).astype(np.int64), dtype="Int64"), index=raw.index)
    values = values.mask(~ok)
    errors = tuple(e for e in ((bad, REASON_INT), (big, REASON_INT_BIG)) if e[0].any())
    return Parsed(values, present, errors)


def parse_number(col: Column, raw: pd.Series) -> Parsed:
    """A finite decimal number."""
    text = to_text(raw)
    present = has_value(text)
    num = _numbers(text)
    ok = np.isfinite(num)
    bad = present & ~ok
    values = pd.Series(np.where(ok, num, np.nan), index=raw.index, dtype="float64")
    return Parsed(values, present, ((bad, REASON_NUMBER),) if bad.any() else ())


def parse_rating(col: Column, raw: pd.Series) -> Parsed:
    """Rating: 1..5 or one of the five Chinese satisfaction words."""
    text = to_text(raw)
    present = has_value(text)
    words = _lookup(text, {k: float(v) for k, v in RATING_WORDS.items()})
    is_word = ~np.isnan(words)
    num = np.where(is_word, words, _numbers(text.mask(is_word)))
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(num) & (np.floor(num) == num) & (num >= 1) & (num <= 5)
    bad = present & ~ok
    values = pd.Series(pd.array(np.where(ok, num, 0).astype(np.int64), dtype="Int64"), index=raw.index)
    return Parsed(values.mask(~ok), present, ((bad, REASON_RATING),) if bad.any() else ())


def parse_uscc(col: Column, raw: pd.Series) -> Parsed:
    """Unified social credit code: 18 characters with a correct GB 32100-2015 check character."""
    text = to_text(raw).str.upper()
    present = has_value(text)
    wrong_len, bad_char, bad_check = uscc_problems(text)
    errors: list[tuple[np.ndarray, str | np.ndarray]] = []
    if wrong_len.any():
        errors.append((wrong_len, REASON_USCC_LEN))
    if bad_char.any():
        errors.append((bad_char, REASON_USCC_CHAR))
    if bad_check.any():
        expected = uscc_expected(text[bad_check])
        reasons = np.array([f"统一社会信用代码校验码错误（第 18 位应为 {c}）" for c in expected], dtype=object)
        errors.append((bad_check, reasons))
    bad = wrong_len | bad_char | bad_check
    return Parsed(text.mask(bad), present, tuple(errors))


_PARSERS = {
    Kind.TEXT: parse_text,
    Kind.ENUM: parse_enum,
    Kind.BOOL: parse_bool,
    Kind.INT: parse_int,
    Kind.NUMBER: parse_number,
    Kind.DATE: parse_date,
    Kind.DATETIME: parse_datetime,
    Kind.RATING: parse_rating,
    Kind.USCC: parse_uscc,
}


def parse_column(col: Column, raw: pd.Series) -> Parsed:
    """Parse one column of raw cells according to its contract kind."""
    return _PARSERS[col.kind](col, raw)


__all__ = [
    "USCC_CHARSET", "Parsed", "cell_text", "is_valid_uscc", "parse_column", "parse_date", "parse_datetime",
    "to_text", "uscc_check_char", "uscc_expected", "uscc_problems",
]
