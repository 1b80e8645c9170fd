"""Oracle tests of the hidden-barrier screen (screening.md) on a small hand-built data set.

Every expected value is worked out by hand below and written as a literal or as the hand
arithmetic (hypergeometric sums, rank sums, the normal tail by ``math.erfc``); none comes
from the code under test or from scipy.

Period: March 2025 (no holidays: Mon–Fri are working days), as_of 2025-03-31.
Entities (division code = characters 3–8 of the credit code):
  G1 440106 广州 · G2 450103 南宁 · P1 440703 蓬江（江门） · L1, L2 440704 江海
At local_prefix 4407: 外地 = G1, G2; 本地 = P1, L1, L2.

Item I1 (D01, 行政许可), applications accepted 03-03, processing_wd = wd(03-03, completed) − suspended:
  n1 G1 不予受理 (never accepted)                         visits 1
  n2 G1 已办结 不予, completed 03-10: 4,5,6,7,10 = 5        visits 2
  n3 G2 已办结 不予, completed 03-12: 7 − 2 suspended = 5   visits 2
  n4 G2 已办结 准予, completed 03-07: 4                     visits 1
  l1 L1 已办结 准予, 03-04: 1 · l2 L1 03-05: 2 · l3 L2 03-05: 2 · l4 L2 03-06: 3 · l5 P1 03-06: 3
     visits 0, 0, 1, 0, 0
  w1 G1 撤回 (out of the rejection population, visits missing)
  x1 no entity_id, 不予受理 (takes no part)
  f1 G1 submitted in February (outside the period)
Item I5 (D02, 行政许可): 外地 G1 不予受理 + two 在办 (G1, G2), 本地 three 在办 (L1, L2, P1); no visits.
Item I2 (D02, 行政许可): two 外地 and five 本地 completed applications: never reaches min_group 3.
Items I3 (D01, 行政许可, N9), I4 (D02, 行政备案, N9), I6 (D01, 行政许可, N1): list basis tests.
Negative list: 2022 (effective 2022-03-28) N1, N9; 2025 (effective 2025-04-24) N1 only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterator

import pandas as pd
import pytest

from data.frames import frames_from
from metrics.config import load_config
from metrics.engine import MetricsEngine
from metrics.screening.locality import LOCAL, NO_CODE, NONLOCAL, locality
from metrics.screening.model import ScreeningRequest, Signal
from metrics.screening.screener import Screener
from metrics.screening_rules import ScreeningRules
from tests.fixtures.screening import G1, G2, L1, P1, tables

D = dt.date
MARCH = ScreeningRequest(D(2025, 3, 1), D(2025, 3, 31))
APRIL = ScreeningRequest(D(2025, 4, 1), D(2025, 4, 30))
APPROX = 1e-9


@pytest.fixture(scope="module")
def engine() -> MetricsEngine:
    return MetricsEngine(frames_from(tables()))


def rules(**changes: object) -> ScreeningRules:
    """The file's settings with min_group 3 (a tiny data set) and ``changes``."""
    base = dataclasses.replace(load_config().screening, min_group=3)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def screener(engine: MetricsEngine) -> Screener:
    return Screener(engine, rules())


def by_item(signals: Iterator[Signal] | tuple[Signal, ...]) -> dict[str, Signal]:
    return {s.item_code: s for s in signals}


def approx(x: float) -> object:
    return pytest.approx(x, rel=APPROX, abs=APPROX)


