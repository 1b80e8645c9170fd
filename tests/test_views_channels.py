"""metrics.views.channels on the hand-built data set of tests/test_views_process.py
(see its docstring for the applications), values worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.engine import MetricsEngine
from metrics.results import MetricsRequestError
from metrics.views import channels as cv
from tests.fixtures.small_data import MARCH, views_frames

D = dt.date


@pytest.fixture(scope="module")
def engine() -> MetricsEngine:
    return MetricsEngine(views_frames())


def test_channel_mix_by_department(engine: MetricsEngine) -> None:
    mix = cv.channel_mix(engine, MARCH, "dept")
    # D1's S: A1 网上, A2 窗口, A3 掌上, A6 网上, A7 邮寄 (online 3/5); D2's: A4 窗口, A5 网上, A8 网上 (2/3)
    assert list(dict.fromkeys(mix["unit_code"])) == ["D2", "D1"]
    d1 = mix[mix["unit_code"] == "D1"].set_index("channel")
    assert d1.loc["网上办理", "count"] == 2 and d1.loc["网上办理", "share"] == pytest.approx(0.4)
    assert d1.loc["邮寄", "share"] == pytest.approx(0.2)
    assert d1["count"].sum() == 5 and d1["share"].sum() == pytest.approx(1.0)
    assert (mix["unit_name"][mix["unit_code"] == "D2"] == "乙局").all()


def test_channel_mix_by_street(engine: MetricsEngine) -> None:
    mix = cv.channel_mix(engine, MARCH, "street").set_index("channel")
    # S1: A3 掌上, A4 窗口, A5 网上
    assert set(mix["unit_code"]) == {"S1"}
    assert mix.loc[["网上办理", "掌上办理", "窗口办理"], "share"].tolist() == pytest.approx([1 / 3] * 3)
    with pytest.raises(MetricsRequestError):
        cv.channel_mix(engine, MARCH, "item")


def test_channel_monthly(engine: MetricsEngine) -> None:
    m = cv.channel_monthly(engine, D(2025, 2, 1), D(2025, 3, 31)).set_index(["month", "channel"])
    assert m.loc[("2025-02", "网上办理"), "share"] == 1.0  # A9 alone
    # March: 网上 A1 A5 A6 A8, 掌上 A3, 窗口 A2 A4, 邮寄 A7
    assert m.loc[("2025-03", "网上办理"), "count"] == 4
    assert m.loc[("2025-03", "网上办理"), "share"] == pytest.approx(0.5)
    assert m.loc[("2025-03", "窗口办理"), "share"] == pytest.approx(0.25)
    d2 = cv.channel_monthly(engine, D(2025, 2, 1), D(2025, 3, 31), "D2")
    assert d2["month"].unique().tolist() == ["2025-03"]  # no D2 applications in February


def test_street_channels(engine: MetricsEngine) -> None:
    table = cv.street_channels(engine, MARCH).set_index("street_code")
    assert table.loc["S1", "submitted"] == 3
    assert table.loc["S1", "online_rate"] == pytest.approx(2 / 3)
    assert table.loc["S1", "street_name"] == "丙街道"
    # the district first: S = A1..A8, online (网上 or 掌上) A1 A3 A5 A6 A8
    assert table.index[0] == "" and table.loc["", "submitted"] == 8
    assert table.loc["", "online_rate"] == pytest.approx(5 / 8)
    # a street filter does not hide the other streets
    from dataclasses import replace

    assert cv.street_channels(engine, replace(MARCH, street="S1")).equals(cv.street_channels(engine, MARCH))


def test_visit_distribution(engine: MetricsEngine) -> None:
    v = cv.visit_distribution(engine, MARCH).set_index("visits")
    # S visits: A1 0, A2 2, A3 0, A4 1, A5 –, A6 0, A7 1, A8 –
    assert v["count"].tolist() == [3, 2, 1, 0, 2]
    assert v.loc["0次", "share"] == pytest.approx(0.5)
    # shares of the six applications with a known count; none for the unknown ones
    assert v["share"].iloc[:4].tolist() == pytest.approx([3 / 6, 2 / 6, 1 / 6, 0])
    assert v["share"].isna().tolist() == [False, False, False, False, True]


def test_rating_distribution(engine: MetricsEngine) -> None:
    r = cv.rating_distribution(engine, MARCH)
    # C ratings: A1 5, A2 2, A3 –, A4 4, A7 1
    assert r["count"].tolist() == [1, 1, 0, 1, 1, 1]
    assert r["rating_label"].tolist() == ["非常不满意", "不满意", "基本满意", "满意", "非常满意", "未评价"]
    assert r["share"].iloc[:5].tolist() == pytest.approx([0.25, 0.25, 0.0, 0.25, 0.25])
    assert cv.rating_distribution(engine, MARCH, "D2")["count"].tolist() == [0, 0, 0, 1, 0, 0]


def test_item_channels(engine: MetricsEngine) -> None:
    items = cv.item_channels(engine, MARCH, "D1")
    assert items["item_code"].tolist() == ["I1", "I2"]
    i1 = items.iloc[0]
    # I1's S: A1 网上, A2 窗口, A6 网上, A7 邮寄; visits 0, 2, 0, 1
    assert i1["submitted"] == 4 and i1["online_share"] == pytest.approx(0.5)
    assert i1["zero_visit_share"] == pytest.approx(0.5)
    assert bool(i1["online_available"]) and bool(i1["full_online"])
    assert items.iloc[1]["online_share"] == 1.0 and not items.iloc[1]["online_available"]


def test_bad_ratings_worst_first(engine: MetricsEngine) -> None:
    frame, total = cv.bad_ratings(engine, MARCH)
    assert total == 2 and frame["app_id"].tolist() == ["A7", "A2"]  # ratings 1, 2
    assert frame["rating"].tolist() == [1, 2]
    assert cv.bad_ratings(engine, MARCH, "D2")[1] == 0
    assert len(cv.bad_ratings(engine, MARCH, limit=1)[0]) == 1
