"""A parsed column (:class:`Parsed`), the Chinese reasons for invalid cells, and raw cells
as trimmed text: what every parser of :mod:`data.values` and :mod:`data.date_values` shares."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data.arrow_text import arrow_strings


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




def has_value(text: pd.Series) -> np.ndarray:
    """Which cells of trimmed text held a value."""
    return text.notna().to_numpy()
