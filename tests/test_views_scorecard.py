"""metrics.views.scorecard: the score matrix, a dimension's indicators, the provincial
comparison and the weak-link tables, on hand-built results; every expected value is hand
arithmetic from the default floors, targets and weights of indicators.md:

- on_time_rate 0.80 → 1.00 (weight 0.4), speedup_rate 0.0 → 0.7 (0.3), open_overdue_rate
  0.20 → 0.0 (0.3); online_rate 0.3 → 0.9 (0.3 of 服务渠道); deductions 2 per case, cap 10.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data.frames import frames_from
from metrics.config import load_config
from metrics.engine import MetricsEngine
from metrics.results import (
    DepartmentScore,
    MetricsRequest,
    MetricsRequestError,
    MetricsResult,
    Period,
    WeakLink,
)
from metrics.views import scorecard as sv

D = dt.date
CONFIG = load_config()
REQ = MetricsRequest(D(2026, 1, 1), D(2026, 6, 30))
DIMS = ("办事流程", "服务渠道", "审批途径", "监管手段", "制度宣传保障")


def _score(code: str, dims: dict[str, float], composite: float | None, deductions: float = 0.0,
           unreported: int = 0) -> DepartmentScore:
    return DepartmentScore(code, {}, {d: dims.get(d) for d in DIMS}, deductions, composite, unreported, 0)


def _link(code: str, name: str, dim: str, ind: str, value: object, score: float | None, sev: str,
          reason: str = "低于60分") -> WeakLink:
    return WeakLink(code, dim, ind, value, score, 0.9, 0.8, reason, sev, name, CONFIG.indicator(ind).name, None)


def hand_result() -> MetricsResult:
    """D1 (80, 60 → 70), D2 (composite 90), D3 (no score); the district: every process
    indicator at half way (50), online_rate 0.6 (50), two unreported cases (−4)."""
    district = {"on_time_rate": 0.9, "speedup_rate": 0.35, "open_overdue_rate": 0.1, "online_rate": 0.6,
                "unreported_count": 2, "key_overdue_count": 0, "case_count": 7, "stage_hours": {"受理": 1.0}}
    previous_district = {"on_time_rate": 1.0, "unreported_count": 0}
    d1 = {"on_time_rate": 0.95, "speedup_rate": 0.7, "open_overdue_rate": None, "overdue_count": 3,
          "unreported_count": 1, "case_count": 2, "stage_hours": {"受理": 2.0}}
    return MetricsResult(
        request=REQ, period=Period(REQ.date_from, REQ.date_to, REQ.date_to),
        district=district,
        departments={"D1": d1, "D2": {}, "D3": {}},
        scores={"D1": _score("D1", {"办事流程": 80.0, "服务渠道": 60.0}, 70.0, 2.0, 1),
                "D2": _score("D2", {"办事流程": 90.0}, 90.0),
                "D3": _score("D3", {}, None)},
        weak_links=(
            _link("D1", "一局", "办事流程", "on_time_rate", 0.85, 25.0, "严重"),
            _link("D2", "二局", "服务渠道", "online_rate", 0.5, 33.3, "严重"),
            _link("D1", "一局", "服务渠道", "online_rate", 0.62, 53.3, "一般"),
            WeakLink("D1", "监管手段", "unreported_count", 1, None, 2, 0, "应报未报", "严重", "一局",
                     CONFIG.indicator("unreported_count").name),
        ),
        previous_period=Period(D(2025, 7, 4), D(2025, 12, 31), D(2025, 12, 31)),
        previous_district=previous_district,
        previous_departments={"D1": {"on_time_rate": 0.9}, "D2": {}, "D3": {}},
        previous_scores={"D1": _score("D1", {"办事流程": 50.0, "服务渠道": 70.0}, 75.0),
                         "D2": _score("D2", {}, None), "D3": _score("D3", {}, None)},
        dept_names={"D1": "一局", "D2": "二局", "D3": "三局"},
    )


def test_score_matrix() -> None:
    m = sv.score_matrix(hand_result(), CONFIG).set_index("dept_code")
    assert list(m.index) == ["D1", "D2", "D3", ""]
    assert (m.loc["D1", "办事流程"], m.loc["D1", "办事流程_prev"], m.loc["D1", "办事流程_change"]) == (80.0, 50.0, 30.0)
    assert m.loc["D1", "服务渠道_change"] == -10.0
    assert (m.loc["D1", "composite"], m.loc["D1", "previous_composite"], m.loc["D1", "composite_change"]) == (
        70.0, 75.0, -5.0)
    assert (m.loc["D1", "deductions"], m.loc["D1", "unreported_count"]) == (2.0, 1)
    assert (m.loc["D2", "rank"], m.loc["D1", "rank"]) == (1, 2)
    assert pd.isna(m.loc["D3", "rank"]) and pd.isna(m.loc["D3", "composite"])
    assert pd.isna(m.loc["D2", "composite_change"])
    # district: 办事流程 50 (all three at half way), 服务渠道 50 (online_rate only), 2 × 2 deducted
    dist = m.loc[""]
    assert dist["dept_name"] == "全区"
    assert dist["办事流程"] == pytest.approx(50.0) and dist["服务渠道"] == pytest.approx(50.0)
    assert pd.isna(dist["审批途径"])
    assert dist["deductions"] == 4.0 and dist["composite"] == pytest.approx(46.0)
    assert dist["previous_composite"] == pytest.approx(100.0) and dist["composite_change"] == pytest.approx(-54.0)
    assert dist["办事流程_change"] == pytest.approx(-50.0) and pd.isna(dist["rank"])


def test_dimension_indicators() -> None:
    df = sv.dimension_indicators(hand_result(), CONFIG, "D1", "process").set_index("indicator")
    assert list(df.index)[:3] == ["on_time_rate", "overdue_count", "legal_overdue_count"]
    r = df.loc["on_time_rate"]
    assert r["value"] == 0.95 and r["score"] == pytest.approx(75.0)  # (0.95 − 0.8) / 0.2
    assert r["district_value"] == 0.9 and r["district_score"] == pytest.approx(50.0)
    assert r["previous_value"] == 0.9 and r["previous_score"] == pytest.approx(50.0)
    assert r["weight"] == 0.4 and r["direction"] == "up" and r["scored"]
    assert df.loc["speedup_rate", "score"] == pytest.approx(100.0)
    assert pd.isna(df.loc["open_overdue_rate", "score"])  # no value, no score
    assert df.loc["overdue_count", "value"] == 3 and not df.loc["overdue_count", "scored"]
    assert pd.isna(df.loc["overdue_count", "score"])
    assert df.loc["stage_hours", "value"] == {"受理": 2.0}
    district = sv.dimension_indicators(hand_result(), CONFIG, None, "publicity")
    assert "nl_coverage" in set(district["indicator"])  # district-only indicator shown for the district
    assert "nl_coverage" not in set(sv.dimension_indicators(hand_result(), CONFIG, "D1", "publicity")["indicator"])
    with pytest.raises(MetricsRequestError):
        sv.dimension_indicators(hand_result(), CONFIG, "D1", "nonsense")
    with pytest.raises(MetricsRequestError):
        sv.dimension_indicators(hand_result(), CONFIG, "D9", "process")


def test_period_key() -> None:
    assert sv.period_key(D(2026, 1, 1), D(2026, 6, 30)) == "2026H1"
    assert sv.period_key(D(2026, 7, 1), D(2026, 9, 30)) == "2026Q3"
    assert sv.period_key(D(2026, 7, 1), D(2026, 7, 31)) == "2026-07"
    assert sv.period_key(D(2025, 1, 1), D(2025, 12, 31)) == "2025"
    assert sv.period_key(D(2025, 1, 1), D(2025, 12, 30)) is None


def test_provincial_comparison() -> None:
    frames = frames_from({
        "departments": pd.DataFrame([("D1", "一局", "区直部门"), ("D2", "二局", "区直部门")],
                                    columns=["dept_code", "dept_name", "dept_type"]),
        "provincial_scores": pd.DataFrame([
            ("2026H1", "D1", "办事流程", "时限压缩", 40.0, 50.0),
            ("2026H1", "D1", "办事流程", "按时办结", 90.0, None),  # max_score defaults to 100
            ("2026H1", "D1", "服务渠道", "网上可办", 70.0, 100.0),
            ("2026H1", "D2", "办事流程", "时限压缩", 80.0, 100.0),
            ("2025H2", "D1", "办事流程", "时限压缩", 10.0, 100.0),
        ], columns=["period", "dept_code", "dimension", "indicator", "score", "max_score"]),
    })
    engine = MetricsEngine(frames)
    assert sv.provincial_periods(engine) == ("2026H1", "2025H2")
    long = sv.provincial_comparison(engine, REQ)
    got = {(r["dept_code"], r["dimension"]): r for r in long.to_dict("records")}
    assert set(got) == {("D1", "办事流程"), ("D1", "服务渠道"), ("D2", "办事流程")}
    assert got[("D1", "办事流程")]["provincial"] == pytest.approx(100 * 130 / 150)
    assert got[("D1", "办事流程")]["provincial_items"] == 2
    assert got[("D1", "服务渠道")]["provincial"] == pytest.approx(70.0)
    assert pd.isna(got[("D1", "办事流程")]["computed"])  # no applications: no computed score
    wide = sv.provincial_wide(engine, REQ).set_index("dept_code")
    assert wide.loc["D1", "办事流程_provincial"] == pytest.approx(86.6667, abs=1e-4)
    assert pd.isna(wide.loc["D2", "服务渠道_provincial"])
    assert sv.provincial_comparison(engine, MetricsRequest(D(2026, 7, 1), D(2026, 9, 30))).empty
    assert sv.provincial_wide(engine, MetricsRequest(D(2026, 1, 1), D(2026, 6, 29))).empty


def test_weak_links_and_counts() -> None:
    links = sv.weak_links(hand_result(), CONFIG)
    # 严重 first, score ascending with the count link (no score) first, then 一般
    assert list(links["link"]) == ["D1.unreported_count", "D1.on_time_rate", "D2.online_rate", "D1.online_rate"]
    assert list(links["dimension_id"]) == ["supervision", "process", "channels", "channels"]
    serious = sv.filter_links(links, ["严重"])
    assert len(serious) == 3 and list(serious.index) == [0, 1, 2]
    assert list(sv.filter_links(links, (), ["服务渠道"], ["D1"])["link"]) == ["D1.online_rate"]
    assert len(sv.filter_links(links)) == 4
    by_dim = sv.weak_link_counts(links, CONFIG, "dimension")
    assert by_dim.to_dict("records") == [
        {"dimension": "办事流程", "严重": 1, "一般": 0, "total": 1},
        {"dimension": "服务渠道", "严重": 1, "一般": 1, "total": 2},
        {"dimension": "监管手段", "严重": 1, "一般": 0, "total": 1},
    ]
    by_dept = sv.weak_link_counts(links, CONFIG, "dept_name")
    assert by_dept.to_dict("records") == [
        {"dept_name": "一局", "dept_code": "D1", "严重": 2, "一般": 1, "total": 3},
        {"dept_name": "二局", "dept_code": "D2", "严重": 1, "一般": 0, "total": 1},
    ]
    assert sv.weak_link_counts(links.iloc[0:0], CONFIG, "dimension").empty
    with pytest.raises(MetricsRequestError):
        sv.weak_link_counts(links, CONFIG, "street")


def test_score_matrix_of_a_period_left_unscored() -> None:
    """数据不完整 and not asked to score: the district row is unscored like every department
    (no dimension score, composite or change; nothing deducted), though its values are known."""
    from dataclasses import replace

    from metrics.engine import unscored

    hand = hand_result()
    result = replace(hand, scored=False, incomplete=True,
                     scores={c: unscored(c, CONFIG) for c in hand.scores}, weak_links=())
    dist = sv.score_matrix(result, CONFIG).set_index("dept_code").loc[""]
    assert all(pd.isna(dist[d]) for d in DIMS)
    assert pd.isna(dist["composite"]) and pd.isna(dist["composite_change"]) and dist["deductions"] == 0.0
    assert pd.isna(dist["办事流程_change"]) and dist["previous_composite"] == pytest.approx(100.0)
