"""metrics.views.cases on a small hand-built set of cases; every expected value worked out by
hand from the 2025 holiday calendar (National Day 10-01..10-08 off, Sun 09-28 and Sat 10-11
make-up working days; 10-25/26 an ordinary weekend).

Period P = 2025-09-20 .. 2025-10-31, as_of 2025-10-31.  Cases (received → transferred →
verified → rectified → closed):

  C1 D1 省级转办   09-26 → 10-10 (wd 09-28, 29, 30, 10-09, 10 = 5: on time) → 10-20 属实
     (wd 10-11, 13..17, 20 = 7); key, deadline 11-14, rectified 11-20 (after as_of; late by
     then), closed 11-21; reported
  C2 D1 经营主体反映 10-09, never transferred: waited wd(10-09, 10-31) = 17 > 5 → overdue
  C3 D2 经营主体反映 10-13 → 10-21 (wd 14..17, 20, 21 = 6 > 5: late) → 10-24 不属实 (wd 3)
     → closed 10-27 (wd 1)
  C4 D2 行政执法 10-15 → 10-16 (1) → 10-22 属实 (wd 17, 20, 21, 22 = 4), not reported,
     street S1; key, deadline 10-30, not rectified: overdue by 1 day at as_of
  C5 D1 部门自查 10-20 → 10-20 (0) → verified 11-05 (after as_of: still 核查中); key,
     deadline 12-31
  C6 D1 市级转办 09-15 (before P) → key, deadline 10-10, rectified 10-09, closed 10-15
  C7 D2 市级转办 06-02, key, closed 09-01 (before P)
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data.frames import frames_from
from metrics.engine import MetricsEngine
from metrics.records import records_behind
from metrics.results import MetricsRequest, MetricsRequestError
from metrics.views import cases as cv
from tests.fixtures.small_data import P, case_tables

D = dt.date


@pytest.fixture(scope="module")
def engine() -> MetricsEngine:
    return MetricsEngine(frames_from(case_tables()))


def by_id(df: pd.DataFrame) -> dict[str, dict[str, object]]:
    return {r["case_id"]: r for r in df.to_dict("records")}


def test_received_cases_step_times_and_flags(engine: MetricsEngine) -> None:
    df = cv.received_cases(engine, P)
    assert list(df["case_id"]) == ["C5", "C4", "C3", "C2", "C1"]  # newest first
    c = by_id(df)
    assert (c["C1"]["transfer_wd"], c["C1"]["verify_wd"]) == (5, 7)
    assert pd.isna(c["C1"]["rectify_wd"])  # rectified 11-20, after as_of
    assert c["C1"]["rectified_date"] is None and c["C1"]["closed_date"] is None
    assert c["C1"]["case_progress"] == "整改中"
    assert c["C1"]["waiting_wd"] == 9  # since verified 10-20
    assert not c["C1"]["transfer_overdue"] and not c["C1"]["rectify_overdue"]
    assert c["C2"]["case_progress"] == "待转办" and pd.isna(c["C2"]["transfer_wd"])
    assert c["C2"]["transfer_overdue"] and c["C2"]["waiting_wd"] == 17
    assert (c["C3"]["transfer_wd"], c["C3"]["verify_wd"], c["C3"]["close_wd"]) == (6, 3, 1)
    assert c["C3"]["transfer_overdue"] and c["C3"]["case_progress"] == "已办结" and pd.isna(c["C3"]["waiting_wd"])
    assert (c["C4"]["transfer_wd"], c["C4"]["verify_wd"]) == (1, 4)
    assert c["C4"]["rectify_overdue"] and c["C4"]["days_overdue"] == 1 and c["C4"]["waiting_wd"] == 7
    assert c["C4"]["street_name"] == "外海街道" and c["C4"]["dept_name"] == "区应急管理局"
    assert c["C5"]["case_progress"] == "核查中" and c["C5"]["verified_date"] is None  # verified after as_of
    assert c["C5"]["transfer_wd"] == 0 and c["C5"]["waiting_wd"] == 9
    assert c["C4"]["received_date"] == D(2025, 10, 15)


def test_transfer_overdue_matches_transfer_on_time_rate(engine: MetricsEngine) -> None:
    df = cv.received_cases(engine, P)
    late = set(df.loc[df["transfer_overdue"], "case_id"])
    assert late == {"C2", "C3"}
    assert set(records_behind(engine, P, None, "transfer_on_time_rate")["case_id"]) == late
    assert engine.compute(P).district["transfer_on_time_rate"] == pytest.approx(3 / 5)


def test_case_flow(engine: MetricsEngine) -> None:
    flow = cv.case_flow(engine, P).set_index("step")
    assert list(flow.index) == ["接收", "转办", "核查", "整改", "办结"]
    assert flow.loc["接收", "reached"] == 5 and pd.isna(flow.loc["接收", "pending"])
    t = flow.loc["转办"]
    assert (t["reached"], t["pending"], t["overdue"], t["overdue_open"]) == (4, 1, 2, 1)
    assert (t["median_wd"], t["mean_wd"], t["max_wd"]) == (3.0, 3.0, 6.0)  # 5, 6, 1, 0
    v = flow.loc["核查"]
    assert (v["reached"], v["pending"]) == (3, 1) and pd.isna(v["overdue"])
    assert v["median_wd"] == 4.0 and v["mean_wd"] == pytest.approx(14 / 3) and v["max_wd"] == 7.0  # 7, 3, 4
    r = flow.loc["整改"]
    assert (r["reached"], r["pending"], r["overdue"], r["overdue_open"]) == (0, 2, 1, 1)
    assert pd.isna(r["median_wd"])
    c = flow.loc["办结"]
    assert (c["reached"], c["pending"], c["median_wd"]) == (1, 0, 1.0)


def test_step_cases(engine: MetricsEngine) -> None:
    assert list(cv.step_cases(engine, P, "转办", "overdue")["case_id"]) == ["C3", "C2"]  # transfer_wd 6, then none
    assert list(cv.step_cases(engine, P, "核查", "pending")["case_id"]) == ["C5"]
    assert list(cv.step_cases(engine, P, "整改", "pending")["case_id"]) == ["C1", "C4"]  # waited 9, 7
    assert list(cv.step_cases(engine, P, "整改", "overdue")["case_id"]) == ["C4"]
    with pytest.raises(MetricsRequestError):
        cv.step_cases(engine, P, "审批", "pending")


def test_rectified_late_is_seen_once_it_happened(engine: MetricsEngine) -> None:
    nov = MetricsRequest(D(2025, 9, 20), D(2025, 11, 30))
    c = by_id(cv.received_cases(engine, nov))
    assert c["C1"]["rectify_wd"] == 23 and c["C1"]["rectify_late"] and not c["C1"]["rectify_overdue"]
    assert c["C1"]["case_progress"] == "已办结"
    assert c["C5"]["case_progress"] == "整改中" and c["C5"]["verify_wd"] == 12  # 10-20 → 11-05: 10-21..24, 27..31, 11-03..05
    flow = cv.case_flow(engine, nov).set_index("step")
    assert flow.loc["整改", "reached"] == 1 and flow.loc["整改", "overdue"] == 2  # C1 late, C4 overdue


def test_received_breakdown(engine: MetricsEngine) -> None:
    month = cv.received_breakdown(engine, P, "month")
    assert list(month["key"]) == ["2025-09", "2025-10"]
    assert list(month["received"]) == [1, 4] and list(month["verified_true"]) == [1, 1]
    assert list(month["true_share"]) == [1.0, 0.5]  # October: C3 不属实, C4 属实 verified by as_of
    source = cv.received_breakdown(engine, P, "source")
    assert list(zip(source["key"], source["received"], strict=True)) == [
        ("行政执法", 1), ("经营主体反映", 2), ("省级转办", 1), ("部门自查", 1)]
    street = cv.received_breakdown(engine, P, "street")
    assert list(zip(street["key"], street["label"], street["received"], strict=True)) == [
        ("", "未标注街道", 4), ("S1", "外海街道", 1)]
    dept = cv.received_breakdown(engine, P, "dept")
    assert list(zip(dept["key"], dept["received"], strict=True)) == [("D1", 3), ("D2", 2)]
    with pytest.raises(MetricsRequestError):
        cv.received_breakdown(engine, P, "colour")


def test_group_cases(engine: MetricsEngine) -> None:
    assert set(cv.group_cases(engine, P, "month", "2025-10")["case_id"]) == {"C2", "C3", "C4", "C5"}
    assert list(cv.group_cases(engine, P, "street", "S1")["case_id"]) == ["C4"]
    assert len(cv.group_cases(engine, P, "street", "")) == 4
    assert set(cv.group_cases(engine, P, "source", "经营主体反映")["case_id"]) == {"C2", "C3"}


def test_department_and_street_scope(engine: MetricsEngine) -> None:
    assert set(cv.received_cases(engine, MetricsRequest(P.date_from, P.date_to, dept="D2"))["case_id"]) == {"C3", "C4"}
    assert list(cv.received_cases(engine, MetricsRequest(P.date_from, P.date_to, street="S1"))["case_id"]) == ["C4"]


def test_case_record(engine: MetricsEngine) -> None:
    rec = cv.case_record(engine, "C4", D(2025, 10, 31))
    assert rec is not None
    assert rec["dept_name"] == "区应急管理局" and rec["case_progress"] == "整改中"
    assert (rec["transfer_wd"], rec["verify_wd"], rec["days_overdue"]) == (1, 4, 1)
    assert rec["rectify_tasks"] == "1. 取消指定中介；2. 回头看" and rec["rectified_date"] is None
    old = cv.case_record(engine, "C7", D(2025, 10, 31))  # any period
    assert old is not None and old["case_progress"] == "已办结" and old["close_wd"] == 8  # 08-20 → 09-01: 08-21, 22, 25..29, 09-01
    assert cv.case_record(engine, "NOPE", D(2025, 10, 31)) is None
