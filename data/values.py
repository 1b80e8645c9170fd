"""Vectorised parsers for the value kinds of the data contract.

Each contract :class:`~data.contract.Kind` has one parser that turns a column of raw cells
(strings from a CSV file, or the native objects openpyxl returns for an Excel sheet) into
typed values, the mask of cells that held a value, and the masks of invalid cells with
the Chinese reason for each.  Parsers work on whole columns with pandas/numpy so that a
million-row file is checked in well under a second per column; only Excel object columns
take a per-cell Python step (openpyxl is slower than that anyway).

The unified social credit code check (GB 32100-2015) is exported for reuse:
:func:`uscc_check_char` and :func:`is_valid_uscc`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data.contract import RATING_WORDS, Column, Kind

# --- unified social credit code (GB 32100-2015) ------------------------------------------

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters a unified social credit code may contain (no I, O, S, V, Z)."""
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
"""Weights of the first 17 characters: 3**i mod 31."""

_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_CHARSET)}
_USCC_LUT = np.full(128, -1, dtype=np.int8)
for _ch, _v in _USCC_VALUE.items():
    _USCC_LUT[ord(_ch)] = _v


def uscc_check_char(first17: str) -> str:
    """The check character (18th) of a unified social credit code from its first 17.

    Raises ``ValueError`` when ``first17`` is not 17 characters of the code's charset.
    """
    if len(first17) != 17:
        raise ValueError(f"expected 17 characters, got {len(first17)}")
    try:
        total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    except KeyError as err:
        raise ValueError(f"invalid character {err.args[0]!r} in {first17!r}") from None
    check = 31 - total % 31
    return USCC_CHARSET[0 if check == 31 else check]


def is_valid_uscc(code: str) -> bool:
    """Whether ``code`` is an 18-character unified social credit code with a correct check character."""
    if not isinstance(code, str) or len(code) != 18:
        return False
    try:
        return uscc_check_char(code[:17]) == code[17]
    except ValueError:
        return False


