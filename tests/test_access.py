"""Scoping below the pages: a department's engine holds only its own records, computes the
same values for it as the full engine, and sees the district as published aggregates only."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from data.db import Database
from data.frames import Frames, load_frames
from metrics.access import restrict_frames, with_published_district
from metrics.engine import MetricsEngine
from metrics.records import records_behind
from metrics.results import MetricsRequest, narrowed
from tests.fixtures.databases import copy_of

REQ = MetricsRequest(date(2026, 1, 1), date(2026, 6, 30))


@pytest.fixture(scope="module")
def frames(_demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Frames:
    with copy_of(_demo_template, tmp_path_factory.mktemp("access")) as url:
        db = Database(url)
        with db.session() as s:
            f = load_frames(s)
        db.dispose()
    return f


@pytest.mark.parametrize("dept", ["JH009", "JH010", "JH019"])
def test_restricted_engine_matches_full_engine_for_its_department(frames: Frames, dept: str) -> None:
    full = MetricsEngine(frames)
    own = MetricsEngine(restrict_frames(frames, dept))
    req = MetricsRequest(REQ.date_from, REQ.date_to, dept=dept)
    a, b = full.compute(req), own.compute(req)
    assert a.departments[dept] == b.departments[dept]
    assert a.scores[dept] == b.scores[dept]
    assert [w.to_json() | {"district_value": None} for w in a.weak_links] == \
        [w.to_json() | {"district_value": None} for w in b.weak_links]
    merged = with_published_district(b, a, dept)
    assert merged.district == a.district
    assert list(merged.departments) == [dept]
    assert all(w.district_value == a.district.get(w.indicator) for w in merged.weak_links)


def test_restricted_frames_hold_no_other_departments_records(frames: Frames) -> None:
    f = restrict_frames(frames, "JH010")
    item_dept = frames.service_items.set_index("item_code")["dept_code"]
    app_dept = f.applications["dept_code"].fillna(f.applications["item_code"].map(item_dept))
    assert len(f.applications) > 0 and set(app_dept) == {"JH010"}
    assert set(f.cases["dept_code"]) == {"JH010"}
    assert set(f.credit_ratings["dept_code"]) <= {"JH010"}
    assert set(f.disclosures["dept_code"]) <= {"JH010"}
    own = MetricsEngine(f)
    # even asked for the district, the records behind are the department's own
    recs = records_behind(own, REQ, None, "unreported_count")
    assert len(recs) > 0 and set(recs["dept_code"]) == {"JH010"}
    # another department's records are simply not there
    assert records_behind(own, REQ, "JH009", "on_time_rate").empty


def test_scoped_trends_show_a_department_its_line_and_the_published_district(frames: Frames) -> None:
    """A department's trend table holds the district's published line (the whole district's,
    also under a street filter) and its own line, nothing of another department."""
    import pandas as pd

    from metrics.access import scoped_trends
    from metrics.series import monthly_values

    full = MetricsEngine(frames)
    dept = "JH009"
    street = str(frames.applications["street_code"].dropna().iloc[0])
    inds = ("on_time_rate", "online_rate")
    args = (date(2026, 1, 1), date(2026, 6, 30))
    mine = scoped_trends(full, inds, *args, street, dept)
    assert set(mine["dept_code"].dropna()) == {dept}
    whole = monthly_values(full, inds, *args, None)
    district = mine[mine["dept_code"].isna()].reset_index(drop=True)
    pd.testing.assert_frame_equal(district, whole[whole["dept_code"].isna()].reset_index(drop=True))
    own = monthly_values(full, inds, *args, street)
    pd.testing.assert_frame_equal(mine[mine["dept_code"] == dept].reset_index(drop=True),
                                  own[own["dept_code"] == dept].reset_index(drop=True))
    pd.testing.assert_frame_equal(scoped_trends(full, inds, *args, street, None), own)  # the district sees all


def test_a_department_filter_selects_from_the_districts_result(frames: Frames) -> None:
    """One computation per period: a department's request is the district's result narrowed
    to it, so a cache holding the district's answers every department's (dashboard.kit.cache)."""
    full = MetricsEngine(frames)
    whole, whole_ago = full.compute(REQ), full.year_ago(REQ)
    links = 0
    for dept in whole.departments:
        req = replace(REQ, dept=dept)
        one = full.compute(req)
        assert one == narrowed(whole, req)
        assert one.request == req and list(one.departments) == list(one.scores) == [dept]
        assert list(one.previous_departments) == list(one.previous_scores) == [dept]
        assert one.departments[dept] == whole.departments[dept] and one.district == whole.district
        assert one.weak_links == tuple(w for w in whole.weak_links if w.dept_code == dept)
        for w in one.weak_links:  # drilled into from the department's request
            assert w.request == req
            behind = records_behind(full, w.request, dept, w.indicator)
            assert behind.equals(records_behind(full, REQ, dept, w.indicator))
        links += len(one.weak_links)
        assert full.year_ago(req).departments == {dept: whole_ago.departments[dept]}
        assert full.year_ago(req).district == whole_ago.district
    assert links == len(whole.weak_links) > 0
