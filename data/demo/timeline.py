"""The official working-day calendar as numpy arrays, and small time helpers for the demo data.

Days are numbered from :data:`ORIGIN`; a :class:`WorkCalendar` answers, for whole arrays of
day numbers at once, whether a day is a working day and which working day lies ``k``
working days after another, so that timestamps for a million applications are built
without a Python loop.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import numpy as np

ORIGIN = dt.date(2022, 1, 1)
LAST = dt.date(2027, 12, 31)
PERIOD_START = dt.date(2024, 11, 1)
PERIOD_END = dt.date(2026, 10, 31)
CUTOFF = np.datetime64("2026-10-31T23:59:59", "s")
"""The moment the demo export was taken: nothing that happened is dated later."""

DAY = 86_400
HOUR = 3_600
MINUTE = 60


def day_no(d: dt.date | str) -> int:
    """Number of ``d`` (a date or ISO string) counted from :data:`ORIGIN`."""
    if isinstance(d, str):
        d = dt.date.fromisoformat(d)
    return (d - ORIGIN).days


def day_date(n: int) -> dt.date:
    return ORIGIN + dt.timedelta(days=int(n))


def iso(n: int) -> str:
    return day_date(n).isoformat()


class WorkCalendar:
    """Working days by the State Council's holiday notices (``chinese_calendar``), 调休 included.

    Beyond the years ``chinese_calendar`` knows, Monday to Friday are working days.
    """

    def __init__(self) -> None:
        n = (LAST - ORIGIN).days + 1
        work = np.zeros(n, dtype=bool)
        festival = np.zeros(n, dtype=bool)
        for i in range(n):
            d = ORIGIN + dt.timedelta(days=i)
            try:
                work[i] = chinese_calendar.is_workday(d)
                on_holiday, name = chinese_calendar.get_holiday_detail(d)
                festival[i] = bool(on_holiday and name)
            except NotImplementedError:
                work[i] = d.weekday() < 5
        self.is_work = work
        self.is_festival = festival
        """Statutory holidays (Spring Festival, National Day, ...), not plain weekends."""
        self.workdays = np.flatnonzero(work)
        """Day numbers of all working days, ascending."""
        self.rank_before = np.cumsum(work) - work
        """For each day: the number of working days before it = index of the first working day ≥ it."""

    def next_work_index(self, days: np.ndarray) -> np.ndarray:
        """Index into :attr:`workdays` of the first working day on or after each day."""
        return self.rank_before[days]

    def work_index_after(self, days: np.ndarray) -> np.ndarray:
        """Index into :attr:`workdays` of the first working day strictly after each day."""
        return self.rank_before[days + 1]

    def add_workdays(self, days: np.ndarray, k: np.ndarray | int) -> np.ndarray:
        """The working day ``k`` working days after each (working) day; k=0 gives the day itself."""
        return self.workdays[self.next_work_index(days) + k]

    def wd_between(self, a: np.ndarray | int, b: np.ndarray | int) -> np.ndarray:
        """wd(a, b) of the indicator dictionary: working days d with a < d ≤ b."""
        a = np.asarray(a)
        b = np.asarray(b)
        return (self.rank_before[b] + self.is_work[b]) - (self.rank_before[a] + self.is_work[a])


def office_seconds(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds after midnight within office hours (08:30–12:00, 14:30–17:40)."""
    morning = rng.random(n) < 0.56
    am = rng.uniform(8.5 * HOUR, 12 * HOUR, n)
    pm = rng.uniform(14.5 * HOUR, 17.67 * HOUR, n)
    return np.where(morning, am, pm).astype(np.int64)


_ONLINE_HOURS = np.array(
    [0.3, 0.15, 0.08, 0.05, 0.05, 0.1, 0.3, 1.0, 3.0, 6.0, 7.0, 6.5,
     3.0, 2.5, 5.0, 6.0, 6.0, 5.0, 3.0, 2.5, 3.0, 3.0, 2.0, 1.0]
)


def online_seconds(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds after midnight of online submissions: office-hour peaks, evenings, a few at night."""
    hours = rng.choice(24, size=n, p=_ONLINE_HOURS / _ONLINE_HOURS.sum())
    return (hours * HOUR + rng.integers(0, HOUR, n)).astype(np.int64)


def to_datetime(days: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """datetime64[s] from day numbers and seconds after midnight."""
    origin = np.datetime64(ORIGIN.isoformat(), "s")
    return origin + (days.astype(np.int64) * DAY + seconds.astype(np.int64)).astype("timedelta64[s]")


def to_days(values: np.ndarray) -> np.ndarray:
    """Day numbers of datetime64 values."""
    origin = np.datetime64(ORIGIN.isoformat(), "D")
    return (values.astype("datetime64[D]") - origin).astype(np.int64)