def uscc_problems(codes: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised check of trimmed, upper-cased codes (missing = NA).

    Returns three masks over ``codes``: wrong length, a character outside the charset, and a
    wrong check character; :func:`uscc_expected` gives the correct check characters.
    """
    arr = arrow_strings(codes)
    present = codes.notna().to_numpy()
    lengths = pc.utf8_length(arr).to_numpy(zero_copy_only=False)
    wrong_len = present & (np.nan_to_num(lengths.astype(np.float64)) != 18)
    idx, chars = fixed_width_bytes(arr, 18)
    values = _uscc_values(chars)
    invalid = (values < 0).any(axis=1)
    wrong = ~invalid & (_uscc_check_values(values) != values[:, 17])
    bad_char = present & ~wrong_len
    bad_char[idx[~invalid]] = False  # 18 ASCII bytes of the charset; other 18-character codes are not
    bad_check = np.zeros(len(codes), dtype=bool)
    bad_check[idx[wrong]] = True
    return wrong_len, bad_char, bad_check


def uscc_expected(codes: pd.Series) -> np.ndarray:
    """The correct check character of each 18-character code of valid charset (object array)."""
    _, chars = fixed_width_bytes(arrow_strings(codes), 18)
    table = np.array(list(USCC_CHARSET), dtype=object)
    return table[_uscc_check_values(_uscc_values(chars))]  # type: ignore[no-any-return]


def _uscc_values(chars: np.ndarray) -> np.ndarray:
    """(n, 18) charset values of 18-byte codes; -1 for bytes outside the charset."""
    return _USCC_LUT[np.minimum(chars, 127)]  # type: ignore[no-any-return]


def _uscc_check_values(values: np.ndarray) -> np.ndarray:
    """Check character values from the first 17 (meaningless where a value is -1)."""
    total = np.zeros(len(values), dtype=np.int64)
    for j, weight in enumerate(USCC_WEIGHTS):
        total += values[:, j].astype(np.int64) * weight
    check = 31 - total % 31
    return np.where(check == 31, 0, check)  # type: ignore[no-any-return]


# --- strings as bytes ---------------------------------------------------------------------------

def arrow_strings(text: pd.Series) -> pa.LargeStringArray:
    """A string Series as one Arrow large-string array (zero-copy for pandas' ``str`` dtype)."""
    arr = pa.array(text.array) if isinstance(text.array, pd.arrays.ArrowStringArray) else None
    if arr is None:
        arr = pa.array(text.to_numpy(dtype=object, na_value=None), type=pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.type != pa.large_string():
        arr = arr.cast(pa.large_string())
    return arr


def fixed_width_bytes(arr: pa.LargeStringArray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the non-null strings exactly ``width`` bytes long, and their bytes as (m, width)."""
    lengths = pc.binary_length(arr)
    mask = pc.fill_null(pc.equal(lengths, width), False)
    idx = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
    if not len(idx):
        return idx, np.zeros((0, width), dtype=np.uint8)
    picked = arr.filter(mask)  # a fresh array: its strings lie back to back
    _, offsets_buf, data_buf = picked.buffers()
    first = int(np.frombuffer(offsets_buf, dtype=np.int64)[picked.offset])
    data = np.frombuffer(data_buf, dtype=np.uint8)[first: first + width * len(idx)]
    return idx, data.reshape(-1, width)


# --- parsed columns -----------------------------------------------------------------------


@dataclass(frozen=True)
class Parsed:
    """One column parsed: typed ``values`` (NA where missing or invalid), the cells that held
    a value, and the invalid cells with their reasons (``reasons`` is a scalar message or an
    object array aligned with the mask's ``True`` positions)."""

    values: pd.Series
    present: np.ndarray
    errors: tuple[tuple[np.ndarray, str | np.ndarray], ...] = ()

    @property
    def invalid(self) -> np.ndarray:
        out = np.zeros(len(self.values), dtype=bool)
        for mask, _ in self.errors:
            out |= mask
        return out


INT_MAX = 2_147_483_647
"""Largest integer a contract int column holds (a 32-bit database INTEGER)."""
MIN_YEAR, MAX_YEAR = 1900, 2100
"""Dates outside these years are surely typing errors (and would overflow nanosecond dates)."""

_BOOL_WORDS = {"是": 1.0, "否": 0.0, "true": 1.0, "false": 0.0, "1": 1.0, "0": 0.0, "y": 1.0, "n": 0.0}

REASON_BOOL = "不是有效的是/否值（应为 是/否、true/false、1/0 或 Y/N）"
REASON_INT = "应为非负整数"
REASON_INT_BIG = f"数值过大（不能超过 {INT_MAX}）"
REASON_NUMBER = "应为数字"
REASON_DATE = "不是有效的日期（应为 2025-03-31、2025/3/31 或 2025年3月31日）"
REASON_DATE_TIME = "日期不应包含时间"
REASON_DATETIME = "不是有效的日期时间（应为 2025-03-31 14:05 或 2025-03-31 14:05:09）"
REASON_YEAR = f"日期超出合理范围（{MIN_YEAR}–{MAX_YEAR} 年）"
REASON_RATING = "好差评应为 1–5 的整数，或 非常不满意/不满意/基本满意/满意/非常满意"
REASON_USCC_LEN = "统一社会信用代码应为 18 位"
REASON_USCC_CHAR = "统一社会信用代码含有不允许的字符（只能是数字和除 I、O、S、V、Z 以外的大写字母）"


def cell_text(value: object) -> object:
    """One raw cell as text the user would recognise (Excel numbers and dates included)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def to_text(raw: pd.Series) -> pd.Series:
    """Raw cells as trimmed strings (pandas ``str`` dtype); empty cells become NA."""
    if raw.dtype == object:
        raw = raw.map(cell_text, na_action="ignore").astype("str")
    arr = pc.utf8_trim_whitespace(arrow_strings(raw))
    arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)
    return pd.Series(arr, dtype="str", index=raw.index)


def _lookup(text: pd.Series, words: dict[str, float], lower: bool = False) -> np.ndarray:
    """The value of each string in ``words`` (NaN where it is not one of them), by hash lookup."""
    arr = arrow_strings(text)
    if lower:
        arr = pc.utf8_lower(arr)
    positions = pc.index_in(arr, value_set=pa.array(list(words), type=arr.type))
    table = np.append(np.array(list(words.values()), dtype=np.float64), np.nan)
    return table[positions.fill_null(len(words)).to_numpy(zero_copy_only=False)]  # type: ignore[no-any-return]


def _present(text: pd.Series) -> np.ndarray:
    return text.notna().to_numpy()


def parse_text(col: Column, raw: pd.Series) -> Parsed:
    """Text: trimmed; empty is missing."""
    text = to_text(raw)
    return Parsed(text, _present(text))


def parse_enum(col: Column, raw: pd.Series) -> Parsed:
    """Enumeration: exactly one of the column's Chinese values."""
    text = to_text(raw)
    present = _present(text)
    bad = present & ~text.isin(col.values).to_numpy()
    reason = f"不是允许的取值（应为：{'、'.join(col.values)}）"
    return Parsed(text.mask(bad), present, ((bad, reason),) if bad.any() else ())


def parse_bool(col: Column, raw: pd.Series) -> Parsed:
    """Boolean: 是/否, true/false, 1/0, Y/N (any case)."""
    text = to_text(raw)
    present = _present(text)
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
    present = _present(text)
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
    present = _present(text)
    num = _numbers(text)
    ok = np.isfinite(num)
    bad = present & ~ok
    values = pd.Series(np.where(ok, num, np.nan), index=raw.index, dtype="float64")
    return Parsed(values, present, ((bad, REASON_NUMBER),) if bad.any() else ())


def parse_rating(col: Column, raw: pd.Series) -> Parsed:
    """Rating: 1..5 or one of the five Chinese satisfaction words."""
    text = to_text(raw)
    present = _present(text)
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
    present = _present(text)
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


# --- dates and date-times -------------------------------------------------------------------

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
        return _finish_dates(stamps, _present(text), errors, REASON_DATE)
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
    return _finish_dates(stamps, _present(text) | native, errors, REASON_DATE)


def parse_datetime(col: Column, raw: pd.Series) -> Parsed:
    """Date-time: ``2025-03-31 14:05[:09]`` (also with ``/``) or a native Excel date-time."""
    native = _native_mask(raw)
    errors: list[tuple[np.ndarray, str | np.ndarray]] = []
    if native is None:
        text = to_text(raw)
        stamps = _parse_strings(text, (16, 19), _DATETIME_RE, with_time=True)
        return _finish_dates(stamps, _present(text), errors, REASON_DATETIME)
    text = to_text(raw.where(~native, None))
    stamps = _parse_strings(text, (16, 19), _DATETIME_RE, with_time=True)
    nat_stamps, is_time, _ = _parse_natives(raw, native)
    stamps.loc[nat_stamps.index] = nat_stamps
    bad_native = np.zeros(len(raw), dtype=bool)
    bad_native[np.flatnonzero(native)[is_time]] = True
    if bad_native.any():
        errors.append((bad_native, REASON_DATETIME))
    return _finish_dates(stamps, _present(text) | native, errors, REASON_DATETIME)


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
