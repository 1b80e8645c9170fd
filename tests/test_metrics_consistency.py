"""Property tests: the vectorised per-department figures equal the district figures of the
same data filtered to that department (the slow, obvious way), on synthetic data."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from benchmarks.bench_metrics import synthetic_tables
from data.frames import frames_from
from metrics.catalog import ALL_INDICATORS, COUNT_INDICATORS, DISTRICT_ONLY
from metrics.engine import MetricsEngine
from metrics.families import RULES
from metrics.output import to_json, to_table
from metrics.records import application_frame, records_behind
from metrics.results import MetricsRequest
from metrics.series import monthly_series

ITEM_BASED = {i for i, rule in RULES.items() if rule.table == "items"}
RECORD_KEYS = (["app_id"], ["item_code"], ["case_id"], ["entity_id"], ["channel"], ["version", "nl_code"])
"""The identifying columns the records behind an indicator start with: applications, items,
cases, rated entities, disclosure channels, negative-list entries."""
REQUESTS = [
    MetricsRequest(dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
    MetricsRequest(dt.date(2025, 1, 1), dt.date(2025, 3, 31), as_of=dt.date(2025, 2, 20)),
]


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return synthetic_tables(6000, seed=3, start=dt.date(2024, 7, 1), days=400)


def same(a: object, b: object) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float | int) and isinstance(b, float | int):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


@pytest.mark.parametrize("request_", REQUESTS)
def test_grouped_equals_filtered(tables: dict[str, pd.DataFrame], request_: MetricsRequest) -> None:
    engine = MetricsEngine(frames_from(tables))
    result = engine.compute(request_)
    items = tables["service_items"]
    apps = tables["applications"]
    item_dept = apps["item_code"].map(dict(zip(items["item_code"], items["dept_code"], strict=True)))
    resolved = apps["dept_code"].where(apps["dept_code"].notna(), item_dept)
    checked = 0
    for dept in ["D001", "D007", "D015", "S002"]:
        own = {
            **tables,
            "applications": apps[resolved == dept],
            "cases": tables["cases"][tables["cases"]["dept_code"] == dept],
            "disclosures": tables["disclosures"][tables["disclosures"]["dept_code"] == dept],
            "credit_ratings": tables["credit_ratings"][tables["credit_ratings"]["dept_code"] == dept],
        }
        alone = MetricsEngine(frames_from(own)).compute(request_).district
        only_items = MetricsEngine(frames_from({**own, "service_items": items[items["dept_code"] == dept],
                                                "applications": apps.iloc[0:0]})).compute(request_).district
        values = result.departments[dept]
        for ind in ALL_INDICATORS:
            if ind in DISTRICT_ONLY:
                continue
            expected = only_items[ind] if ind in ITEM_BASED else alone[ind]
            assert same(values[ind], expected), (dept, ind, values[ind], expected)
            checked += 1
    assert checked > 100


def test_street_scope_and_street_values_agree(tables: dict[str, pd.DataFrame]) -> None:
    engine = MetricsEngine(frames_from(tables))
    req = REQUESTS[0]
    per_street = engine.street_values(req)
    scoped = engine.compute(MetricsRequest(req.date_from, req.date_to, street="S003"))
    for ind, value in per_street["S003"].items():
        assert same(value, scoped.district[ind]), ind


def test_renderings(tables: dict[str, pd.DataFrame]) -> None:
    engine = MetricsEngine(frames_from(tables))
    result = engine.compute(REQUESTS[0])
    text = to_json(result)
    assert "NaN" not in text
    table = to_table(result, engine.config)
    assert "【效能评分】" in table and "按时办结率" in table
    one = engine.compute(MetricsRequest(REQUESTS[0].date_from, REQUESTS[0].date_to, dept="S001"))
    assert "外海" not in to_table(one, engine.config)  # synthetic names only
    assert "无数据" in to_table(one, engine.config)


def test_every_indicator_has_records_and_a_series(tables: dict[str, pd.DataFrame]) -> None:
    engine = MetricsEngine(frames_from(tables))
    req = REQUESTS[0]
    result = engine.compute(req)
    for ind in ALL_INDICATORS:
        for dept in (None, "D004"):
            if ind in DISTRICT_ONLY and dept is not None:
                continue
            rows = records_behind(engine, req, dept, ind)
            value = result.district[ind] if dept is None else result.departments[dept][ind]
            if ind in COUNT_INDICATORS:  # every indicator: tests/test_metrics_rules.py
                assert len(rows) == value, (ind, dept)
            keys = [k for k in RECORD_KEYS if list(rows.columns[: len(k)]) == k]
            assert keys, (ind, list(rows.columns))  # records, each led by its identifying columns
            assert not rows.duplicated(keys[0]).any(), ind  # each record once
            assert dept is not None or len(rows) > 0, ind  # the synthetic district has records for all
            if dept is not None and "dept_code" in rows:
                assert (rows["dept_code"] == dept).all(), ind  # only the department's own
        series = monthly_series(engine, ind, req.date_from, req.date_to, dept=None if ind in DISTRICT_ONLY else "D004")
        assert len(series) == 6, ind
    frame = application_frame(engine, req, "D004", "C")
    assert frame["in_C"].all() and (frame["dept_code"] == "D004").all()
    assert (frame["overdue"] == (frame["processing_wd"] > frame["promised_limit_days"])).all()
    counted = engine.compute(req).departments["D004"]["overdue_count"]
    assert int(frame["overdue"].sum()) == counted
    assert len(records_behind(engine, req, "D004", "overdue_count")) == counted
