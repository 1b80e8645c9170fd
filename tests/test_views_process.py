"""metrics.views.process on a small hand-built data set, values worked out by hand.

March 2025 has no public holiday: its working days are Monday to Friday.

Departments D1, D2 (区直部门), S1 (街道).  Items: I1 D1 legal 10 / promised 5, online and
fully online, 4 materials; I2 D1 0 / 0, 2 materials; I3 D2 20 / 10, online, no materials.

Applications (stage hours 受理 / 审查 / 决定 / 送达, processing_wd = wd(accepted, completed)):
  A1 D1 I1 网上 承诺件 03-03 → 03-06: 1 / 24 / 24 / 24 h, 3 wd ≤ 5, visits 0, rating 5
  A2 D1 I1 窗口 容缺受理 03-03 → 03-12: 0.5 / 168 / 4 / 44 h, 7 wd > 5, visits 2, rating 2
  A3 D1 I2 掌上 即办件 03-05 same day: 0 / 0.5 / 0.5 / 0 h, 0 wd, visits 0, street S1
  A4 D2 I3 窗口 承诺件 03-03 → 03-07: 1 / 48 / 24 / 24 h, 4 wd ≤ 10, visits 1, rating 4, S1
  A5 D2 I3 网上 并联审批 在办, accepted 03-10: at 03-31 open 15 wd > 10, street S1
  A6 D1 I1 网上 告知承诺 不予受理 03-12, visits 0
  A7 D1 I1 邮寄 承诺件 03-14 → 03-28 result 不予: 1 / 144 / 168 / 24 h, 10 wd > 5, visits 1, rating 1
  A8 D2 I3 网上 承诺件 撤回 03-20
  A9 D1 I1 网上 承诺件 02-10 → 02-12: 2 wd ≤ 5 (February)
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from metrics.engine import MetricsEngine
from metrics.results import MetricsRequest, MetricsRequestError
from metrics.series import monthly_series
from metrics.views import process as pv
from tests.fixtures.small_data import MARCH, views_frames

D = dt.date
APPROX = 1e-9


@pytest.fixture(scope="module")
def engine() -> MetricsEngine:
    return MetricsEngine(views_frames())


def test_stage_map_district_shares_and_bottleneck(engine: MetricsEngine) -> None:
    m = pv.stage_map(engine, MARCH).set_index("stage")
    # C = A1 A2 A3 A4 A7; medians of [1, .5, 0, 1, 1], [24, 168, .5, 48, 144], [24, 4, .5, 24, 168], [24, 44, 0, 24, 24]
    assert m["median_hours"].tolist() == pytest.approx([1.0, 48.0, 24.0, 24.0])
    assert m["stage_count"].tolist() == [5, 5, 5, 5]
    assert m["ratio"].tolist() == pytest.approx([1 / 97, 48 / 97, 24 / 97, 24 / 97])
    assert m["bottleneck"].tolist() == [False, True, False, False]
    assert m["slowness"].isna().all() and m["reference_hours"].isna().all()


def test_stage_map_department_against_the_district(engine: MetricsEngine) -> None:
    m = pv.stage_map(engine, MARCH, "D1", reference=(1.0, 48.0, 24.0, 24.0)).set_index("stage")
    # D1's C = A1 A2 A3 A7: 受理 [0, .5, 1, 1] → .75; 审查 [.5, 24, 144, 168] → 84; 决定 [.5, 4, 24, 168] → 14
    assert m["median_hours"].tolist() == pytest.approx([0.75, 84.0, 14.0, 24.0])
    assert m["ratio"].tolist() == pytest.approx([0.75, 1.75, 14 / 24, 1.0])
    assert m["slowness"].tolist() == ["正常", "偏慢", "正常", "正常"]
    assert m.loc["审查", "bottleneck"]


def test_stage_map_item_against_its_department(engine: MetricsEngine) -> None:
    m = pv.stage_map(engine, MARCH, "D1", "I1", reference=(0.75, 84.0, 14.0, 24.0)).set_index("stage")
    # I1's C = A1 A2 A7: 受理 [1, .5, 1] → 1; 审查 [24, 168, 144] → 144; 决定 [24, 4, 168] → 24; 送达 → 24
    assert m["median_hours"].tolist() == pytest.approx([1.0, 144.0, 24.0, 24.0])
    assert m["slowness"].tolist() == ["偏慢", "偏慢", "偏慢", "正常"]
    assert m["ratio"]["审查"] == pytest.approx(144 / 84)


def test_stage_map_reference_helper() -> None:
    assert pv.stage_reference({"受理": 1.0, "审查": 2.0, "决定": None, "送达": 4.0}) == (1.0, 2.0, None, 4.0)
    assert pv.stage_reference(None) is None


def test_processing_distribution_splits_on_time_and_overdue(engine: MetricsEngine) -> None:
    d = pv.processing_distribution(engine, MARCH)
    # processing_wd over C: A1 3, A2 7 (late), A3 0, A4 4, A7 10 (late)
    assert d["processing_wd"].tolist() == list(range(11))
    assert d["total"].tolist() == [1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1]
    assert d["overdue"].tolist() == [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1]
    capped = pv.processing_distribution(engine, MARCH, cap=5)
    assert capped["total"].tolist() == [1, 0, 0, 1, 1, 2]
    assert capped["overdue"].tolist() == [0, 0, 0, 0, 0, 2]
    assert pv.processing_distribution(engine, MARCH, "D2")["total"].sum() == 1


def test_applications_slowest_first(engine: MetricsEngine) -> None:
    frame, total = pv.applications(engine, MARCH, "D1", None)
    assert total == 4
    assert frame["app_id"].tolist() == ["A7", "A2", "A1", "A3"]
    assert frame["processing_wd"].tolist() == [10, 7, 3, 0]
    assert frame["overdue"].tolist() == [True, True, False, False]
    by_stage, total = pv.applications(engine, MARCH, "D1", "I1", "审查", limit=2)
    assert total == 3 and by_stage["app_id"].tolist() == ["A2", "A7"]
    assert by_stage["审查_hours"].tolist() == pytest.approx([168.0, 144.0])
    open_, _ = pv.applications(engine, MARCH, "D2", None)
    assert open_["app_id"].tolist() == ["A5", "A4"]  # open 15 wd, then 4 wd
    assert int(open_["open_wd"].iloc[0]) == 15 and bool(open_["open_overdue"].iloc[0])
    with pytest.raises(MetricsRequestError):
        pv.applications(engine, MARCH, "D1", None, "审批")


def test_item_process_worst_first(engine: MetricsEngine) -> None:
    table = pv.item_process(engine, MARCH, "D1")
    assert table["item_code"].tolist() == ["I1", "I2"]
    i1 = table.iloc[0]
    assert i1["completed_count"] == 3 and i1["overdue_count"] == 2
    assert i1["on_time_rate"] == pytest.approx(1 / 3)
    assert i1["median_processing_wd"] == pytest.approx(7.0)
    assert i1["promised_limit_days"] == 5 and i1["legal_limit_days"] == 10
    assert i1["bottleneck_stage"] == "审查"


def test_monthly_process_by_hand_and_as_monthly_series(engine: MetricsEngine) -> None:
    m = pv.monthly_process(engine, D(2025, 2, 1), D(2025, 3, 31)).set_index(["dept_code", "month"])
    assert m.loc[("D1", "2025-02"), "completed"] == 1
    assert m.loc[("D1", "2025-02"), "on_time_rate"] == 1.0
    d1 = m.loc[("D1", "2025-03")]
    assert (d1["completed"], d1["on_time"]) == (4, 2)  # A1 A2 A3 A7; on time A1 A3
    assert d1["median_processing_wd"] == pytest.approx(5.0)  # [0, 3, 7, 10]
    assert d1["avg_processing_wd"] == pytest.approx(5.0)
    district = m.loc[("", "2025-03")]
    assert (district["completed"], district["on_time"], district["overdue_count"]) == (5, 3, 2)
    assert district["median_processing_wd"] == pytest.approx(4.0)
    assert np.isnan(m.loc[("D2", "2025-02"), "on_time_rate"])
    for ind in ("on_time_rate", "median_processing_wd", "avg_processing_wd"):
        for dept in ("D1", "D2", None):
            ref = monthly_series(engine, ind, D(2025, 2, 1), D(2025, 3, 31), dept)
            mine = m.xs(dept or "", level="dept_code")[ind]
            for want, got in zip(ref["value"], mine, strict=True):
                assert np.isnan(got) if pd.isna(want) else got == pytest.approx(want), (ind, dept)


def _months(n: int) -> list[str]:
    return [f"2024-{i + 1:02d}" for i in range(n)]


def test_control_limits_p_chart_by_hand() -> None:
    values = pd.DataFrame({"dept_code": "D1", "month": _months(7), "completed": [100] * 7,
                           "on_time": [90] * 6 + [70], "on_time_rate": [0.9] * 6 + [0.7]})
    out = pv.control_limits(values, "on_time_rate")
    assert out["centre"].iloc[:6].isna().all()  # fewer than 6 earlier months
    smooth = 541 / 602  # (540 + 1) / (600 + 2)
    sigma = (smooth * (1 - smooth) / 100) ** 0.5
    assert out["centre"].iloc[6] == pytest.approx(0.9)
    assert out["lcl"].iloc[6] == pytest.approx(0.9 - 3 * sigma)
    assert out["ucl"].iloc[6] == pytest.approx(min(1.0, 0.9 + 3 * sigma))
    assert out["signal"].iloc[6] == "偏低" and bool(out["worse"].iloc[6])


def test_control_limits_individuals_chart_by_hand() -> None:
    v = [10.0, 12.0] * 3 + [20.0]
    values = pd.DataFrame({"dept_code": "D1", "month": _months(7), "completed": [5] * 7, "on_time": [0] * 7,
                           "median_processing_wd": v})
    out = pv.control_limits(values, "median_processing_wd")
    sd = (6 / 5) ** 0.5  # deviations ±1 from the mean 11, n − 1 = 5
    assert out["centre"].iloc[6] == pytest.approx(11.0)
    assert out["ucl"].iloc[6] == pytest.approx(11 + 3 * sd)
    assert out["lcl"].iloc[6] == pytest.approx(11 - 3 * sd)
    assert out["signal"].iloc[6] == "偏高" and bool(out["worse"].iloc[6])
    assert out["signal"].iloc[:6].isna().all()


def test_control_table_chart_and_flags(engine: MetricsEngine) -> None:
    table = pv.control_table(engine, "on_time_rate", D(2025, 3, 31))
    assert table["month"].min() == "2025-02"  # months before the data are left out
    chart = pv.control_chart(engine, "on_time_rate", D(2025, 3, 31), "D1")
    assert chart["month"].tolist() == ["2025-02", "2025-03"]
    assert chart["value"].tolist() == pytest.approx([1.0, 0.5])
    assert chart["centre"].isna().all()  # too little history for limits
    assert pv.control_flags(engine, MARCH, "on_time_rate").empty
    with pytest.raises(MetricsRequestError):
        pv.control_table(engine, "online_rate", D(2025, 3, 31))


def test_unknown_codes_are_refused(engine: MetricsEngine) -> None:
    with pytest.raises(MetricsRequestError):
        pv.stage_map(engine, MARCH, "D9")
    with pytest.raises(MetricsRequestError):
        pv.processing_distribution(engine, MARCH, "D1", "I9")
    assert pv.item_department(engine, "I3") == "D2" and pv.item_department(engine, "I9") is None


def test_item_process_without_applications_is_empty(engine: MetricsEngine) -> None:
    january = MetricsRequest(D(2025, 1, 1), D(2025, 1, 31))
    table = pv.item_process(engine, january, "D2")
    assert table.empty and list(table.columns) == list(pv.ITEM_COLUMNS)


def test_open_overdue_backlog(engine: MetricsEngine) -> None:
    frame, total = pv.open_overdue(engine, MARCH, None)
    assert total == 1 and frame["app_id"].tolist() == ["A5"] and int(frame["open_wd"].iloc[0]) == 15
    assert pv.open_overdue(engine, MARCH, "D1")[1] == 0


def test_item_process_agrees_with_the_item_breakdown(engine: MetricsEngine) -> None:
    from metrics.series import item_breakdown

    mine = pv.item_process(engine, MARCH, "D1").set_index("item_code")
    ref = item_breakdown(engine, MARCH, "D1").set_index("item_code")
    for col in ("on_time_rate", "median_processing_wd", "p90_processing_wd", "overdue_count",
                "legal_overdue_count", "open_overdue_count", "bottleneck_stage", "审查_hours"):
        for code in mine.index:
            want, got = ref.loc[code, col], mine.loc[code, col]
            assert (pd.isna(want) and pd.isna(got)) or got == pytest.approx(want), (code, col)


def test_item_figures_by_hand_and_as_the_items_row(engine: MetricsEngine) -> None:
    fig = pv.item_figures(engine, MARCH, "D1", "I1")
    v = fig.values
    # I1's C = A1 3, A2 7, A7 10 working days (promised 5, legal 10); no open work
    assert v["on_time_rate"] == pytest.approx(1 / 3)
    assert v["median_processing_wd"] == pytest.approx(7.0)
    assert v["p90_processing_wd"] == pytest.approx(9.4)  # 7 + 0.8 × (10 − 7)
    assert v["avg_processing_wd"] == pytest.approx(20 / 3)
    assert (v["overdue_count"], v["legal_overdue_count"], v["open_overdue_count"]) == (2, 0, 0)
    assert v["speedup_rate"] == pytest.approx(1 - 20 / 30)
    assert v["open_overdue_rate"] is None  # no open work: 无数据, not 0
    assert v["bottleneck_stage"] == "审查"
    # 上期 = February: A9, 2 working days
    p = fig.previous
    assert p["on_time_rate"] == 1.0 and p["median_processing_wd"] == pytest.approx(2.0) and p["overdue_count"] == 0
    row = pv.item_process(engine, MARCH, "D1").set_index("item_code").loc["I1"]
    for col in ("on_time_rate", "median_processing_wd", "p90_processing_wd", "overdue_count",
                "legal_overdue_count", "open_overdue_count", "bottleneck_stage"):
        assert v[col] == pytest.approx(row[col]) if isinstance(v[col], float) else v[col] == row[col], col
    # I3 of D2: A4 on time (4 ≤ 10), A5 open 15 working days > 10
    i3 = pv.item_figures(engine, MARCH, "D2", "I3").values
    assert (i3["on_time_rate"], i3["open_overdue_count"], i3["open_overdue_rate"]) == (1.0, 1, 1.0)
    assert pv.item_figures(engine, MARCH, "D1", "I3").values["on_time_rate"] is None  # not D1's work
    with pytest.raises(MetricsRequestError):
        pv.item_figures(engine, MARCH, "D1", "I9")


def test_control_table_of_one_item(engine: MetricsEngine) -> None:
    table = pv.control_table(engine, "on_time_rate", D(2025, 3, 31), None, 24, "I1")
    rows = pv.chart_rows(table, "D1")
    assert rows["month"].tolist() == ["2025-02", "2025-03"]
    assert rows["value"].tolist() == pytest.approx([1.0, 1 / 3])  # A9; A1 of A1 A2 A7
    assert rows["completed"].tolist() == [1, 3]
    i2 = pv.chart_rows(pv.control_table(engine, "median_processing_wd", D(2025, 3, 31), None, 24, "I2"), None)
    assert i2["month"].tolist() == ["2025-03"] and i2["value"].tolist() == [0.0]  # A3 only, same day
    with pytest.raises(MetricsRequestError):
        pv.control_table(engine, "on_time_rate", D(2025, 3, 31), None, 24, "I9")
