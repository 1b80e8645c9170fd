"""Vectorised parsing of the contract's date and date-time cells: ISO strings by bytes,
other spellings (``2025/3/31``, ``2025年3月31日``) by regular expression, and the native
dates openpyxl returns for Excel cells."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from data.arrow_text import arrow_strings, fixed_width_bytes
from data.contract import Column
from data.parsed import (
    MAX_YEAR,
    MIN_YEAR,
    REASON_DATE,
    REASON_DATE_TIME,
    REASON_DATETIME,
    REASON_YEAR,
    Parsed,
    has_value,
    to_text,
)

_DATE_RE = r"^(\d{4})(?:-(\d{1,2})-(\d{1,2})|/(\d{1,2})/(\d{1,2})|年(\d{1,2})月(\d{1,2})日)$"
_DATETIME_RE = (
    r"^(\d{4})(?:-(\d{1,2})-(\d{1,2})|/(\d{1,2})/(\d{1,2}))[ \t]+(\d{1,2}):(\d{2})(?::(\d{2}))?$"
)


def _native_mask(raw: pd.Series) -> np.ndarray | None:
    """Cells holding native date/time objects (Excel); ``None`` when there are none."""
    if raw.dtype != object:
        return None
    mask = raw.map(lambda v: isinstance(v, (dt.date, dt.time, pd.Timestamp)), na_action="ignore")
    arr = mask.fillna(False).to_numpy(dtype=bool)
    return arr if arr.any() else None


def _coalesce(*parts: pd.Series) -> pd.Series:
    out = parts[0]
    for part in parts[1:]:
        out = out.fillna(part)
    return out


def _from_parts(groups: pd.DataFrame, ymd: Sequence[tuple[int, int, int]], hms: tuple[int, ...] = ()) -> pd.Series:
    """Timestamps from regex groups: ``ymd`` lists alternative (year, month, day) group positions."""
    year = groups[ymd[0][0]]
    month = _coalesce(*[groups[m] for _, m, _ in ymd])
    day = _coalesce(*[groups[d] for _, _, d in ymd])
    parts = {"year": year, "month": month, "day": day}
    for name, pos in zip(("hour", "minute", "second"), hms, strict=False):
        parts[name] = groups[pos]
    frame = pd.DataFrame({k: pd.to_numeric(v, errors="coerce") for k, v in parts.items()})
    if "second" in frame:
        frame["second"] = frame["second"].fillna(0)
    with np.errstate(invalid="ignore"):
        ok = frame.notna().all(axis=1)
    out = pd.Series(pd.NaT, index=groups.index, dtype="datetime64[s]")
    if ok.any():
        sub = frame[ok].astype("int64")
        bad_time = pd.Series(False, index=sub.index)
        if "hour" in sub:
            bad_time = (sub["hour"] > 23) | (sub["minute"] > 59) | (sub["second"] > 59)
        sub = sub[~bad_time]
        out.loc[sub.index] = pd.to_datetime(sub, errors="coerce")
    return out


def _calendar_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Days from 1970-01-01 to 1 January of each year 0..9999, leap-year flags, and days before
    each month (index 1..12) in a common year."""
    years = np.arange(10000)
    leap = ((years % 4 == 0) & (years % 100 != 0)) | (years % 400 == 0)
    jan1 = np.array([f"{y:04d}-01-01" for y in years], dtype="datetime64[D]").astype(np.int64)
    before = np.array([0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334], dtype=np.int64)
    return jan1, leap, before


