"""The batched monthly table equals the month-by-month series, for the district, every
department and a street."""

from __future__ import annotations

from datetime import date

import pytest

from data.db import Database
from data.frames import Frames, load_frames
from metrics.engine import MetricsEngine
from metrics.series import monthly_series, monthly_values, series_of
from metrics.tables import HEADLINE_INDICATORS
from tests.fixtures.databases import copy_of


@pytest.fixture(scope="module")
def engine(_demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> MetricsEngine:
    with copy_of(_demo_template, tmp_path_factory.mktemp("series")) as url:
        db = Database(url)
        with db.session() as s:
            frames: Frames = load_frames(s)
        db.dispose()
    return MetricsEngine(frames)


@pytest.mark.parametrize("street", [None, "JH019"])
def test_monthly_values_match_monthly_series(engine: MetricsEngine, street: str | None) -> None:
    first, last = date(2025, 10, 1), date(2026, 3, 31)
    table = monthly_values(engine, (*HEADLINE_INDICATORS, "stage_hours"), first, last, street)
    assert table["month"].nunique() == 6
    for ind in (*HEADLINE_INDICATORS, "stage_hours"):
        for dept in (None, "JH009", "JH019", "JH014"):
            expected = monthly_series(engine, ind, first, last, dept=dept, street=street)["value"]
            got = series_of(table, ind, dept)["value"]
            assert [None if _missing(v) else v for v in got] == [None if _missing(v) else v for v in expected], \
                (ind, dept)


def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v)


def test_a_moved_window_reuses_the_months_it_shares(engine: MetricsEngine) -> None:
    """A trend window moved by a quarter computes only its new months, and gives what a
    fresh engine gives (months judged at their last day do not depend on the window)."""
    indicators = tuple(HEADLINE_INDICATORS)
    monthly_values(engine, indicators, date(2025, 1, 1), date(2025, 12, 31))
    before = engine._months.cache_info()  # type: ignore[attr-defined]
    moved = monthly_values(engine, indicators, date(2025, 4, 1), date(2026, 3, 31))
    after = engine._months.cache_info()  # type: ignore[attr-defined]
    assert after.hits - before.hits == 9 and after.misses - before.misses == 3
    fresh = monthly_values(MetricsEngine(engine.frames, engine.config), indicators,
                           date(2025, 4, 1), date(2026, 3, 31))
    assert moved.equals(fresh)


def test_months_after_the_data_are_not_drawn(engine: MetricsEngine) -> None:
    """The demo ends on 2026-10-30: a window to 2026-12-31 stops at October (the month the
    data ends in, partial, is kept), for the batched table and the month-by-month series."""
    assert engine.data_end == date(2026, 10, 30)
    first, last = date(2026, 7, 1), date(2026, 12, 31)
    table = monthly_values(engine, tuple(HEADLINE_INDICATORS), first, last)
    assert sorted(table["month"].unique()) == ["2026-07", "2026-08", "2026-09", "2026-10"]
    assert list(monthly_series(engine, "open_overdue_count", first, last)["month"]) == sorted(table["month"].unique())


def test_a_window_wholly_after_the_data_has_no_months(engine: MetricsEngine) -> None:
    from metrics.views.channels import channel_monthly
    from metrics.views.control_charts import monthly_process

    first, last = date(2027, 1, 1), date(2027, 3, 31)
    assert monthly_values(engine, tuple(HEADLINE_INDICATORS), first, last).empty
    assert channel_monthly(engine, first, last).empty
    assert monthly_process(engine, first, last).empty
