"""Reporting periods: the presets a leader picks from (month, quarter, half-year, year).

Pure date logic shared by the dashboard's filter bar, the CLI and the deck, so that
"2026年第三季度" means the same dates everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

PeriodKind = Literal["month", "quarter", "half", "year"]
KINDS: tuple[PeriodKind, ...] = ("month", "quarter", "half", "year")
_QUARTER_NAMES = ("一", "二", "三", "四")


@dataclass(frozen=True)
class Period:
    """A named reporting period ``[start, end]``, both days included."""

    kind: PeriodKind
    start: date
    end: date

    @property
    def label(self) -> str:
        y = self.start.year
        if self.kind == "month":
            return f"{y}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{y}年第{_QUARTER_NAMES[(self.start.month - 1) // 3]}季度"
        if self.kind == "half":
            return f"{y}年{'上' if self.start.month == 1 else '下'}半年"
        return f"{y}年"

    @property
    def key(self) -> str:
        """A short stable code for URLs: 2026-10, 2026Q3, 2026H2, 2026."""
        y = self.start.year
        if self.kind == "month":
            return f"{y}-{self.start.month:02d}"
        if self.kind == "quarter":
            return f"{y}Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "half":
            return f"{y}H{1 if self.start.month == 1 else 2}"
        return str(y)


def _month_end(y: int, m: int) -> date:
    return (date(y + (m == 12), m % 12 + 1, 1)) - timedelta(days=1)


def period_containing(kind: PeriodKind, day: date) -> Period:
    """The period of ``kind`` that contains ``day``."""
    y, m = day.year, day.month
    if kind == "month":
        first, last_month = m, m
    elif kind == "quarter":
        first = (m - 1) // 3 * 3 + 1
        last_month = first + 2
    elif kind == "half":
        first = 1 if m <= 6 else 7
        last_month = first + 5
    else:
        first, last_month = 1, 12
    return Period(kind, date(y, first, 1), _month_end(y, last_month))


def periods_between(kind: PeriodKind, first_day: date, last_day: date) -> list[Period]:
    """Every period of ``kind`` overlapping ``[first_day, last_day]``, newest first."""
    out: list[Period] = []
    p = period_containing(kind, last_day)
    while p.end >= first_day:
        out.append(p)
        p = period_containing(kind, p.start - timedelta(days=1))
    return out


def parse_period_key(key: str) -> Period | None:
    """The period a key of :attr:`Period.key` names, or None if it names none."""
    try:
        if len(key) == 4:
            return period_containing("year", date(int(key), 1, 1))
        if len(key) == 6 and key[4] == "Q" and key[5] in "1234":
            return period_containing("quarter", date(int(key[:4]), (int(key[5]) - 1) * 3 + 1, 1))
        if len(key) == 6 and key[4] == "H" and key[5] in "12":
            return period_containing("half", date(int(key[:4]), 1 if key[5] == "1" else 7, 1))
        if len(key) == 7 and key[4] == "-":
            return period_containing("month", date(int(key[:4]), int(key[5:]), 1))
    except ValueError:
        return None
    return None


def calendar_kind(start: date, end: date) -> PeriodKind | None:
    """The kind of calendar period ``[start, end]`` is exactly (a month, quarter, half or
    year), or None for any other span."""
    for kind in KINDS:
        p = period_containing(kind, start)
        if p.start == start and p.end == end:
            return kind
    return None


def span_label(start: date, end: date) -> str:
    """2026年第二季度 when ``[start, end]`` is a calendar period, else 2026-07-01 至 2026-08-15:
    how 上期 and 同比 are named on the screen and in the deck."""
    kind = calendar_kind(start, end)
    if kind is not None:
        return period_containing(kind, start).label
    return f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}"


def calendar_key(start: date, end: date) -> str | None:
    """2026Q3 when ``[start, end]`` is a calendar period (its :attr:`Period.key`), else None:
    the period a department's 排查 is filed under (filed per month, quarter, half or year,
    never for an arbitrary span), the same for the 部门自查 page and the department's report."""
    kind = calendar_kind(start, end)
    return period_containing(kind, start).key if kind is not None else None


def previous_span(start: date, end: date) -> tuple[date, date]:
    """上期 (indicators.md v1.1): the calendar period of the same kind just before a calendar
    month, quarter, half or year (2025Q3 → 2025Q2, 2025 → 2024); for any other span the
    span of the same number of days just before ``start``."""
    kind = calendar_kind(start, end)
    if kind is not None:
        p = period_containing(kind, start - timedelta(days=1))
        return p.start, p.end
    length = (end - start).days + 1
    prev_end = start - timedelta(days=1)
    return prev_end - timedelta(days=length - 1), prev_end


def year_before(day: date) -> date:
    """``day`` one calendar year earlier; 29 February becomes 28 February."""
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def year_ago_span(start: date, end: date) -> tuple[date, date]:
    """同比 (indicators.md): the period shifted back one calendar year.  A calendar period
    keeps its kind (2024-02 → 2023-02-01..28), so a month ending on 29 February maps to
    the whole February of the year before."""
    kind = calendar_kind(start, end)
    if kind is not None:
        p = period_containing(kind, year_before(start))
        return p.start, p.end
    return year_before(start), year_before(end)


def trailing_year_start(date_from: date, date_to: date) -> date:
    """First day of a trend window: the twelve calendar months up to ``date_to``, or the
    period itself when it is about a year or longer."""
    if (date_to - date_from).days >= 330:
        return date_from
    total = date_to.year * 12 + date_to.month - 1 - 11
    return date(total // 12, total % 12 + 1, 1)
