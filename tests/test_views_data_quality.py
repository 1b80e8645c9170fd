"""metrics.views.data_quality on a small hand-built data set; expected values worked out by hand.

Departments D01 (item I1), D02 (item I2), D03 (no applications), street S01.  Every application
is completed on the day it is submitted (the 5th of its month), so a month's submissions are
its completions.
  D01: 10 applications a month January to June 2025, none in July (it stopped reporting).
       In April: a0, a1, a2 lack reviewed_at; a3 lacks visits; a4 lacks rating only;
       a0..a4 are in street S01.
  D02: 4 a month January to June, 1 in July; all complete.
So in April D01 has 6 of 10 complete (a0..a3 are not; the rating does not count), and in
street S01 1 of 5 (a4).  The usual volume of a month is the median of the (at most six)
known months before it, with at least three: for April D01 median(10, 10, 10) = 10.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data.frames import frames_from
from metrics.engine import MetricsEngine
from metrics.results import MetricsRequest
from metrics.views import data_quality as views

D = dt.date


def _apps() -> pd.DataFrame:
    rows = []
    counts = {"D01": [10, 10, 10, 10, 10, 10, 0], "D02": [4, 4, 4, 4, 4, 4, 1]}
    for dept, per_month in counts.items():
        item = "I1" if dept == "D01" else "I2"
        for m, n in enumerate(per_month, start=1):
            for i in range(n):
                day = f"2025-{m:02d}-05"
                reviewed, visits, rating, street = f"{day} 10:00", 0, 5, None
                if dept == "D01" and m == 4:
                    street = "S01" if i < 5 else None
                    if i < 3:
                        reviewed = None
                    if i == 3:
                        visits = None
                    if i == 4:
                        rating = None
                rows.append((f"{dept}-{m}-{i}", item, dept, street, "网上办理", "即办件", f"{day} 09:00",
                             f"{day} 09:30", reviewed, f"{day} 11:00", f"{day} 15:00", "已办结", "准予", 0,
                             visits, rating))
    return pd.DataFrame(rows, columns=[
        "app_id", "item_code", "dept_code", "street_code", "channel", "route", "submitted_at", "accepted_at",
        "reviewed_at", "decided_at", "completed_at", "status", "result", "suspended_days", "visits", "rating"])


@pytest.fixture(scope="module")
def engine() -> MetricsEngine:
    departments = pd.DataFrame([("D01", "区市场监管局", "区直部门"), ("D02", "区人社局", "区直部门"),
                                ("D03", "区教育局", "区直部门"), ("S01", "外海街道", "街道")],
                               columns=["dept_code", "dept_name", "dept_type"])
    items = pd.DataFrame([("I1", "食品经营许可", "D01", "行政许可", 20, 5), ("I2", "就业登记", "D02", "公共服务", 5, 1)],
                         columns=["item_code", "item_name", "dept_code", "item_type", "legal_limit_days",
                                  "promised_limit_days"])
    return MetricsEngine(frames_from({"departments": departments, "service_items": items, "applications": _apps()}))


def test_completeness_equals_data_completeness(engine: MetricsEngine) -> None:
    c = views.completeness(engine, D(2025, 4, 1), D(2025, 7, 31)).set_index(["dept_code", "month"])
    assert sorted({d for d, _ in c.index}) == ["D01", "D02"]  # D03 completed nothing
    assert c.loc[("D01", "2025-04"), "completed"] == 10
    assert c.loc[("D01", "2025-04"), "dq_complete"] == 6
    assert c.loc[("D01", "2025-04"), "dq_share"] == pytest.approx(0.6)
    assert c.loc[("D01", "2025-05"), "dq_share"] == pytest.approx(1.0)
    assert c.loc[("D01", "2025-07"), "completed"] == 0
    assert pd.isna(c.loc[("D01", "2025-07"), "dq_share"])  # nothing completed: no share, not 0
    assert c.loc[("D02", "2025-07"), "dq_share"] == pytest.approx(1.0)
    april = engine.compute(MetricsRequest(D(2025, 4, 1), D(2025, 4, 30)))
    assert april.departments["D01"]["data_completeness"] == pytest.approx(0.6)


def test_completeness_per_field(engine: MetricsEngine) -> None:
    def april(field: str) -> float:
        c = views.completeness(engine, D(2025, 4, 1), D(2025, 4, 30), field).set_index("dept_code")
        return float(c.loc["D01", "dq_share"])

    assert april("reviewed_at") == pytest.approx(0.7)
    assert april("decided_at") == pytest.approx(1.0)
    assert april("visits") == pytest.approx(0.9)
    assert april("rating") == pytest.approx(0.9)
    with pytest.raises(KeyError):
        views.completeness(engine, D(2025, 4, 1), D(2025, 4, 30), "nonsense")


def test_completeness_of_a_street(engine: MetricsEngine) -> None:
    c = views.completeness(engine, D(2025, 4, 1), D(2025, 4, 30), "all", "S01")
    assert c["dept_code"].tolist() == ["D01"]
    assert c["completed"].tolist() == [5]
    assert c["dq_share"].tolist() == pytest.approx([0.2])


def test_field_gaps(engine: MetricsEngine) -> None:
    gaps = views.field_gaps(engine, D(2025, 4, 1), D(2025, 4, 30), "D01").set_index("dq_field")
    assert gaps["completed"].unique().tolist() == [10]
    assert gaps["dq_missing"].to_dict() == {"all": 4, "reviewed_at": 3, "decided_at": 0, "visits": 1, "rating": 1}
    assert gaps.loc["all", "dq_missing_share"] == pytest.approx(0.4)
    assert views.field_gaps(engine, D(2025, 4, 1), D(2025, 4, 30))["completed"].iloc[0] == 14
    assert views.field_gaps(engine, D(2025, 8, 1), D(2025, 8, 31), "D01")["dq_missing_share"].isna().all()


def test_volume_check_flags_a_department_that_stopped(engine: MetricsEngine) -> None:
    v = views.volume_check(engine, D(2025, 4, 1), D(2025, 7, 31)).set_index(["dept_code", "month"])
    assert sorted({d for d, _ in v.index}) == ["D01", "D02"]  # D03 never reported: nothing to compare
    assert v.loc[("D01", "2025-04"), "dq_records"] == 10
    assert v.loc[("D01", "2025-04"), "dq_baseline"] == 10.0  # January to March
    assert v.loc[("D01", "2025-04"), "dq_ratio"] == pytest.approx(1.0)
    assert not v.loc[("D01", "2025-04"), "dq_flagged"]
    assert v.loc[("D01", "2025-07"), "dq_records"] == 0
    assert v.loc[("D01", "2025-07"), "dq_baseline"] == 10.0
    assert v.loc[("D01", "2025-07"), "dq_flagged"]
    # D02: 1 against a usual 4 is a quarter, but 4 a month is too few to judge by
    assert v.loc[("D02", "2025-07"), "dq_ratio"] == pytest.approx(0.25)
    assert not v.loc[("D02", "2025-07"), "dq_flagged"]
    assert v["dq_flagged"].sum() == 1
    # with a lower bar D02's July is flagged too
    low = views.volume_check(engine, D(2025, 7, 1), D(2025, 7, 31), min_baseline=3.0).set_index("dept_code")
    assert low.loc["D02", "dq_flagged"]


def test_volume_check_needs_three_known_months(engine: MetricsEngine) -> None:
    v = views.volume_check(engine, D(2025, 1, 1), D(2025, 4, 30)).set_index(["dept_code", "month"])
    assert pd.isna(v.loc[("D01", "2025-03"), "dq_baseline"])  # only January and February are known
    assert not v.loc[("D01", "2025-01"), "dq_flagged"]
    assert v.loc[("D01", "2025-04"), "dq_baseline"] == 10.0


def test_table_rows_and_import_freshness(engine: MetricsEngine) -> None:
    rows = views.table_rows(engine).set_index("dq_table_id")
    assert rows.loc["applications", "dq_rows"] == 10 * 6 + 4 * 6 + 1
    assert rows.loc["departments", "dq_table_name"] == "部门"
    last = pd.DataFrame([("applications", 7, dt.datetime(2025, 8, 1, 9, 0))],
                        columns=["table_id", "batch_id", "finished_at"])
    fresh = views.import_freshness(views.table_rows(engine), last, dt.datetime(2025, 8, 11, 8, 0)).set_index("dq_table_id")
    assert fresh.loc["applications", "dq_batch_id"] == 7
    assert fresh.loc["applications", "dq_days_since"] == 9  # 9 days and 23 hours
    assert pd.isna(fresh.loc["cases", "dq_batch_id"])


def test_batch_history_in_chinese() -> None:
    text = "applications: +3 ~1 =0; cases: +0 ~0 =2"
    assert views.batch_tables_text(text) == "办件：新增 3，替换 1，未变 0；问题线索与案例：新增 0，替换 0，未变 2"
    assert views.batch_tables_text("") == ""
    history = pd.DataFrame([(5, "成功", text)], columns=["id", "outcome", "tables"])
    out = views.batch_table(history)
    assert out.columns.tolist() == ["dq_batch_id", "dq_outcome", "dq_tables"]
    assert out["dq_tables"].iloc[0].startswith("办件：新增 3")