def normal_tail(z: float) -> float:
    """P(Z ≥ z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2))


# ---------------------------------------------------------------------- locality


def test_locality_at_each_prefix_level() -> None:
    codes = pd.Series([L1, P1, G1, G2, None], dtype="string")
    assert locality(codes, "44").tolist() == [LOCAL, LOCAL, LOCAL, NONLOCAL, NO_CODE]
    assert locality(codes, "4407").tolist() == [LOCAL, LOCAL, NONLOCAL, NONLOCAL, NO_CODE]
    assert locality(codes, "440704").tolist() == [LOCAL, NONLOCAL, NONLOCAL, NONLOCAL, NO_CODE]


def test_rejection_groups_follow_the_prefix(engine: MetricsEngine) -> None:
    def rejection(prefix: str, min_group: int) -> Signal:
        s = Screener(engine, rules(local_prefix=prefix, min_group=min_group))
        return by_item(s.comparisons(MARCH, "nonlocal_rejection"))["I1"]

    # 4407: 外地 n1 n2 n3 n4 (3 rejected), 本地 l1..l5 (none); w1 撤回 and x1 without code left out
    city = rejection("4407", 3)
    assert (city.nonlocal_.n, city.nonlocal_.value) == (4, approx(3 / 4))  # type: ignore[union-attr]
    assert (city.local.n, city.local.value) == (5, approx(0.0))  # type: ignore[union-attr]
    # 440704: P1 (蓬江) becomes 外地
    district = rejection("440704", 3)
    assert (district.nonlocal_.n, district.nonlocal_.value) == (5, approx(3 / 5))  # type: ignore[union-attr]
    assert (district.local.n, district.local.value) == (4, approx(0.0))  # type: ignore[union-attr]
    # 44: only G2 (广西) is 外地: n3 rejected, n4 not; 本地 n1, n2 rejected of seven
    province = rejection("44", 2)
    assert (province.nonlocal_.n, province.nonlocal_.value) == (2, approx(1 / 2))  # type: ignore[union-attr]
    assert (province.local.n, province.local.value) == (7, approx(2 / 7))  # type: ignore[union-attr]
    # [[1, 1], [2, 5]]: N = 9, 3 rejected, 2 外地: P(X ≥ 1) = P(X = 1) + P(X = 2)
    two_terms = (math.comb(3, 1) * math.comb(6, 1) + math.comb(3, 2) * math.comb(6, 0)) / math.comb(9, 2)
    assert two_terms == approx(21 / 36)
    assert province.p_value == approx(two_terms)


def test_fisher_wrapper_orders_the_table_as_the_spec() -> None:
    """[[外地 rejected, 外地 not], [本地 rejected, 本地 not]] = [[3, 1], [1, 3]]: N = 8, K = 4, n = 4:
    P(X ≥ 3) = (C(4,3)·C(4,1) + C(4,4)·C(4,0)) / C(8,4) = 17/70."""
    from metrics.screening.screener import _fisher_greater

    assert _fisher_greater(3, 4, 1, 4) == approx((4 * 4 + 1 * 1) / 70)
    # the mirror table (本地 worse) is not evidence against 外地: P(X ≥ 1) = 1 − C(4,4)/C(8,4)
    assert _fisher_greater(1, 4, 3, 4) == approx(1 - 1 / 70)


# ---------------------------------------------------------------------- groups, tests and BH


def test_rejection_fisher_p_and_bh_over_the_request(screener: Screener) -> None:
    tested = by_item(screener.comparisons(MARCH, "nonlocal_rejection"))
    assert set(tested) == {"I1", "I5"}  # I2: two 外地 < min_group 3; I3 I4 I6: nothing in March
    # I1: [[3, 1], [0, 5]], N = 9, 3 rejected, 4 外地: P(X ≥ 3) = C(3,3)·C(6,1) / C(9,4) = 6/126
    p1 = math.comb(3, 3) * math.comb(6, 1) / math.comb(9, 4)
    assert p1 == approx(1 / 21)
    assert tested["I1"].p_value == approx(p1)
    assert tested["I1"].effect == approx(3 / 4)
    assert tested["I1"].records == 9
    # I5: 外地 m1 m2 m3 (m1 不予受理), 本地 m4 m5 m6: [[1, 2], [0, 3]]: C(1,1)·C(5,2) / C(6,3) = 10/20
    p5 = math.comb(1, 1) * math.comb(5, 2) / math.comb(6, 3)
    assert tested["I5"].p_value == approx(0.5) == approx(p5)
    # Benjamini–Hochberg over m = 2: sorted 1/21, 1/2 → q(2) = 1/2 · 2/2, q(1) = min(1/21 · 2/1, q(2))
    assert tested["I5"].q_value == approx(0.5)
    assert tested["I1"].q_value == approx(2 / 21)
    # 2/21 ≈ 0.095 > fdr 0.05: not flagged for the district although the gap is reached
    assert not tested["I1"].flagged


def test_bh_runs_within_one_request(screener: Screener) -> None:
    """D01 alone tests I1 only (m = 1): q = p = 1/21 ≤ 0.05, so the department's request flags
    what the district's request (m = 2, q = 2/21) does not."""
    district = screener.screen(MARCH)
    assert ("nonlocal_rejection", "I1") not in {(s.kind, s.item_code) for s in district.signals}
    assert district.tested["nonlocal_rejection"] == 2
    dept = screener.screen(dataclasses.replace(MARCH, dept="D01"))
    assert dept.tested["nonlocal_rejection"] == 1
    rejection = [s for s in dept.signals if s.kind == "nonlocal_rejection"]
    assert [(s.item_code, s.dept_code) for s in rejection] == [("I1", "D01")]
    assert rejection[0].q_value == approx(1 / 21) and rejection[0].p_value == approx(1 / 21)
    d02 = screener.screen(dataclasses.replace(MARCH, dept="D02"))
    assert all(s.dept_code == "D02" for s in d02.signals)
    assert d02.tested["nonlocal_rejection"] == 1  # I5 only


