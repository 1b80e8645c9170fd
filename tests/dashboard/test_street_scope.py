"""A department or street user with the street filter set sees the district's figures only as
published (the whole district's), never the street's records of every department computed
on the full data (issue 19: 94.9% shown where the published figure was 94.0%)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from dashboard.kit import cache, served_data
from metrics.results import MetricsRequest
from metrics.series import monthly_values

REQ = MetricsRequest(date(2026, 7, 1), date(2026, 9, 30), None, None, "JH017")
INDICATORS = ("on_time_rate", "online_rate", "avg_processing_wd", "good_rating_rate")


@pytest.mark.parametrize("unit", ["JH017", "JH010"])  # the street itself, a department in it
def test_scoped_district_is_the_published_one(demo_db_url: str, monkeypatch: pytest.MonkeyPatch, unit: str) -> None:
    monkeypatch.setenv("MARKET_ACCESS_DB", demo_db_url)
    url = cache.database().url
    v, overrides = served_data.state(url)
    full = cache._full_engine(url, v, overrides)
    published = full.compute(replace(REQ, street=None)).district
    in_street = full.compute(REQ).district
    assert any(in_street[i] != published[i] for i in INDICATORS)  # else this test could not fail
    scoped = cache._compute(url, v, overrides, unit, REQ)
    assert {i: scoped.district[i] for i in INDICATORS} == {i: published[i] for i in INDICATORS}
    assert list(scoped.departments) == [unit]

    trends = cache._trends(url, v, overrides, unit, INDICATORS, date(2026, 4, 1), date(2026, 9, 30), "JH017")
    whole = monthly_values(full, INDICATORS, date(2026, 4, 1), date(2026, 9, 30), None)
    district = trends[trends["dept_code"].isna()].reset_index(drop=True)
    pd.testing.assert_frame_equal(district, whole[whole["dept_code"].isna()].reset_index(drop=True))
    assert set(trends["dept_code"].dropna()) <= {unit}

    line = cache._series(url, v, overrides, unit, "on_time_rate", date(2026, 4, 1), date(2026, 9, 30), None, "JH017")
    assert list(line["value"]) == list(district["on_time_rate"])
