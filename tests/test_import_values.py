"""Value parsers and the USCC check character, cell by cell."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from data import contract
from data.values import is_valid_uscc, parse_column, uscc_check_char

APPS = contract.APPLICATIONS
CASES = contract.CASES


def _parse(col: contract.Column, cells: list[object]) -> tuple[list[object], list[tuple[int, str]]]:
    dtype = "str" if all(isinstance(c, str) for c in cells) else object
    parsed = parse_column(col, pd.Series(cells, dtype=dtype))
    problems = sorted((int(i), str(r if isinstance(r, str) else r[list(np.flatnonzero(m)).index(i)]))
                      for m, r in parsed.errors for i in np.flatnonzero(m))
    values = [None if pd.isna(v) else v for v in parsed.values.tolist()]
    return values, problems


@pytest.mark.parametrize(
    "code", ["9144030071526726XG", "91330100799655058B", "91110000802100433B", "91310000MA1FL1MMXL"]
)
def test_known_codes_are_valid(code: str) -> None:
    assert is_valid_uscc(code)
    assert uscc_check_char(code[:17]) == code[17]


def test_check_char_rules() -> None:
    assert not is_valid_uscc("9144030071526726X0")
    assert not is_valid_uscc("9144030071526726X")
    assert not is_valid_uscc("9144030071526726XGG")
    assert not is_valid_uscc("914403007152672IXG")  # I is not in the charset
    with pytest.raises(ValueError):
        uscc_check_char("91440300715267")
    with pytest.raises(ValueError):
        uscc_check_char("9144030071526726O")
    # 31 - sum % 31 == 31 maps to '0'
    body = next(b for b in (f"91440300{n:09d}" for n in range(10_000)) if uscc_check_char(b) == "0")
    assert is_valid_uscc(body + "0")


def test_uscc_column() -> None:
    good = "9144030071526726XG"
    values, problems = _parse(APPS.column("entity_id"), [good, good.lower(), " " + good + " ", good[:17] + "0", "123", ""])
    assert values == [good, good, good, None, None, None]
    assert [i for i, _ in problems] == [3, 4]
    assert "第 18 位应为 G" in problems[0][1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-31 14:05", dt.datetime(2025, 3, 31, 14, 5)),
        ("2025-03-31 14:05:09", dt.datetime(2025, 3, 31, 14, 5, 9)),
        ("2025/3/31 9:05", dt.datetime(2025, 3, 31, 9, 5)),
        ("2025/03/31 09:05:01", dt.datetime(2025, 3, 31, 9, 5, 1)),
        ("2024-02-29 23:59:59", dt.datetime(2024, 2, 29, 23, 59, 59)),
        ("  2025-03-31 14:05  ", dt.datetime(2025, 3, 31, 14, 5)),
        ("2025-02-29 10:00", None),
        ("2025-00-10 10:00", None),
        ("2025-12-32 10:00", None),
        ("2025-03-31 24:00", None),
        ("2025-03-31 14:60", None),
        ("2025-03-31", None),
        ("2025-03-31T14:05:09", None),
        ("2025/03-31 14:05", None),
        ("明天", None),
    ],
)
def test_datetime_strings(text: str, expected: dt.datetime | None) -> None:
    values, problems = _parse(APPS.column("submitted_at"), [text])
    assert values == [pd.Timestamp(expected) if expected else None]
    assert bool(problems) is (expected is None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-31", dt.date(2025, 3, 31)),
        ("2025/3/31", dt.date(2025, 3, 31)),
        ("2025年3月31日", dt.date(2025, 3, 31)),
        ("2000-02-29", dt.date(2000, 2, 29)),
        ("1900-02-29", None),
        ("2025年3月31", None),
        ("2025-03-31 10:00", None),
        ("31/03/2025", None),
    ],
)
def test_date_strings(text: str, expected: dt.date | None) -> None:
    values, problems = _parse(CASES.column("received_date"), [text])
    assert values == [pd.Timestamp(expected) if expected else None]
    assert bool(problems) is (expected is None)


def test_dates_out_of_range_and_native_cells() -> None:
    values, problems = _parse(CASES.column("rectify_deadline"), [
        "3000-01-01", dt.datetime(2025, 3, 31), dt.date(2025, 4, 1), dt.datetime(2025, 3, 31, 8, 0), dt.time(8, 0), 45747,
    ])
    assert values[1:3] == [pd.Timestamp("2025-03-31"), pd.Timestamp("2025-04-01")]
    assert problems == [
        (0, "日期超出合理范围（1900–2100 年）"), (3, "日期不应包含时间"),
        (4, "不是有效的日期（应为 2025-03-31、2025/3/31 或 2025年3月31日）"),
        (5, "不是有效的日期（应为 2025-03-31、2025/3/31 或 2025年3月31日）"),
    ]
    values, problems = _parse(APPS.column("accepted_at"), [dt.datetime(2025, 3, 31, 8, 0, 0, 999_999), dt.datetime(2025, 3, 31)])
    assert values == [pd.Timestamp("2025-03-31 08:00:01"), pd.Timestamp("2025-03-31")]
    assert problems == []


def test_booleans_ints_ratings_enums() -> None:
    values, problems = _parse(contract.DEPARTMENTS.column("convener"), ["是", "否", "TRUE", "false", "1", "0", "y", "N", "对", ""])
    assert values == [True, False, True, False, True, False, True, False, None, None]
    assert [i for i, _ in problems] == [8]
    values, problems = _parse(APPS.column("visits"), ["0", "3", "3.0", "-1", "1.5", "x", "2147483648", ""])
    assert values == [0, 3, 3, None, None, None, None, None]
    assert problems == [(3, "应为非负整数"), (4, "应为非负整数"), (5, "应为非负整数"), (6, "数值过大（不能超过 2147483647）")]
    values, problems = _parse(APPS.column("rating"), ["非常不满意", "不满意", "基本满意", "满意", "非常满意", "5", "0", "六"])
    assert values == [1, 2, 3, 4, 5, 5, None, None]
    assert [i for i, _ in problems] == [6, 7]
    values, problems = _parse(APPS.column("status"), ["已办结", " 在办 ", "办结"])
    assert values == ["已办结", "在办", None]
    assert problems == [(2, "不是允许的取值（应为：在办、已办结、不予受理、撤回）")]
    values, problems = _parse(contract.PROVINCIAL_SCORES.column("score"), ["85.5", "1e2", "inf", "八十"])
    assert values == [85.5, 100.0, None, None]
    assert [i for i, _ in problems] == [2, 3]


def test_excel_numbers_in_text_columns() -> None:
    values, _ = _parse(contract.NEGATIVE_LIST.column("version"), [2025, 2025.0, 2025.5, "2025"])
    assert values == ["2025", "2025", "2025.5", "2025"]