def test_time_medians_and_mann_whitney_by_hand(screener: Screener) -> None:
    (i1,) = screener.comparisons(MARCH, "nonlocal_time")  # I2 has two 外地 only; I5 has no C
    # 外地 C: n2 5, n3 7 − 2 = 5, n4 4 → median 5; 本地: 1, 2, 2, 3, 3 → median 2
    assert (i1.nonlocal_.n, i1.nonlocal_.value) == (3, approx(5.0))  # type: ignore[union-attr]
    assert (i1.local.n, i1.local.value) == (5, approx(2.0))  # type: ignore[union-attr]
    assert i1.effect == approx(3.0)
    # pooled 1 2 2 3 3 4 5 5 → ranks 1 2.5 2.5 4.5 4.5 6 7.5 7.5; R(外地) = 6 + 7.5 + 7.5 = 21
    u = 21 - 3 * 4 / 2
    assert u == 15
    n1, n2, n = 3, 5, 8
    ties = 3 * (2**3 - 2)  # three pairs of ties
    var = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))
    z = (u - n1 * n2 / 2 - 0.5) / math.sqrt(var)  # continuity correction
    assert i1.p_value == approx(normal_tail(z))
    assert i1.p_value == pytest.approx(0.01678, abs=5e-5)
    assert i1.q_value == approx(i1.p_value)  # m = 1
    assert i1.flagged  # effect 3 ≥ 2 days and q ≈ 0.017 ≤ 0.05


def test_visits_means(screener: Screener) -> None:
    tested = by_item(screener.comparisons(MARCH, "nonlocal_visits"))
    assert set(tested) == {"I1"}  # I2: two 外地 only; I5: no visits
    i1 = tested["I1"]
    # 外地 with visits: n1 1, n2 2, n3 2, n4 1 (w1 missing) → 1.5; 本地 0 0 1 0 0 → 0.2
    assert (i1.nonlocal_.n, i1.nonlocal_.value) == (4, approx(1.5))  # type: ignore[union-attr]
    assert (i1.local.n, i1.local.value) == (5, approx(0.2))  # type: ignore[union-attr]
    assert i1.effect == approx(1.3)


def test_suspension_share_and_fisher(screener: Screener) -> None:
    (i1,) = screener.comparisons(MARCH, "nonlocal_suspension")
    # 外地 C: n2, n3 (2 days), n4 → 1/3; 本地 none of five
    assert (i1.nonlocal_.n, i1.nonlocal_.value) == (3, approx(1 / 3))  # type: ignore[union-attr]
    assert (i1.local.n, i1.local.value) == (5, approx(0.0))  # type: ignore[union-attr]
    # [[1, 2], [0, 5]]: P(X ≥ 1) = C(1,1)·C(7,2) / C(8,3) = 21/56
    assert i1.p_value == approx(math.comb(7, 2) / math.comb(8, 3)) == approx(3 / 8)
    assert not i1.flagged  # q = 3/8 > 0.05


def test_min_group_rule(engine: MetricsEngine) -> None:
    """min_group 4: I1 keeps rejection (4 外地 / 5 本地) and visits (4 / 5) but loses time and
    suspension (3 外地 in C); I5 (3 / 3) drops out; min_group 6: nothing is tested."""
    four = Screener(engine, rules(min_group=4)).screen(MARCH)
    assert four.tested == {"nonlocal_rejection": 1, "nonlocal_time": 0, "nonlocal_visits": 1,
                           "nonlocal_suspension": 0}
    six = Screener(engine, rules(min_group=6)).screen(MARCH)
    assert six.tested == dict.fromkeys(four.tested, 0)
    assert six.signals == ()


def test_gap_rule(engine: MetricsEngine) -> None:
    """With fdr 1 only the gap decides; an effect equal to the gap reaches it."""
    def flagged(**changes: object) -> set[tuple[str, str]]:
        s = Screener(engine, rules(fdr=1.0, **changes)).screen(MARCH)
        return {(x.kind, x.item_code) for x in s.signals if x.kind != "lifted_still_approved"}

    everything = flagged(min_rate_gap=0.0, min_days_gap=0.0, min_visits_gap=0.0)
    assert everything == {("nonlocal_rejection", "I1"), ("nonlocal_rejection", "I5"), ("nonlocal_time", "I1"),
                          ("nonlocal_visits", "I1"), ("nonlocal_suspension", "I1")}
    # effects: rejection I1 0.75, I5 1/3; time 3 days; visits 1.3; suspension 1/3
    assert flagged(min_rate_gap=1 / 3, min_days_gap=3.0, min_visits_gap=1.3) == everything
    assert flagged(min_rate_gap=0.34, min_days_gap=3.01, min_visits_gap=1.31) == {("nonlocal_rejection", "I1")}
    assert flagged(min_rate_gap=0.76, min_days_gap=3.01, min_visits_gap=1.31) == set()


