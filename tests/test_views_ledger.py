"""metrics.views.ledger on the hand-built cases of tests.test_views_cases (see its docstring
for the cases and the calendar); days are calendar days, worked out by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data.frames import frames_from
from metrics.engine import MetricsEngine
from metrics.results import MetricsRequest
from metrics.views import ledger as lv
from tests.fixtures.small_data import P, case_tables

D = dt.date


@pytest.fixture(scope="module")
def engine() -> MetricsEngine:
    return MetricsEngine(frames_from(case_tables()))


def test_key_case_ledger_at_as_of(engine: MetricsEngine) -> None:
    df = lv.key_cases(engine, P)
    # C7 closed 09-01, before P began: off the ledger; C4 overdue first, then by deadline
    assert list(df["case_id"]) == ["C4", "C6", "C1", "C5"]
    r = {x["case_id"]: x for x in df.to_dict("records")}
    assert r["C4"]["late"] and r["C4"]["days_overdue"] == 1 and pd.isna(r["C4"]["days_left"])  # 10-31 − 10-30
    assert r["C4"]["responsible_person"] == "李四（副局长）" and r["C4"]["rectify_tasks"] == "1. 取消指定中介；2. 回头看"
    assert r["C1"]["days_left"] == 14 and r["C1"]["due_soon"] and not r["C1"]["late"]  # 11-14 − 10-31
    assert r["C5"]["days_left"] == 61 and not r["C5"]["due_soon"]  # 12-31 − 10-31
    assert r["C5"]["case_progress"] == "核查中"
    assert r["C6"]["rectified_date"] == D(2025, 10, 9) and pd.isna(r["C6"]["days_left"])
    assert not r["C6"]["late"] and not r["C6"]["late_done"]
    assert lv.ledger_counts(engine, P) == {"total": 4, "overdue": 1, "due_soon": 1, "rectified": 1, "late_done": 0}


def test_key_overdue_matches_the_indicator(engine: MetricsEngine) -> None:
    df = lv.key_cases(engine, P)
    result = engine.compute(P)
    assert int(df["late"].sum()) == result.district["key_overdue_count"] == 1
    assert result.departments["D2"]["key_overdue_count"] == 1


def test_rectified_after_the_deadline(engine: MetricsEngine) -> None:
    nov = MetricsRequest(D(2025, 11, 1), D(2025, 11, 30))
    df = lv.key_cases(engine, nov)
    # C6 closed 10-15, before November: off; C4 now 31 days overdue
    assert list(df["case_id"]) == ["C4", "C1", "C5"]
    r = {x["case_id"]: x for x in df.to_dict("records")}
    assert r["C4"]["days_overdue"] == 31
    assert r["C1"]["late_done"] and not r["C1"]["late"] and pd.isna(r["C1"]["days_left"])
    assert lv.ledger_counts(engine, nov)["late_done"] == 1


def test_department_scope(engine: MetricsEngine) -> None:
    d1 = lv.key_cases(engine, MetricsRequest(P.date_from, P.date_to, dept="D1"))
    assert set(d1["case_id"]) == {"C1", "C5", "C6"}


def test_notification_candidates(engine: MetricsEngine) -> None:
    cands = lv.notification_candidates(engine, P)
    # received in P, 属实, not 部门自查, not reported: C4 only (C1 reported, C5 部门自查)
    assert list(cands["case_id"]) == ["C4"]
    row = cands.iloc[0]
    assert row["dept_name"] == "区应急管理局" and row["street_name"] == "外海街道"
    assert row["received_date"] == D(2025, 10, 15) and row["transfer_wd"] == 1
    assert len(cands) == engine.compute(P).district["unreported_count"]
    by_dept = lv.candidates_by_dept(engine, P)
    assert by_dept.to_dict("records") == [{"dept_code": "D2", "dept_name": "区应急管理局", "count": 1}]
    assert lv.notification_candidates(engine, MetricsRequest(P.date_from, P.date_to, dept="D1")).empty
    assert lv.candidates_by_dept(engine, MetricsRequest(P.date_from, P.date_to, dept="D1")).empty
