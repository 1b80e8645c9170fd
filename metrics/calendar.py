"""Working days by the official Chinese calendar, vectorised.

``wd(a, b)`` of ``indicators.md`` is the number of working days ``d`` with ``a < d <= b``.
Rather than asking :mod:`chinese_calendar` day by day for a million applications, we build
once a cumulative working-day index ``cum`` over a wide date range, so that
``wd(a, b) = cum[b] - cum[a]`` is one subtraction of two array look-ups.

The State Council's holiday notices (holidays and 调休 make-up working days) are known to
:mod:`chinese_calendar` only for some years (2004..2026 in version 1.11); outside them
``is_workday`` raises ``NotImplementedError`` and we fall back to Monday to Friday.
:func:`unknown_years` tells which years of a span were treated so, for the 口径 note.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar
import numpy as np
import pandas as pd

RANGE_START = dt.date(1990, 1, 1)
RANGE_END = dt.date(2060, 12, 31)
_EPOCH = dt.date(1970, 1, 1)
_START_DAY = (RANGE_START - _EPOCH).days
_END_DAY = (RANGE_END - _EPOCH).days


@lru_cache(maxsize=1)
def known_years() -> tuple[int, int]:
    """First and last year whose official holiday arrangement the calendar package knows."""
    days = list(chinese_calendar.holidays) + list(chinese_calendar.workdays)
    return min(days).year, max(days).year


def is_known_year(year: int) -> bool:
    first, last = known_years()
    return first <= year <= last


def is_working_day(day: dt.date) -> bool:
    """Official working day (调休 included); Monday to Friday outside the known years."""
    if is_known_year(day.year):
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:  # pragma: no cover - guarded by is_known_year
            pass
    return day.weekday() < 5


@lru_cache(maxsize=1)
def _cumulative() -> np.ndarray:
    """``cum[i]`` = working days in ``[RANGE_START, RANGE_START + i]`` (int32).

    Built from the package's ``holidays`` / ``workdays`` tables exactly as its
    ``is_workday`` decides (make-up day, or Monday..Friday not a holiday), but in one pass.
    """
    n = _END_DAY - _START_DAY + 1
    days = np.arange(_START_DAY, _END_DAY + 1, dtype=np.int64)
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday (weekday 3)
    flags = (weekday < 5).astype(np.int32)
    first, last = known_years()
    # Holidays first, then make-up days: a make-up day wins, as in ``is_workday``.
    for table, value in ((chinese_calendar.holidays, 0), (chinese_calendar.workdays, 1)):
        for day in table:
            if first <= day.year <= last:
                i = (day - RANGE_START).days
                if 0 <= i < n:
                    flags[i] = value
    cum = np.cumsum(flags, dtype=np.int32)
    cum.setflags(write=False)
    return cum


def day_number(value: dt.date | pd.Timestamp) -> int:
    """Days since 1970-01-01 of a date (the integer form the engine works with)."""
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if isinstance(value, dt.datetime):
        value = value.date()
    return (value - _EPOCH).days


def day_numbers(values: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 of a datetime64 Series, dates only (time of day dropped).

    Missing values (NaT) become ``MISSING_DAY``, a number below every real day.
    """
    raw = values.to_numpy(dtype="datetime64[ns]", na_value=np.datetime64("NaT"))
    days = raw.astype("datetime64[D]").astype(np.int64)
    nat = np.isnat(raw)
    days[nat] = MISSING_DAY
    return days


MISSING_DAY = np.iinfo(np.int64).min // 4


def cum_index(days: np.ndarray | int) -> np.ndarray:
    """The cumulative working-day index at day numbers (clipped to the calendar's range).

    Missing days (``MISSING_DAY``) give 0; callers mask them out.
    """
    cum = _cumulative()
    pos = np.clip(np.asarray(days, dtype=np.int64) - _START_DAY, 0, len(cum) - 1)
    return cum[pos].astype(np.int64)


def wd(a: dt.date, b: dt.date) -> int:
    """Working days ``d`` with ``a < d <= b`` (negative if ``b < a``)."""
    return int(cum_index(day_number(b)) - cum_index(day_number(a)))


def wd_days(a: np.ndarray, b: np.ndarray | int) -> np.ndarray:
    """Vectorised :func:`wd` over day numbers."""
    return cum_index(b) - cum_index(a)


def unknown_years(first: dt.date, last: dt.date) -> list[int]:
    """Years in ``[first, last]`` for which Monday to Friday stood in for the official calendar."""
    lo, hi = known_years()
    return [y for y in range(first.year, last.year + 1) if y < lo or y > hi]


def calendar_note(first: dt.date, last: dt.date) -> str | None:
    """A Chinese note for the page when the span touches years the calendar does not know."""
    years = unknown_years(first, last)
    if not years:
        return None
    text = "、".join(str(y) for y in years)
    return f"{text}年的法定节假日安排尚未收录，这些年份的工作日按周一至周五计算。"