_JAN1, _LEAP, _DAYS_BEFORE_MONTH = _calendar_tables()
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _iso_fast(arr: pa.LargeStringArray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Zero-padded ``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM`` or ``YYYY-MM-DD HH:MM:SS`` (also with ``/``),
    parsed from the raw bytes: positions of the strings that are valid, and their times."""
    idx, b = fixed_width_bytes(arr, width)
    m = len(idx)
    if not m:
        return idx, np.zeros(0, dtype="datetime64[s]")
    d = b - np.uint8(48)  # digits become 0..9; every other byte wraps to a larger value
    digits = [0, 1, 2, 3, 5, 6, 8, 9] + ([11, 12, 14, 15] if width >= 16 else []) + ([17, 18] if width == 19 else [])
    ok = (d[:, digits] <= 9).all(axis=1)

    def num(*positions: int) -> np.ndarray:
        out = d[:, positions[0]].astype(np.int64)
        for pos in positions[1:]:
            out = out * 10 + d[:, pos]
        return out

    year, month, day = num(0, 1, 2, 3), num(5, 6), num(8, 9)
    sep = b[:, 4]
    ok &= ((sep == ord("-")) | (sep == ord("/"))) & (b[:, 7] == sep)
    seconds = np.zeros(m, dtype=np.int64)
    if width >= 16:
        hour, minute = num(11, 12), num(14, 15)
        ok &= (b[:, 10] == ord(" ")) & (b[:, 13] == ord(":")) & (hour <= 23) & (minute <= 59)
        seconds = hour * 3600 + minute * 60
        if width == 19:
            second = num(17, 18)
            ok &= (b[:, 16] == ord(":")) & (second <= 59)
            seconds += second
    ok &= (month >= 1) & (month <= 12)
    year = np.where(ok, year, 1970)
    month = np.where(ok, month, 1)
    leap = _LEAP[year]
    ok &= (day >= 1) & (day <= _DAYS_IN_MONTH[month] + ((month == 2) & leap))
    days = _JAN1[year] + _DAYS_BEFORE_MONTH[month] + ((month > 2) & leap) + day - 1
    stamps = (days * 86400 + seconds).astype("datetime64[s]")
    return idx[ok], stamps[ok]


def _parse_strings(text: pd.Series, widths: Sequence[int], regex: str, with_time: bool) -> pd.Series:
    """Parse trimmed strings: zero-padded ISO forms from their bytes, the other forms by regex."""
    out = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[s]")
    arr = arrow_strings(text)
    for width in widths:
        idx, stamps = _iso_fast(arr, width)
        out[idx] = stamps
    todo = text.notna().to_numpy() & np.isnat(out)
    if todo.any():
        groups = text[todo].str.extract(regex)
        groups.columns = range(groups.shape[1])
        if with_time:
            parsed = _from_parts(groups, [(0, 1, 2), (0, 3, 4)], (5, 6, 7))
        else:
            parsed = _from_parts(groups, [(0, 1, 2), (0, 3, 4), (0, 5, 6)])
        out[todo] = parsed.to_numpy(dtype="datetime64[s]")
    return pd.Series(out, index=text.index)


def _parse_natives(raw: pd.Series, native: np.ndarray) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Native Excel cells → timestamps, plus masks of time-only cells and cells with a time of day."""
    cells = raw[native]
    is_time = cells.map(lambda v: isinstance(v, dt.time)).to_numpy(dtype=bool)
    stamps = pd.to_datetime(cells.where(~is_time, None), errors="coerce").dt.round("s").astype("datetime64[s]")
    has_clock = (stamps.notna() & (stamps != stamps.dt.normalize())).to_numpy()
    return stamps, is_time, has_clock


def _finish_dates(
    stamps: pd.Series, present: np.ndarray, errors: list[tuple[np.ndarray, str | np.ndarray]], reason: str
) -> Parsed:
    parsed_ok = stamps.notna().to_numpy()
    flagged = np.zeros(len(stamps), dtype=bool)
    for mask, _ in errors:
        flagged |= mask
    bad = present & ~parsed_ok & ~flagged
    if bad.any():
        errors.append((bad, reason))
    years = stamps.dt.year.to_numpy(dtype=np.float64, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        out_of_range = parsed_ok & ((years < MIN_YEAR) | (years > MAX_YEAR))
    if out_of_range.any():
        errors.append((out_of_range, REASON_YEAR))
    keep = parsed_ok & ~out_of_range & ~flagged
    values = stamps.where(keep).astype("datetime64[ns]")
    return Parsed(values, present, tuple(errors))


def parse_date(col: Column, raw: pd.Series) -> Parsed:
    """Date: ``2025-03-31``, ``2025/3/31``, ``2025年3月31日`` or a native Excel date."""
    native = _native_mask(raw)
    errors: list[tuple[np.ndarray, str | np.ndarray]] = []
    if native is None:
        text = to_text(raw)
        stamps = _parse_strings(text, (10,), _DATE_RE, with_time=False)
        return _finish_dates(stamps, has_value(text), errors, REASON_DATE)
    text = to_text(raw.where(~native, None))
    stamps = _parse_strings(text, (10,), _DATE_RE, with_time=False)
    nat_stamps, is_time, has_clock = _parse_natives(raw, native)
    stamps.loc[nat_stamps.index] = nat_stamps
    idx = np.flatnonzero(native)
    bad_native = np.zeros(len(raw), dtype=bool)
    bad_native[idx[is_time]] = True
    clock = np.zeros(len(raw), dtype=bool)
    clock[idx[has_clock]] = True
    if bad_native.any():
        errors.append((bad_native, REASON_DATE))
    if clock.any():
        errors.append((clock, REASON_DATE_TIME))
    return _finish_dates(stamps, has_value(text) | native, errors, REASON_DATE)


def parse_datetime(col: Column, raw: pd.Series) -> Parsed:
    """Date-time: ``2025-03-31 14:05[:09]`` (also with ``/``) or a native Excel date-time."""
    native = _native_mask(raw)
    errors: list[tuple[np.ndarray, str | np.ndarray]] = []
    if native is None:
        text = to_text(raw)
        stamps = _parse_strings(text, (16, 19), _DATETIME_RE, with_time=True)
        return _finish_dates(stamps, has_value(text), errors, REASON_DATETIME)
    text = to_text(raw.where(~native, None))
    stamps = _parse_strings(text, (16, 19), _DATETIME_RE, with_time=True)
    nat_stamps, is_time, _ = _parse_natives(raw, native)
    stamps.loc[nat_stamps.index] = nat_stamps
    bad_native = np.zeros(len(raw), dtype=bool)
    bad_native[np.flatnonzero(native)[is_time]] = True
    if bad_native.any():
        errors.append((bad_native, REASON_DATETIME))
    return _finish_dates(stamps, has_value(text) | native, errors, REASON_DATETIME)
