"""Oracle tests of the process, channel, route, supervision and publicity indicators on the
hand-built data set described in tests/fixtures/oracle.py (every expected value worked out
by hand, none computed by the code under test)."""


from __future__ import annotations

from metrics.engine import MetricsEngine
from metrics.records import application_frame
from metrics.results import MetricsRequest
from tests.fixtures.oracle import D, approx


def test_process_d01_q1(q1) -> None:  # type: ignore[no-untyped-def]
    d = q1.departments["D01"]
    # C = A01 (4, limit 5), A02 (10, 5), A03 (0, 0), A04 (11, 3), A10 (3, 10)
    assert d["on_time_rate"] == approx(3 / 5)
    assert d["overdue_count"] == 2
    assert d["legal_overdue_count"] == 1  # A04: 11 > legal 10
    assert d["avg_processing_wd"] == approx(28 / 5)
    assert d["median_processing_wd"] == approx(4.0)  # 0 3 [4] 10 11
    assert d["p90_processing_wd"] == approx(10.6)  # pos 3.6: 10 + 0.6 × (11 − 10)
    assert d["speedup_rate"] == approx(1 - 28 / 65)  # A03 has legal 0: out
    # O at 03-31 = A05 (18 wd > 5), A06 (completed after as_of; 25 wd > 5)
    assert d["open_overdue_count"] == 2
    assert d["open_overdue_rate"] == approx(1.0)
    # 受理 {1, .5, 1/6, 1, 0}; 审查 {72, 432, 1/6, 24}; 决定 {216, 72, 1/3, 36}; 送达 {30, 24, 1/3, 12}
    assert d["stage_hours"] == {"受理": approx(0.5), "审查": approx(48.0), "决定": approx(54.0), "送达": approx(18.0)}
    assert d["bottleneck_stage"] == "决定"
    for key in ("overdue_count", "legal_overdue_count", "open_overdue_count"):
        assert isinstance(d[key], int)


def test_process_district_q1(q1) -> None:  # type: ignore[no-untyped-def]
    d = q1.district
    # C = D01's five + B01 (8 ≤ 10): on time A01 A03 A10 B01
    assert d["on_time_rate"] == approx(4 / 6)
    assert d["avg_processing_wd"] == approx(36 / 6)
    assert d["median_processing_wd"] == approx(6.0)  # 0 3 4 8 10 11 → (4 + 8) / 2
    assert d["p90_processing_wd"] == approx(10.5)  # pos 4.5
    assert d["speedup_rate"] == approx(1 - 36 / 80)
    assert d["open_overdue_count"] == 3  # A05 A06 B04; B05 is 1 wd ≤ 5
    assert d["open_overdue_rate"] == approx(3 / 4)
    assert d["stage_hours"] == {"受理": approx(0.75), "审查": approx(72.0), "决定": approx(48.0), "送达": approx(24.0)}
    assert d["bottleneck_stage"] == "审查"


def test_process_d02_q1_and_national_day(engine: MetricsEngine, q1) -> None:  # type: ignore[no-untyped-def]
    d = q1.departments["D02"]
    assert d["on_time_rate"] == approx(1.0)  # B01 only (submitted 2024, completed 2025)
    assert d["speedup_rate"] == approx(1 - 8 / 15)
    assert d["open_overdue_count"] == 1  # B04 30 wd > 10; B05 1 wd ≤ 5
    assert d["open_overdue_rate"] == approx(0.5)
    assert d["bottleneck_stage"] == "审查"  # B01: 1, 168, 48, 48 hours

    autumn = engine.compute(MetricsRequest(D(2025, 9, 1), D(2025, 10, 31))).departments["D02"]
    # B02: 7 wd > 5 (and > legal 5); B03: 4 wd ≤ 10, thanks to make-up Saturday 10-11
    assert autumn["on_time_rate"] == approx(0.5)
    assert autumn["overdue_count"] == 1
    assert autumn["legal_overdue_count"] == 1
    assert autumn["avg_processing_wd"] == approx(5.5)
    assert autumn["median_processing_wd"] == approx(5.5)
    assert autumn["p90_processing_wd"] == approx(6.7)  # 4 + 0.9 × 3
    rows = application_frame(engine, MetricsRequest(D(2025, 9, 1), D(2025, 10, 31)), "D02", "C")
    assert dict(zip(rows["app_id"], rows["processing_wd"], strict=True)) == {"B02": 7, "B03": 4}


