"""The records behind a figure from the columnar engine equal the in-memory engine's, frame
for frame (rows, order, columns and dtypes), for every indicator whose records are
applications or cases.

The in-memory engine's records are tied to its values by the property tests of
``tests/test_metrics_rules.py``; here the same rule's mask, compiled to SQL, filters the
rows in DuckDB (and, on the PostgreSQL leg of the suite, in the test's database), so the
drill-down needs no application in pandas.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from data.db import Database
from data.frames import Frames, frames_from, load_tables
from metrics.columnar import ColumnarEngine, duckdb_source, frames_source, postgres_source
from metrics.columnar.engine import SMALL_TABLES
from metrics.engine import MetricsEngine
from metrics.families import RULES
from metrics.records import application_frame, records_behind
from metrics.results import MetricsRequest
from metrics.views.application import application_record
from metrics.views.ledger import candidates_by_dept, notification_candidates
from tests.fixtures.oracle import fixture_tables

D = date
REQUESTS = (
    MetricsRequest(D(2026, 7, 1), D(2026, 9, 30)),                        # a quarter
    MetricsRequest(D(2026, 1, 1), D(2026, 6, 30), street="JH017"),        # a street's half year
    MetricsRequest(D(2026, 3, 1), D(2026, 3, 31), as_of=D(2026, 3, 15)),  # judged mid-period
)
DEPARTMENTS = (None, "JH010")
FETCHED = [ind for ind, rule in RULES.items() if rule.table in ("apps", "cases")]


def equal_records(memory: MetricsEngine, columnar: ColumnarEngine, requests: tuple[MetricsRequest, ...],
                  departments: tuple[str | None, ...]) -> int:
    """Assert every fetched indicator's records equal on both engines; the rows compared."""
    rows = 0
    for request in requests:
        for dept in departments:
            for indicator in FETCHED:
                expected = records_behind(memory, request, dept, indicator)
                got = records_behind(columnar, request, dept, indicator)
                pd.testing.assert_frame_equal(got, expected, obj=f"{indicator} {dept} {request}")
                rows += len(expected)
            for population in ("S", "C", "O"):
                pd.testing.assert_frame_equal(application_frame(columnar, request, dept, population),
                                              application_frame(memory, request, dept, population))
    return rows


def test_duckdb_records_equal_the_in_memory_engine(demo_snapshot: tuple[Database, Frames, Path]) -> None:
    _db, frames, folder = demo_snapshot
    rows = equal_records(MetricsEngine(frames), ColumnarEngine(duckdb_source(folder)), REQUESTS, DEPARTMENTS)
    assert rows > 20_000  # not an equality of empty lists
    assert {RULES[i].table for i in FETCHED} == {"apps", "cases"}


def test_postgresql_records_equal_the_in_memory_engine(demo_snapshot: tuple[Database, Frames, Path]) -> None:
    db, frames, _folder = demo_snapshot
    if db.dialect != "postgresql":
        pytest.skip("the PostgreSQL leg of the suite (MARKET_ACCESS_TEST_PG) fetches from the test's database")
    with db.session() as s:
        small = load_tables(s, SMALL_TABLES)
    rows = equal_records(MetricsEngine(frames), ColumnarEngine(postgres_source(db.url, small)),
                         REQUESTS[:1], DEPARTMENTS)
    assert rows > 10_000


def test_oracle_records_through_duckdb() -> None:
    """On the hand-built oracle data (suspensions, 调休, a department without applications,
    cases transferred and not), the lists are the same too."""
    frames = frames_from(fixture_tables())
    requests = (MetricsRequest(D(2025, 1, 1), D(2025, 3, 31)),
                MetricsRequest(D(2025, 1, 1), D(2025, 3, 31), as_of=D(2025, 2, 14)),
                MetricsRequest(D(2025, 9, 1), D(2025, 10, 31)))
    rows = equal_records(MetricsEngine(frames), ColumnarEngine(frames_source(frames)), requests,
                         (None, "D01", "D03"))
    assert rows > 20


def test_a_changed_record_shows_in_the_comparison(demo_snapshot: tuple[Database, Frames, Path]) -> None:
    """The comparison can fail: one overdue application's completion moved back a month."""
    _db, frames, _folder = demo_snapshot
    request = REQUESTS[0]
    memory = MetricsEngine(frames)
    overdue = records_behind(memory, request, None, "overdue_count")
    apps = frames.applications.copy()
    row = apps.index[apps["app_id"] == overdue["app_id"].iloc[0]][0]
    apps.loc[row, "completed_at"] = apps.loc[row, "completed_at"] - pd.Timedelta(days=31)
    changed = ColumnarEngine(frames_source(Frames(**{**frames.__dict__, "applications": apps})))
    with pytest.raises(AssertionError):
        pd.testing.assert_frame_equal(records_behind(changed, request, None, "overdue_count"), overdue)


def test_views_built_on_records_are_the_same_on_duckdb(demo_snapshot: tuple[Database, Frames, Path]) -> None:
    """The views that read applications and cases only through the engine's records (one
    application whole, the 通报候选 list and its counts) give the same on DuckDB."""
    _db, frames, folder = demo_snapshot
    memory, duck = MetricsEngine(frames), ColumnarEngine(duckdb_source(folder))
    request = MetricsRequest(D(2026, 1, 1), D(2026, 9, 30))
    ids = records_behind(memory, request, None, "overdue_count")["app_id"].iloc[:3].tolist()
    ids += records_behind(memory, request, None, "open_overdue_count")["app_id"].iloc[:2].tolist()
    assert len(ids) == 5
    for app_id in ids:
        record = application_record(duck, request, app_id)
        assert record is not None and record == application_record(memory, request, app_id)
    assert application_record(duck, request, "NO-SUCH-APPLICATION") is None
    candidates = notification_candidates(duck, request)
    assert len(candidates) > 0
    pd.testing.assert_frame_equal(candidates, notification_candidates(memory, request))
    pd.testing.assert_frame_equal(candidates_by_dept(duck, request), candidates_by_dept(memory, request))
