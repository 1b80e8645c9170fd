"""metrics.views.credit on a small hand-built set of ratings; expected values worked out by hand.

Ratings (entity, supervising department, grade, date):
  E1 D01: A 2025-01-10, C 2025-04-10, C 2025-07-10
  E2 D01: B 2025-01-10, A 2025-04-10
  E3 D01: D 2025-04-10 (first rating)
  E1 D02: B 2025-02-01, D 2025-05-01
  E4 D02: C 2025-02-01

At 2025-06-30, latest per entity and department: D01 E1 C, E2 A, E3 D (high risk 2 of 3);
D02 E1 D, E4 C (2 of 2).  District, latest per entity by any department: E1 D (05-01), E2 A,
E3 D, E4 C: 3 of 4 high risk.
Movements (consecutive ratings of one entity by one department): E1/D01 A→C on 04-10 (降级) and
C→C on 07-10 (不变); E2/D01 B→A on 04-10 (升级); E1/D02 B→D on 05-01 (降级).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data.frames import frames_from
from metrics.engine import MetricsEngine
from metrics.results import MetricsRequest
from metrics.series import monthly_series
from metrics.views import credit as views

D = dt.date
E1, E2, E3, E4 = "E1", "E2", "E3", "E4"


@pytest.fixture(scope="module")
def engine() -> MetricsEngine:
    departments = pd.DataFrame([("D01", "区市场监管局", "区直部门"), ("D02", "区税务局", "垂直管理部门"),
                                ("D03", "区教育局", "区直部门")], columns=["dept_code", "dept_name", "dept_type"])
    ratings = pd.DataFrame([
        (E1, "一号公司", "D01", "A", "2025-01-10"), (E1, "一号公司", "D01", "C", "2025-04-10"),
        (E1, "一号公司", "D01", "C", "2025-07-10"),
        (E2, "二号公司", "D01", "B", "2025-01-10"), (E2, "二号公司", "D01", "A", "2025-04-10"),
        (E3, "三号公司", "D01", "D", "2025-04-10"),
        (E1, "一号公司", "D02", "B", "2025-02-01"), (E1, "一号公司", "D02", "D", "2025-05-01"),
        (E4, "四号公司", "D02", "C", "2025-02-01"),
    ], columns=["entity_id", "entity_name", "dept_code", "grade", "rated_date"])
    return MetricsEngine(frames_from({"departments": departments, "credit_ratings": ratings}))


def test_grade_distribution(engine: MetricsEngine) -> None:
    dist = views.grade_distribution(engine, D(2025, 6, 30)).set_index(["dept_code", "grade"])
    assert len(dist) == 2 * 4  # departments with ratings × grades, zeros included
    assert dist["cr_entities"].loc["D01"].tolist() == [1, 0, 1, 1]
    assert dist["cr_entities"].loc["D02"].tolist() == [0, 0, 1, 1]
    assert dist.loc[("D01", "A"), "cr_share"] == pytest.approx(1 / 3)
    assert dist.loc[("D02", "D"), "cr_share"] == pytest.approx(0.5)


def test_grade_table_agrees_with_high_risk_share(engine: MetricsEngine) -> None:
    table = views.grade_table(engine, D(2025, 6, 30))
    assert table["dept_code"].tolist() == ["D02", "D01"]  # highest share first
    row = table.set_index("dept_code")
    assert row.loc["D01", ["cr_grade_A", "cr_grade_B", "cr_grade_C", "cr_grade_D"]].tolist() == [1, 0, 1, 1]
    assert row.loc["D01", "cr_entities"] == 3
    assert row.loc["D01", "cr_high_share"] == pytest.approx(2 / 3)
    assert row.loc["D02", "cr_high_share"] == pytest.approx(1.0)
    result = engine.compute(MetricsRequest(D(2025, 4, 1), D(2025, 6, 30)))
    assert result.departments["D01"]["high_risk_share"] == pytest.approx(2 / 3)
    assert result.departments["D01"]["credit_entities"] == 3


def test_district_distribution(engine: MetricsEngine) -> None:
    dist = views.district_distribution(engine, D(2025, 6, 30))
    assert dist["cr_entities"].tolist() == [1, 0, 1, 2]
    assert dist["cr_share"].tolist() == pytest.approx([0.25, 0.0, 0.25, 0.5])
    result = engine.compute(MetricsRequest(D(2025, 4, 1), D(2025, 6, 30)))
    assert result.district["high_risk_share"] == pytest.approx(0.75)


def test_movements(engine: MetricsEngine) -> None:
    moves = views.movements(engine, D(2025, 1, 1), D(2025, 12, 31))
    got = list(zip(moves["entity_id"], moves["dept_code"], moves["cr_from_grade"], moves["cr_to_grade"],
                   moves["cr_direction"], strict=True))
    assert got == [(E1, "D01", "A", "C", "降级"), (E2, "D01", "B", "A", "升级"), (E1, "D02", "B", "D", "降级"),
                   (E1, "D01", "C", "C", "不变")]
    assert moves["cr_from_date"].iloc[0] == pd.Timestamp("2025-01-10")
    assert moves["dept_name"].iloc[2] == "区税务局"
    # the period counts a move on the later rating's date
    assert len(views.movements(engine, D(2025, 5, 1), D(2025, 6, 30))) == 1
    assert views.movements(engine, D(2025, 1, 1), D(2025, 12, 31), "D02")["entity_id"].tolist() == [E1]
    picked = views.movements(engine, D(2025, 1, 1), D(2025, 12, 31), None, "B", None)
    assert picked["cr_to_grade"].tolist() == ["A", "D"]
    assert views.movements(engine, D(2025, 1, 1), D(2025, 12, 31), None, "B", "D")["dept_code"].tolist() == ["D02"]


def test_transition_matrix(engine: MetricsEngine) -> None:
    m = views.transition_matrix(engine, D(2025, 1, 1), D(2025, 12, 31)).set_index(["cr_from_grade", "cr_to_grade"])
    assert len(m) == 16
    assert m["cr_moves"].sum() == 4
    assert m.loc[("A", "C"), "cr_moves"] == 1
    assert m.loc[("A", "C"), "cr_share"] == pytest.approx(1.0)
    assert m.loc[("B", "A"), "cr_share"] == pytest.approx(0.5)
    assert m.loc[("B", "D"), "cr_share"] == pytest.approx(0.5)
    assert m.loc[("C", "C"), "cr_moves"] == 1
    assert pd.isna(m.loc[("D", "A"), "cr_share"])  # no rating moved out of D: no share


def test_monthly_movements(engine: MetricsEngine) -> None:
    m = views.monthly_movements(engine, D(2025, 1, 1), D(2025, 7, 31))
    assert m["month"].tolist() == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07"]
    assert m["cr_upgrades"].tolist() == [0, 0, 0, 1, 0, 0, 0]
    assert m["cr_downgrades"].tolist() == [0, 0, 0, 1, 1, 0, 0]
    assert m["cr_unchanged"].tolist() == [0, 0, 0, 0, 0, 0, 1]
    assert m["cr_first_ratings"].tolist() == [2, 2, 0, 1, 0, 0, 0]


def test_high_risk_trend_equals_the_indicator_month_by_month(engine: MetricsEngine) -> None:
    trend = views.high_risk_trend(engine, D(2025, 4, 1), D(2025, 5, 31)).set_index(["month", "dept_code"])
    # end of April: E1 C (D01 04-10 is later than D02 02-01), E2 A, E3 D, E4 C
    assert trend.loc[("2025-04", ""), "cr_share"] == pytest.approx(0.75)
    assert trend.loc[("2025-04", "D01"), "cr_share"] == pytest.approx(2 / 3)
    assert trend.loc[("2025-04", "D02"), "cr_share"] == pytest.approx(0.5)
    assert trend.loc[("2025-05", "D02"), "cr_share"] == pytest.approx(1.0)
    assert trend.loc[("2025-05", ""), "dept_name"] == "全区"
    for dept in ("D01", "D02"):
        series = monthly_series(engine, "high_risk_share", D(2025, 4, 1), D(2025, 5, 31), dept=dept)
        ours = [trend.loc[(m, dept), "cr_share"] for m in series["month"]]
        assert ours == pytest.approx(series["value"].tolist())
    district = monthly_series(engine, "high_risk_share", D(2025, 4, 1), D(2025, 5, 31))
    assert [trend.loc[(m, ""), "cr_share"] for m in district["month"]] == pytest.approx(district["value"].tolist())


def test_no_ratings_before_the_first() -> None:
    eng = MetricsEngine(frames_from({}))
    assert views.grade_distribution(eng, D(2025, 6, 30)).empty
    assert views.transition_matrix(eng, D(2025, 1, 1), D(2025, 6, 30))["cr_moves"].sum() == 0
    assert views.high_risk_trend(eng, D(2025, 1, 1), D(2025, 2, 28)).empty