def test_past_as_of_sees_backlog_as_it_stood(engine: MetricsEngine) -> None:
    # as_of 02-28: A06 (accepted 02-24, completed 04-02) is open with 4 wd ≤ 5; A05 not yet accepted
    feb = engine.compute(MetricsRequest(D(2025, 1, 1), D(2025, 3, 31), as_of=D(2025, 2, 28)))
    assert feb.period.as_of == D(2025, 2, 28)
    assert feb.departments["D01"]["open_overdue_count"] == 0
    assert feb.departments["D01"]["open_overdue_rate"] == approx(0.0)
    assert feb.departments["D02"]["open_overdue_rate"] == approx(0.0)  # B04: 9 wd ≤ 10
    # as_of 03-15: A04 (completed 03-25) counts as open, 4 wd > 3; A05 7 wd > 5; A06 14 wd > 5
    mid = engine.compute(MetricsRequest(D(2025, 1, 1), D(2025, 3, 31), as_of=D(2025, 3, 15)))
    assert mid.departments["D01"]["open_overdue_count"] == 3
    assert mid.departments["D01"]["open_overdue_rate"] == approx(1.0)
    # C does not depend on as_of
    assert mid.departments["D01"]["on_time_rate"] == approx(3 / 5)


# ---------------------------------------------------------------------- 服务渠道 / 审批途径


def test_channels_and_routes_d01(q1) -> None:  # type: ignore[no-untyped-def]
    d = q1.departments["D01"]
    # S = A01 A02 A03 A04 A05 A06 A07 A08 A10 (9)
    assert d["online_rate"] == approx(6 / 9)
    assert d["mobile_rate"] == approx(1 / 9)
    # visits present: A01 0, A02 2, A03 0, A05 1, A06 0, A08 1, A10 0
    assert d["zero_visit_rate"] == approx(4 / 7)
    assert d["one_visit_rate"] == approx(6 / 7)
    assert d["avg_visits"] == approx(4 / 7)
    # rated C: A01 5, A02 4, A03 5 (非常满意), A04 2
    assert d["good_rating_rate"] == approx(3 / 4)
    assert d["bad_rating_count"] == 1
    assert d["online_item_rate"] == approx(2 / 3)
    assert d["full_online_item_rate"] == approx(1 / 3)
    assert d["instant_rate"] == approx(3 / 9)
    assert d["commitment_rate"] == approx(1 / 9)
    assert d["tolerance_rate"] == approx(1 / 9)
    assert d["parallel_rate"] == approx(1 / 9)
    assert d["streamlined_rate"] == approx(6 / 9)
    assert d["rejection_rate"] == approx(2 / 8)  # A08 不予受理, A04 不予; A07 撤回 out
    assert d["compression_rate"] == approx((0.75 + 0.7) / 2)
    assert d["avg_materials"] == approx(5.0)


def test_channels_and_routes_d02_and_district(q1) -> None:  # type: ignore[no-untyped-def]
    d = q1.departments["D02"]
    assert d["online_rate"] == approx(0.5)
    assert d["zero_visit_rate"] == approx(0.0)
    assert d["one_visit_rate"] == approx(0.0)
    assert d["avg_visits"] == approx(2.0)
    assert d["good_rating_rate"] == approx(0.0)  # B01 rated 3
    assert d["tolerance_rate"] == approx(0.5)
    assert d["rejection_rate"] == approx(0.0)
    assert d["compression_rate"] == approx((1 / 3 + 0) / 2)
    assert d["avg_materials"] == approx(2.5)
    assert q1.district["online_rate"] == approx(7 / 11)
    assert q1.district["compression_rate"] == approx((0.75 + 0.7 + 1 / 3 + 0 + 0.5) / 5)


def test_empty_denominators_are_null_and_department_without_applications(q1) -> None:  # type: ignore[no-untyped-def]
    d = q1.departments["D03"]
    for key in ("on_time_rate", "avg_processing_wd", "median_processing_wd", "p90_processing_wd", "speedup_rate",
                "open_overdue_rate", "bottleneck_stage", "online_rate", "zero_visit_rate", "avg_visits",
                "good_rating_rate", "instant_rate", "rejection_rate", "data_completeness", "avg_materials",
                "transfer_on_time_rate", "rectify_on_time_rate", "self_found_rate", "high_risk_share"):
        assert d[key] is None, key
    assert d["stage_hours"] == {"受理": None, "审查": None, "决定": None, "送达": None}
    for key in ("overdue_count", "open_overdue_count", "bad_rating_count", "case_count", "unreported_count",
                "credit_entities"):
        assert d[key] == 0, key
    # item-based indicators still have values
    assert d["online_item_rate"] == approx(1.0)
    assert d["full_online_item_rate"] == approx(0.0)
    assert d["compression_rate"] == approx(0.5)
    assert d["disclosure_rate"] == approx(1.0)
    assert "nl_coverage" not in d  # district only
    assert set(q1.departments) == {"D01", "D02", "D03", "S01"}


# ---------------------------------------------------------------------- 监管手段


