"""Working days by the official calendar, counted by hand.

wd(a, b) = working days d with a < d ≤ b.  Spring Festival 2025: 01-28..02-04 off, make-up
Sun 01-26 and Sat 02-08.  National Day 2025: 10-01..10-08 off, make-up Sun 09-28 and Sat 10-11.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import numpy as np
import pytest

from metrics.calendar import (
    calendar_note,
    cum_index,
    day_number,
    is_working_day,
    known_years,
    unknown_years,
    wd,
    wd_days,
)

D = dt.date


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (D(2025, 1, 24), D(2025, 1, 27), 2),  # Sat off, Sun 01-26 make-up, Mon
        (D(2025, 1, 27), D(2025, 2, 4), 0),  # the whole holiday
        (D(2025, 1, 24), D(2025, 2, 6), 4),  # 01-26, 01-27, 02-05, 02-06
        (D(2025, 1, 20), D(2025, 2, 11), 12),  # 21..24, 26, 27, 02-05..08, 10, 11
        (D(2025, 2, 7), D(2025, 2, 10), 2),  # Sat 02-08 make-up, Sun off, Mon
        (D(2025, 9, 26), D(2025, 10, 13), 7),  # 09-28, 29, 30, 10-09, 10, 11, 13
        (D(2025, 9, 29), D(2025, 10, 11), 4),  # 09-30, 10-09, 10-10, Sat 10-11
        (D(2025, 9, 30), D(2025, 10, 8), 0),
        (D(2024, 12, 30), D(2025, 1, 10), 8),  # 12-31, 01-01 off, 02, 03, 06..10
        (D(2025, 3, 3), D(2025, 3, 3), 0),  # same day
        (D(2025, 3, 3), D(2025, 3, 31), 20),  # an ordinary month
    ],
)
def test_working_days_by_hand(a: dt.date, b: dt.date, expected: int) -> None:
    assert wd(a, b) == expected


def test_make_up_days_and_holidays() -> None:
    assert is_working_day(D(2025, 1, 26))  # Sunday, 调休
    assert is_working_day(D(2025, 2, 8))  # Saturday, 调休
    assert is_working_day(D(2025, 9, 28))
    assert is_working_day(D(2025, 10, 11))
    assert not is_working_day(D(2025, 1, 28))
    assert not is_working_day(D(2025, 10, 8))
    assert not is_working_day(D(2025, 2, 9))  # ordinary Sunday


def test_vectorised_matches_scalar() -> None:
    a = np.array([day_number(D(2025, 1, 24)), day_number(D(2025, 9, 26))])
    b = np.array([day_number(D(2025, 2, 6)), day_number(D(2025, 10, 13))])
    assert wd_days(a, b).tolist() == [4, 7]
    assert int(cum_index(day_number(D(2025, 1, 26))) - cum_index(day_number(D(2025, 1, 25)))) == 1


def test_agrees_with_package_on_every_known_day() -> None:
    first, last = known_years()
    day = D(first, 1, 1)
    while day <= D(last, 12, 31):
        assert wd(day - dt.timedelta(days=1), day) == int(chinese_calendar.is_workday(day)), day
        day += dt.timedelta(days=1)


def test_unknown_years_fall_back_to_monday_to_friday() -> None:
    first, last = known_years()
    assert (first, last) == (2004, 2026)
    # 2027-01-01 is a Friday; the official arrangement for 2027 is not known: Mon..Fri
    assert is_working_day(D(2027, 1, 1))
    assert wd(D(2026, 12, 31), D(2027, 1, 8)) == 6  # 01-01, 01-04..08
    assert wd(D(2003, 1, 1), D(2003, 1, 8)) == 5  # 2003: 01-02, 03, 06, 07, 08
    assert unknown_years(D(2026, 6, 1), D(2027, 3, 1)) == [2027]
    assert calendar_note(D(2025, 1, 1), D(2025, 12, 31)) is None
    note = calendar_note(D(2026, 10, 1), D(2027, 3, 31))
    assert note is not None and "2027" in note and "周一至周五" in note
