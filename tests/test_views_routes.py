"""metrics.views.routes on the hand-built data set of tests/test_views_process.py (see its
docstring for the applications), values worked out by hand."""

from __future__ import annotations

import math

import pytest

from metrics.engine import MetricsEngine
from metrics.views import routes as rv
from tests.fixtures.small_data import MARCH, views_frames


@pytest.fixture(scope="module")
def engine() -> MetricsEngine:
    return MetricsEngine(views_frames())


def test_route_mix(engine: MetricsEngine) -> None:
    mix = rv.route_mix(engine, MARCH)
    # D1: A1 承诺件, A2 容缺受理, A3 即办件, A6 告知承诺, A7 承诺件 → streamlined 3/5
    # D2: A4 承诺件, A5 并联审批, A8 承诺件 → 1/3
    assert list(dict.fromkeys(mix["dept_code"])) == ["D1", "D2"]
    d1 = mix[mix["dept_code"] == "D1"].set_index("route")
    assert d1.loc["承诺件", "count"] == 2 and d1.loc["承诺件", "share"] == pytest.approx(0.4)
    assert d1.loc["并联审批", "count"] == 0
    d2 = mix[mix["dept_code"] == "D2"].set_index("route")
    assert d2.loc["承诺件", "share"] == pytest.approx(2 / 3)


def test_route_timing_by_hand(engine: MetricsEngine) -> None:
    t = rv.route_timing(engine, MARCH).set_index("route")
    promised = t.loc["承诺件"]
    # S: A1 A4 A7 A8; C: A1 3 wd (≤ 5), A4 4 (≤ 10), A7 10 (> 5)
    assert (promised["submitted"], promised["completed"]) == (4, 3)
    assert promised["on_time_rate"] == pytest.approx(2 / 3)
    assert promised["avg_processing_wd"] == pytest.approx(17 / 3)
    assert promised["median_processing_wd"] == pytest.approx(4.0)
    assert promised["p90_processing_wd"] == pytest.approx(4 + 0.8 * 6)
    assert promised["limit_use"] == pytest.approx(17 / 20)
    assert promised["rejection_rate"] == pytest.approx(1 / 3)  # A7 不予, of A1 A4 A7 (A8 撤回)
    instant = t.loc["即办件"]
    assert instant["on_time_rate"] == 1.0 and math.isnan(instant["limit_use"])  # promised 0: no limit to use
    assert t.loc["容缺受理", "limit_use"] == pytest.approx(7 / 5)
    assert t.loc["告知承诺", "rejection_rate"] == 1.0 and math.isnan(t.loc["告知承诺", "median_processing_wd"])
    assert t.loc["并联审批", "completed"] == 0 and t.loc["并联审批", "rejection_rate"] == 0.0


def test_route_timing_of_a_department(engine: MetricsEngine) -> None:
    t = rv.route_timing(engine, MARCH, "D2").set_index("route")
    assert t["submitted"].tolist() == [0, 2, 0, 0, 1]
    assert t.loc["承诺件", "median_processing_wd"] == pytest.approx(4.0)


def test_item_limits(engine: MetricsEngine) -> None:
    items = rv.item_limits(engine, MARCH, "D1")
    assert items["item_code"].tolist() == ["I1", "I2"]
    assert items["compression"].iloc[0] == pytest.approx(0.5)  # (10 − 5) / 10
    assert math.isnan(items["compression"].iloc[1])  # legal limit 0
    assert items["submitted"].tolist() == [4, 1]
    assert items["materials"].tolist() == [4, 2]
    everything = rv.item_limits(engine, MARCH)
    assert everything["item_code"].tolist() == ["I1", "I3", "I2"]  # 0.5, 0.5, none


def test_rejected_newest_first(engine: MetricsEngine) -> None:
    frame, total = rv.rejected(engine, MARCH)
    # A6 不予受理 (03-12), A7 result 不予 (03-14); A8 撤回 is not counted
    assert total == 2 and frame["app_id"].tolist() == ["A7", "A6"]
    assert rv.rejected(engine, MARCH, "D2")[1] == 0