def test_fdr_rule(engine: MetricsEngine) -> None:
    """fdr 0.10: I1's rejection (q = 2/21 ≈ 0.095) is flagged; fdr 0.09 it is not."""
    ten = Screener(engine, rules(fdr=0.10)).screen(MARCH)
    assert ("nonlocal_rejection", "I1") in {(s.kind, s.item_code) for s in ten.signals}
    nine = Screener(engine, rules(fdr=0.09)).screen(MARCH)
    assert ("nonlocal_rejection", "I1") not in {(s.kind, s.item_code) for s in nine.signals}


def test_order_and_json_shape(engine: MetricsEngine) -> None:
    result = Screener(engine, rules(fdr=1.0, min_rate_gap=0.0)).screen(MARCH)
    kinds = [s.kind for s in result.signals]
    assert kinds == ["nonlocal_rejection", "nonlocal_rejection", "nonlocal_time", "nonlocal_visits",
                     "nonlocal_suspension"]
    assert [s.item_code for s in result.signals[:2]] == ["I1", "I5"]  # by q: 2/21 before 1/2
    data = result.to_json()
    assert data["period"] == {"from": "2025-03-01", "to": "2025-03-31", "as_of": "2025-03-31"}
    assert data["locality"] == {"local_prefix": "4407"}
    assert list(data["tested"]) == ["nonlocal_rejection", "nonlocal_time", "nonlocal_visits",  # type: ignore[call-overload]
                                    "nonlocal_suspension"]
    first = data["signals"][0]  # type: ignore[index]
    assert list(first) == ["kind", "dept_code", "item_code", "local", "nonlocal", "effect", "p_value",
                           "q_value", "records"]
    assert first["local"] == {"n": 5, "value": 0.0} and first["nonlocal"] == {"n": 4, "value": 0.75}


# ---------------------------------------------------------------------- records


def test_records_behind_a_signal(screener: Screener) -> None:
    i1 = by_item(screener.comparisons(MARCH, "nonlocal_rejection"))["I1"]
    rows = screener.records(MARCH, i1)
    assert rows["group"].tolist() == ["外地"] * 4 + ["本地"] * 5
    assert set(rows["app_id"]) == {"n1", "n2", "n3", "n4", "l1", "l2", "l3", "l4", "l5"}  # no w1, x1, f1
    time = by_item(screener.comparisons(MARCH, "nonlocal_time"))["I1"]
    rows = screener.records(MARCH, time)
    assert dict(zip(rows["app_id"], rows["processing_wd"], strict=True)) == {
        "n2": 5, "n3": 5, "n4": 4, "l1": 1, "l2": 2, "l3": 2, "l4": 3, "l5": 3}


def test_records_refuse_another_departments_signal(screener: Screener) -> None:
    from metrics.results import MetricsRequestError

    i1 = by_item(screener.comparisons(MARCH, "nonlocal_rejection"))["I1"]
    with pytest.raises(MetricsRequestError, match="本部门"):
        screener.records(dataclasses.replace(MARCH, dept="D02"), i1)


# ---------------------------------------------------------------------- lifted_still_approved


def test_lifted_basis_counts_from_the_effective_date(screener: Screener) -> None:
    """April: the 2025 list (effective 04-24) dropped N9. I3 (行政许可) counts a2 (04-24, no code:
    still counted) and a3 (04-28), not a1 (04-23, the day before); I4 is 行政备案, I6's N1 stays."""
    lifted = [s for s in screener.screen(APRIL).signals if s.kind == "lifted_still_approved"]
    assert [(s.item_code, s.dept_code, s.effect, s.records) for s in lifted] == [("I3", "D01", 2, 2)]
    assert (lifted[0].local, lifted[0].nonlocal_, lifted[0].p_value, lifted[0].q_value) == (None, None, None, None)
    assert lifted[0].to_json()["local"] is None
    rows = screener.records(APRIL, lifted[0])
    assert rows["app_id"].tolist() == ["a3", "a2"]  # 外地 first, then the application without a code
    # the period ending the day before the effective date: the 2022 list is current, N9 in it
    before = ScreeningRequest(D(2025, 4, 1), D(2025, 4, 23))
    assert [s for s in screener.screen(before).signals if s.kind == "lifted_still_approved"] == []
    # from the effective date on, one day is enough
    on = ScreeningRequest(D(2025, 4, 24), D(2025, 4, 24))
    assert [(s.item_code, s.effect) for s in screener.screen(on).signals] == [("I3", 1)]
    # a department sees only its own items' signals
    assert [s for s in screener.screen(dataclasses.replace(APRIL, dept="D02")).signals] == []


def test_unknown_department_is_refused(screener: Screener) -> None:
    from metrics.results import MetricsRequestError

    with pytest.raises(MetricsRequestError, match="D09"):
        screener.screen(dataclasses.replace(MARCH, dept="D09"))