def test_supervision_q1(q1) -> None:  # type: ignore[no-untyped-def]
    d1 = q1.departments["D01"]
    assert d1["case_count"] == 4
    assert d1["verified_count"] == 2
    # due: K01 (2 wd, on time), K02 (9 wd incl. make-up 01-26), K04 (20 wd, untransferred); K03 4 wd: not yet
    assert d1["transfer_on_time_rate"] == approx(1 / 3)
    # deadlines in Q1: K01 (not rectified), K02 (03-08 ≤ 03-10), K05 (02-05 > 01-31; received 2024)
    assert d1["rectify_on_time_rate"] == approx(1 / 3)
    assert d1["overdue_rectification_count"] == 1
    assert d1["key_overdue_count"] == 1
    assert d1["unreported_count"] == 1
    assert d1["self_found_rate"] == approx(1 / 2)
    assert d1["credit_entities"] == 3
    assert d1["high_risk_share"] == approx(2 / 3)  # E1 C (02-01; B of 04-10 is later), E2 D, E3 B

    d2 = q1.departments["D02"]
    assert d2["case_count"] == 4
    assert d2["transfer_on_time_rate"] == approx(1.0)
    assert d2["rectify_on_time_rate"] == approx(0.0)  # K15 (deadline 03-31), K16 (03-14)
    assert d2["overdue_rectification_count"] == 2  # K14 (2024-12-31), K16; K15's deadline is not < as_of
    assert d2["key_overdue_count"] == 2
    assert d2["unreported_count"] == 4
    assert d2["self_found_rate"] == approx(0.0)
    assert d2["credit_entities"] == 1
    assert d2["high_risk_share"] == approx(1.0)

    d = q1.district
    assert d["case_count"] == 8
    assert d["transfer_on_time_rate"] == approx(5 / 7)
    assert d["rectify_on_time_rate"] == approx(1 / 5)
    assert d["key_overdue_count"] == 3
    assert d["unreported_count"] == 5
    assert d["self_found_rate"] == approx(1 / 6)
    assert d["credit_entities"] == 3
    assert d["high_risk_share"] == approx(2 / 3)  # each entity's latest: E1 D (D02, 03-15), E2 D, E3 B


def test_supervision_at_past_as_of(engine: MetricsEngine) -> None:
    r = engine.compute(MetricsRequest(D(2025, 1, 1), D(2025, 3, 31), as_of=D(2025, 2, 3)))
    d1 = r.departments["D01"]
    assert d1["overdue_rectification_count"] == 1  # K05: deadline 01-31, rectified only 02-05
    assert d1["key_overdue_count"] == 1
    assert d1["rectify_on_time_rate"] == approx(0.0)  # window 01-01..02-03: K05 only
    assert d1["credit_entities"] == 2  # E3 rated 03-01
    assert d1["high_risk_share"] == approx(1.0)


# ---------------------------------------------------------------------- 制度宣传保障


def test_publicity_q1(q1) -> None:  # type: ignore[no-untyped-def]
    d1 = q1.departments["D01"]
    assert d1["disclosure_rate"] == approx((5 / 5 + 3 / 5) / 2)
    assert d1["mapping_rate"] == approx(0.5)  # I2 lacks license_code
    assert d1["guide_update_rate"] == approx(1.0)  # version 2025: I1 only (02-20 ≥ 02-15)
    assert d1["channel_coverage"] == approx(2 / 3)  # 门户网站, 微信公众号
    assert d1["data_completeness"] == approx(4 / 5)  # A04 lacks reviewed_at
    d2 = q1.departments["D02"]
    assert d2["guide_update_rate"] == approx(0.0)  # I4 guide 02-10 < 02-15
    assert d2["channel_coverage"] == approx(0.0)  # published 04-05, after as_of
    assert d2["data_completeness"] == approx(1.0)
    d = q1.district
    assert d["nl_coverage"] == approx(2 / 3)  # N1 N4 mapped, N5 not
    assert d["guide_update_rate"] == approx(2 / 3)  # I1 yes, I4 no, I6 yes
    assert d["channel_coverage"] == approx(2 / 3)


def test_current_list_version_changes_at_effective_date(engine: MetricsEngine) -> None:
    before = engine.compute(MetricsRequest(D(2025, 1, 1), D(2025, 3, 31), as_of=D(2025, 2, 14)))
    # version 2024: D01 items N1 (guide 2025-02-20 ✓), N2 (guide 2024-02-01 < 2024-03-01 ✗)
    assert before.departments["D01"]["guide_update_rate"] == approx(0.5)
    assert before.departments["D01"]["channel_coverage"] == approx(1 / 3)  # 信用中国 for 2024
    assert before.departments["D02"]["guide_update_rate"] is None  # N4 not in version 2024
    assert before.district["nl_coverage"] == approx(1.0)  # N1, N2
    on = engine.compute(MetricsRequest(D(2025, 1, 1), D(2025, 3, 31), as_of=D(2025, 2, 15)))
    assert on.departments["D01"]["guide_update_rate"] == approx(1.0)
    assert on.departments["D01"]["channel_coverage"] == approx(0.0)  # first published 02-16
    assert on.departments["D02"]["guide_update_rate"] == approx(0.0)
    assert on.district["nl_coverage"] == approx(2 / 3)


# ---------------------------------------------------------------------- scores


# Indicator scores of D01 in Q1, by hand: 100 × clip((v − floor) / (target − floor), 0, 1)
