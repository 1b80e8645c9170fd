from datetime import date

from metrics.periods import (
    parse_period_key,
    period_containing,
    periods_between,
    previous_span,
    year_ago_span,
)


def test_period_containing_and_labels() -> None:
    q = period_containing("quarter", date(2026, 8, 15))
    assert (q.start, q.end, q.label, q.key) == (date(2026, 7, 1), date(2026, 9, 30), "2026年第三季度", "2026Q3")
    h = period_containing("half", date(2025, 2, 1))
    assert (h.start, h.end, h.label) == (date(2025, 1, 1), date(2025, 6, 30), "2025年上半年")
    m = period_containing("month", date(2024, 2, 10))
    assert (m.end, m.label, m.key) == (date(2024, 2, 29), "2024年2月", "2024-02")
    assert period_containing("month", date(2025, 12, 31)).end == date(2025, 12, 31)


def test_periods_between_newest_first_and_keys_round_trip() -> None:
    ps = periods_between("quarter", date(2024, 11, 1), date(2026, 10, 31))
    assert [p.key for p in ps][:2] == ["2026Q4", "2026Q3"]
    assert ps[-1].key == "2024Q4"
    for p in ps + periods_between("month", date(2025, 1, 1), date(2025, 3, 1)):
        assert parse_period_key(p.key) == p
    assert parse_period_key("2025Q5") is None
    assert parse_period_key("abc") is None


def test_previous_span_calendar_periods() -> None:
    """上期 v1.1: a calendar month, quarter, half or year is compared with the one before it."""
    assert previous_span(date(2025, 1, 1), date(2025, 3, 31)) == (date(2024, 10, 1), date(2024, 12, 31))
    assert previous_span(date(2026, 7, 1), date(2026, 9, 30)) == (date(2026, 4, 1), date(2026, 6, 30))
    assert previous_span(date(2025, 1, 1), date(2025, 6, 30)) == (date(2024, 7, 1), date(2024, 12, 31))
    assert previous_span(date(2025, 1, 1), date(2025, 12, 31)) == (date(2024, 1, 1), date(2024, 12, 31))
    assert previous_span(date(2025, 3, 1), date(2025, 3, 31)) == (date(2025, 2, 1), date(2025, 2, 28))
    assert previous_span(date(2024, 3, 1), date(2024, 3, 31)) == (date(2024, 2, 1), date(2024, 2, 29))


def test_previous_span_other_spans_same_length() -> None:
    # 2026-03-31..06-30 is no calendar period: the 92 days before it
    assert previous_span(date(2026, 3, 31), date(2026, 6, 30)) == (date(2025, 12, 29), date(2026, 3, 30))
    assert previous_span(date(2025, 1, 1), date(2025, 1, 10)) == (date(2024, 12, 22), date(2024, 12, 31))


def test_year_ago_span() -> None:
    """同比: one calendar year back; 29 February becomes 28 February."""
    assert year_ago_span(date(2026, 7, 1), date(2026, 9, 30)) == (date(2025, 7, 1), date(2025, 9, 30))
    assert year_ago_span(date(2024, 2, 1), date(2024, 2, 29)) == (date(2023, 2, 1), date(2023, 2, 28))
    assert year_ago_span(date(2025, 2, 1), date(2025, 2, 28)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert year_ago_span(date(2024, 2, 10), date(2024, 2, 29)) == (date(2023, 2, 10), date(2023, 2, 28))


def test_trailing_year_start() -> None:
    from metrics.periods import trailing_year_start

    assert trailing_year_start(date(2026, 7, 1), date(2026, 9, 30)) == date(2025, 10, 1)
    assert trailing_year_start(date(2026, 1, 1), date(2026, 1, 31)) == date(2025, 2, 1)
    assert trailing_year_start(date(2025, 1, 1), date(2025, 12, 31)) == date(2025, 1, 1)  # a year: itself
