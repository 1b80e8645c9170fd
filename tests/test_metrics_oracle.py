"""Oracle tests of the indicator engine on a small hand-built data set.

Every expected value below was worked out by hand from indicators.md and the official
2024/2025 holiday calendar, and is written as a literal (or as the hand arithmetic that
produced it); none is computed by the code under test.

Calendar facts used (State Council notices):
- 2025-01-01 New Year holiday.
- Spring Festival 2025: 01-28 .. 02-04 off; Sun 01-26 and Sat 02-08 are make-up working days.
- National Day 2025: 10-01 .. 10-08 off; Sun 09-28 and Sat 10-11 are make-up working days.

The data set (periods: Q1 2025 = 2025-01-01..03-31, its previous period 2024Q4 = 2024-10-01..12-31):

Departments D01, D02 (区直部门), D03 (区直部门, items but no applications), S01 (街道).

Items (dept, type, legal/promised limit):
  I1 D01 行政许可 20/5, N1 P1 L1, online+full, materials 4, 5/5 pub flags, guide 2025-02-20
  I2 D01 行政许可 10/3, N2 P2 (no license code), online, materials 6, 3/5 pub, guide 2024-02-01
  I3 D01 公共服务 0/0
  I4 D02 行政许可 15/10, N4 P4 L4, online+full, materials 2, 4/5 pub, guide 2025-02-10
  I5 D02 行政备案 5/5, materials 3
  I6 D03 行政许可 20/10, N1 P6 L6, online, 5/5 pub, guide 2025-03-01

Negative list: version 2024 (effective 2024-03-01) N1 N2 许可准入类, N3 禁止准入类;
version 2025 (effective 2025-02-15) N1 N4 N5 许可准入类, N3 禁止准入类.

Applications, with processing_wd = wd(accepted, completed) − suspended counted by hand:
  A01 D01(I1) 01-24→02-06 across Spring Festival: 01-26, 01-27, 02-05, 02-06 = 4 ≤ 5
  A02 D01(I1) 01-20→02-11: 21..24, 26, 27, 02-05..08, 10, 11 = 12 − 2 suspended = 10 > 5
  A03 D01(I3) same day 03-03: 0 ≤ 0
  A04 D01(I2) 03-10→03-25: 11 > 3 and > legal 10; result 不予; no reviewed_at, no visits
  A05 D01(I1) 在办, accepted 03-04, suspended 1: at 03-31 wd = 19 − 1 = 18 > 5
  A06 D01(I1) accepted 02-24, 已办结 04-02 (after as_of): open; at 03-31 wd = 25 > 5
  A07 D01(I2) 撤回; A08 D01(I2) 不予受理
  A10 dept_code D01 with D02's item I4 (10/15): 03-17→03-20 = 3
  B01 D02(I4) 2024-12-30→2025-01-10: 12-31, 01-02, 01-03, 01-06..10 = 8 ≤ 10
  B02 D02(I5) 2025-09-26→10-13 across National Day: 09-28, 29, 30, 10-09, 10, 11, 13 = 7 > 5
  B03 D02(I4) 2025-09-29→10-11: 09-30, 10-09, 10-10, 10-11 = 4 ≤ 10
  B04 D02(I4) 在办 accepted 02-17: at 03-31 wd = 30 > 10
  B05 D02(I5) 在办 accepted 03-28: at 03-31 wd = 1 ≤ 5
  P01 D01(I1) 2024-11-04→11-06 = 2 (previous period)
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from data.frames import Frames, frames_from
from metrics.engine import MetricsEngine
from metrics.records import application_frame, link_records, records_behind
from metrics.results import MetricsRequest
from metrics.series import item_breakdown, monthly_series

D = dt.date
Q1 = MetricsRequest(D(2025, 1, 1), D(2025, 3, 31))
APPROX = 1e-9

RATING_WORDS = {1: "非常不满意", 2: "不满意", 3: "基本满意", 4: "满意", 5: "非常满意"}


def _uscc(serial: int) -> str:
    from data.values import uscc_check_char

    first17 = f"91440704MA5{serial:06d}"
    return first17 + uscc_check_char(first17)


def fixture_tables() -> dict[str, pd.DataFrame]:
    """The hand-built data set as contract tables (ratings as integers 1..5)."""
    departments = pd.DataFrame([
        ("D01", "区市场监督管理局", "区直部门"),
        ("D02", "区住房和城乡建设局", "区直部门"),
        ("D03", "区文化广电旅游体育局", "区直部门"),
        ("S01", "外海街道", "街道"),
    ], columns=["dept_code", "dept_name", "dept_type"])
    negative_list = pd.DataFrame([
        ("2024", "N1", "许可准入类", "许可一", "2024-03-01"),
        ("2024", "N2", "许可准入类", "许可二", "2024-03-01"),
        ("2024", "N3", "禁止准入类", "禁止三", "2024-03-01"),
        ("2025", "N1", "许可准入类", "许可一", "2025-02-15"),
        ("2025", "N3", "禁止准入类", "禁止三", "2025-02-15"),
        ("2025", "N4", "许可准入类", "许可四", "2025-02-15"),
        ("2025", "N5", "许可准入类", "许可五", "2025-02-15"),
    ], columns=["version", "nl_code", "category", "name", "effective_date"])
    cols = ["item_code", "item_name", "dept_code", "item_type", "nl_code", "power_code", "license_code",
            "legal_limit_days", "promised_limit_days", "online_available", "full_online", "materials",
            "pub_legal_basis", "pub_standards", "pub_requirements", "pub_procedure", "pub_time_limit",
            "guide_updated"]
    T, F = True, False
    service_items = pd.DataFrame([
        ("I1", "食品经营许可", "D01", "行政许可", "N1", "P1", "L1", 20, 5, T, T, 4, T, T, T, T, T, "2025-02-20"),
        ("I2", "药品零售许可", "D01", "行政许可", "N2", "P2", None, 10, 3, T, F, 6, T, T, T, F, F, "2024-02-01"),
        ("I3", "咨询服务", "D01", "公共服务", None, None, None, 0, 0, F, F, None, F, F, F, F, F, None),
        ("I4", "施工许可", "D02", "行政许可", "N4", "P4", "L4", 15, 10, T, T, 2, T, T, T, T, F, "2025-02-10"),
        ("I5", "竣工备案", "D02", "行政备案", None, None, None, 5, 5, F, F, 3, F, F, F, F, F, None),
        ("I6", "演出许可", "D03", "行政许可", "N1", "P6", "L6", 20, 10, T, F, None, T, T, T, T, T, "2025-03-01"),
    ], columns=cols)
    acols = ["app_id", "item_code", "dept_code", "street_code", "channel", "route", "submitted_at",
             "accepted_at", "reviewed_at", "decided_at", "completed_at", "status", "result",
             "suspended_days", "visits", "rating"]
    applications = pd.DataFrame([
        ("A01", "I1", None, "S01", "网上办理", "即办件", "2025-01-24 09:00", "2025-01-24 10:00",
         "2025-01-27 10:00", "2025-02-05 10:00", "2025-02-06 16:00", "已办结", "准予", 0, 0, 5),
        ("A02", "I1", None, None, "窗口办理", "承诺件", "2025-01-20 09:00", "2025-01-20 09:30",
         "2025-02-07 09:30", "2025-02-10 09:30", "2025-02-11 09:30", "已办结", "准予", 2, 2, 4),
        ("A03", "I3", "D01", "S01", "掌上办理", "即办件", "2025-03-03 09:00", "2025-03-03 09:10",
         "2025-03-03 09:20", "2025-03-03 09:40", "2025-03-03 10:00", "已办结", "准予", 0, 0, 5),
        ("A04", "I2", "D01", None, "网上办理", "告知承诺", "2025-03-10 09:00", "2025-03-10 10:00",
         None, None, "2025-03-25 10:00", "已办结", "不予", 0, None, 2),
        ("A05", "I1", "D01", None, "窗口办理", "容缺受理", "2025-03-03 09:00", "2025-03-04 09:00",
         None, None, None, "在办", None, 1, 1, None),
        ("A06", "I1", "D01", None, "网上办理", "并联审批", "2025-02-24 09:00", "2025-02-24 10:00",
         "2025-03-20 10:00", "2025-04-01 10:00", "2025-04-02 10:00", "已办结", "准予", 0, 0, None),
        ("A07", "I2", "D01", None, "网上办理", "承诺件", "2025-02-12 09:00", None,
         None, None, None, "撤回", None, 0, None, None),
        ("A08", "I2", "D01", None, "自助终端", "承诺件", "2025-02-13 09:00", None,
         None, None, None, "不予受理", None, 0, 1, None),
        ("A10", "I4", "D01", "S01", "网上办理", "即办件", "2025-03-17 09:00", "2025-03-17 09:00",
         "2025-03-18 09:00", "2025-03-19 21:00", "2025-03-20 09:00", "已办结", "准予", 0, 0, None),
        ("B01", "I4", None, "S01", "网上办理", "即办件", "2024-12-30 09:00", "2024-12-30 10:00",
         "2025-01-06 10:00", "2025-01-08 10:00", "2025-01-10 10:00", "已办结", "准予", 0, 0, 3),
        ("B02", "I5", "D02", None, "窗口办理", "承诺件", "2025-09-26 09:00", "2025-09-26 10:00",
         "2025-10-09 10:00", "2025-10-10 10:00", "2025-10-13 10:00", "已办结", "准予", 0, 1, 4),
        ("B03", "I4", "D02", None, "掌上办理", "即办件", "2025-09-29 09:00", "2025-09-29 09:00",
         "2025-09-30 09:00", "2025-10-10 09:00", "2025-10-11 17:00", "已办结", "准予", 0, 0, 5),
        ("B04", "I4", "D02", None, "网上办理", "容缺受理", "2025-02-17 09:00", "2025-02-17 09:00",
         None, None, None, "在办", None, 0, None, None),
        ("B05", "I5", "D02", None, "窗口办理", "承诺件", "2025-03-28 09:00", "2025-03-28 10:00",
         None, None, None, "在办", None, 0, 2, None),
        ("P01", "I1", "D01", None, "网上办理", "即办件", "2024-11-04 09:00", "2024-11-04 10:00",
         "2024-11-05 10:00", "2024-11-05 12:00", "2024-11-06 10:00", "已办结", "准予", 0, 0, 5),
    ], columns=acols)
    ccols = ["case_id", "received_date", "source", "category", "dept_code", "status", "transferred_date",
             "verified_date", "verified", "dept_reported", "key_case", "rectify_deadline", "rectified_date",
             "responsible_person"]
    other = "其他"
    cases = pd.DataFrame([
        ("K01", "2025-01-06", "互联网+督查", other, "D01", "整改中", "2025-01-08", "2025-01-15", "属实", F, T,
         "2025-02-28", None, "张三"),
        ("K02", "2025-01-20", "部门自查", other, "D01", "已整改", "2025-02-07", "2025-02-10", "属实", T, F,
         "2025-03-10", "2025-03-08", None),
        ("K03", "2025-03-25", "经营主体反映", other, "D01", "待转办", None, None, None, F, F, None, None, None),
        ("K04", "2025-03-03", "行政执法", other, "D01", "待转办", None, None, None, F, F, None, None, None),
        ("K05", "2024-11-04", "省级转办", other, "D01", "已整改", "2024-11-05", "2024-11-20", "属实", F, T,
         "2025-01-31", "2025-02-05", "李四"),
        ("K10", "2025-02-10", "经营主体反映", other, "D02", "整改中", "2025-02-11", None, "属实", F, F, None, None, None),
        ("K11", "2025-02-11", "经营主体反映", other, "D02", "整改中", "2025-02-12", None, "属实", F, F, None, None, None),
        ("K12", "2025-02-12", "经营主体反映", other, "D02", "整改中", "2025-02-13", None, "属实", F, F, None, None, None),
        ("K13", "2025-02-13", "经营主体反映", other, "D02", "整改中", "2025-02-14", None, "属实", F, F, None, None, None),
        ("K14", "2024-10-08", "市级转办", other, "D02", "整改中", "2024-10-09", "2024-10-20", "属实", T, T,
         "2024-12-31", None, "王五"),
        ("K15", "2024-10-10", "部门自查", other, "D02", "整改中", "2024-10-11", "2024-10-25", "属实", F, T,
         "2025-03-31", None, "赵六"),
        ("K16", "2024-12-02", "国家部委转办", other, "D02", "整改中", "2024-12-03", "2024-12-10", "属实", F, T,
         "2025-03-14", None, "钱七"),
    ], columns=ccols)
    disclosures = pd.DataFrame([
        ("D01", "负面清单", "2025", "门户网站", "2025-02-16"),
        ("D01", "负面清单", "2025", "微信公众号", "2025-02-20"),
        ("D01", "负面清单", "2024", "信用中国", "2024-03-05"),
        ("D01", "许可事项办事指南", "2025", "信用中国", "2025-02-18"),
        ("D02", "负面清单", "2025", "门户网站", "2025-04-05"),
    ], columns=["dept_code", "content", "version", "channel", "published_date"])
    e1, e2, e3, e4 = (_uscc(i) for i in (1, 2, 3, 4))
    credit_ratings = pd.DataFrame([
        (e1, "D01", "A", "2024-06-01"),
        (e1, "D01", "C", "2025-02-01"),
        (e1, "D01", "B", "2025-04-10"),
        (e2, "D01", "D", "2025-01-15"),
        (e3, "D01", "B", "2025-03-01"),
        (e1, "D02", "D", "2025-03-15"),
        (e4, "D02", "A", "2025-05-01"),
    ], columns=["entity_id", "dept_code", "grade", "rated_date"])
    return {
        "departments": departments, "negative_list": negative_list, "service_items": service_items,
        "applications": applications, "cases": cases, "disclosures": disclosures,
        "credit_ratings": credit_ratings,
    }


@pytest.fixture(scope="module")
def frames() -> Frames:
    return frames_from(fixture_tables())


@pytest.fixture(scope="module")
def engine(frames: Frames) -> MetricsEngine:
    return MetricsEngine(frames)


@pytest.fixture(scope="module")
def q1(engine: MetricsEngine):  # type: ignore[no-untyped-def]
    return engine.compute(Q1)


def approx(x: float) -> object:
    return pytest.approx(x, rel=APPROX, abs=APPROX)


# ---------------------------------------------------------------------- 办事流程


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
D01_PROCESS = 0.4 * 0 + 0.3 * ((1 - 28 / 65) / 0.7 * 100) + 0.3 * 0
D01_CHANNELS = 0.3 * (11 / 18 * 100) + 0.2 * (33 / 49 * 100) + 0.2 * (9 / 14 * 100) + 0.2 * 0 + 0.1 * (1 / 18 * 100)
D01_ROUTES = 0.3 * 100 + 0.3 * 100 + 0.2 * 0 + 0.2 * (200 / 3)
D01_SUPERVISION = 0.3 * 0 + 0.4 * 0 + 0.3 * (0.5 / 0.6 * 100)
D01_PUBLICITY = 0.3 * 50 + 0.2 * 0 + 0.2 * 100 + 0.15 * (200 / 3) + 0.15 * 0


def test_scores_d01(q1) -> None:  # type: ignore[no-untyped-def]
    s = q1.scores["D01"]
    assert s.indicators["on_time_rate"] == approx(0.0)
    assert s.indicators["open_overdue_rate"] == approx(0.0)  # ↓: 1.0 is past the floor 0.2
    assert s.indicators["rejection_rate"] == approx(0.0)  # ↓: 0.25 > floor 0.2
    assert s.indicators["online_rate"] == approx(1100 / 18)
    assert s.dimensions == {
        "办事流程": approx(D01_PROCESS),
        "服务渠道": approx(D01_CHANNELS),
        "审批途径": approx(D01_ROUTES),
        "监管手段": approx(D01_SUPERVISION),
        "制度宣传保障": approx(D01_PUBLICITY),
    }
    assert s.deductions == 4.0  # 1 unreported + 1 key overdue
    expected = 0.2 * (D01_PROCESS + D01_CHANNELS + D01_ROUTES + D01_SUPERVISION + D01_PUBLICITY) - 4
    assert s.composite == approx(expected)
    assert round(s.composite, 1) == 38.6


def test_scores_deductions_capped_at_ten(q1) -> None:  # type: ignore[no-untyped-def]
    s = q1.scores["D02"]
    assert s.deductions == 10.0  # 2 × 4 + 2 × 2 = 12 → 10
    assert s.dimensions["办事流程"] == approx(60.0)
    assert s.dimensions["服务渠道"] == approx(0.3 * 100 / 3 + 0.1 * 100 / 3)
    assert s.dimensions["审批途径"] == approx(0.3 * 250 / 3 + 0.3 * 250 / 9 + 0.2 * 100)
    assert s.dimensions["监管手段"] == approx(30.0)
    assert s.dimensions["制度宣传保障"] == approx(50.0)
    assert s.composite == approx(0.2 * (60 + 40 / 3 + 160 / 3 + 30 + 50) - 10)


def test_scores_null_indicators_rescale_and_missing_dimensions(q1) -> None:  # type: ignore[no-untyped-def]
    s = q1.scores["D03"]
    assert s.dimensions["办事流程"] is None  # 数据不足
    assert s.dimensions["监管手段"] is None
    assert s.dimensions["服务渠道"] == approx(0.0)  # only full_online_item_rate 0.0
    assert s.dimensions["审批途径"] == approx(250 / 3)  # only compression_rate 0.5
    # data_completeness null: (0.3 × 100 + 0.2 × 100 + 0.2 × 100 + 0.15 × 0) / 0.85
    assert s.dimensions["制度宣传保障"] == approx(70 / 0.85)
    assert s.composite == approx((0 + 250 / 3 + 70 / 0.85) / 3)
    # A street office with no items, applications or cases: only channel_coverage has a value
    # (0 of 3 channels; its denominator is never empty), so only 制度宣传保障 is scored.
    street = q1.scores["S01"]
    assert street.dimensions == {"办事流程": None, "服务渠道": None, "审批途径": None, "监管手段": None,
                                 "制度宣传保障": 0.0}
    assert street.composite == 0.0


# ---------------------------------------------------------------------- weak links


def test_weak_links_q1(q1) -> None:  # type: ignore[no-untyped-def]
    got = [(w.dept_code, w.indicator, w.reason, w.severity) for w in q1.weak_links]
    low, drop_ = "严重", "一般"
    assert got == [
        ("D01", "on_time_rate", "低于60分", low),
        ("D01", "speedup_rate", "较上期下降19分", drop_),  # 100 → 81.3
        ("D01", "open_overdue_rate", "低于60分", low),
        ("D01", "online_rate", "较上期下降39分", drop_),  # 100 → 61.1
        ("D01", "zero_visit_rate", "较上期下降33分", drop_),  # 100 → 67.3
        ("D01", "one_visit_rate", "较上期下降36分", drop_),  # 100 → 64.3
        ("D01", "good_rating_rate", "低于60分", low),
        ("D01", "full_online_item_rate", "低于60分", low),
        ("D01", "instant_rate", "较上期下降33分", drop_),  # 100 → 66.7
        ("D01", "rejection_rate", "低于60分", low),
        ("D01", "transfer_on_time_rate", "低于60分", low),
        ("D01", "rectify_on_time_rate", "低于60分", low),
        ("D01", "disclosure_rate", "低于60分", "一般"),  # 50: not below 40
        ("D01", "mapping_rate", "低于60分", low),
        ("D01", "data_completeness", "低于60分", low),
        ("D01", "unreported_count", "应报未报", low),
        ("D01", "key_overdue_count", "重点督办逾期", low),
        ("D02", "open_overdue_rate", "低于60分", low),
        ("D02", "online_rate", "低于60分", low),
        ("D02", "zero_visit_rate", "低于60分", low),
        ("D02", "one_visit_rate", "低于60分", low),
        ("D02", "good_rating_rate", "低于60分", low),
        ("D02", "full_online_item_rate", "低于60分", low),
        ("D02", "instant_rate", "低于60分", low),
        ("D02", "streamlined_rate", "较上期下降17分", drop_),  # 100 → 83.3
        ("D02", "compression_rate", "低于60分", low),
        ("D02", "rectify_on_time_rate", "低于60分", low),
        ("D02", "self_found_rate", "低于60分", low),
        ("D02", "disclosure_rate", "低于60分", "一般"),
        ("D02", "guide_update_rate", "低于60分", low),
        ("D02", "channel_coverage", "低于60分", low),
        ("D02", "unreported_count", "应报未报", low),
        ("D02", "key_overdue_count", "重点督办逾期", low),
        ("D03", "full_online_item_rate", "低于60分", low),
        ("D03", "channel_coverage", "低于60分", low),
        ("S01", "channel_coverage", "低于60分", low),
    ]


def test_weak_link_fields(q1) -> None:  # type: ignore[no-untyped-def]
    links = {(w.dept_code, w.indicator): w for w in q1.weak_links}
    online = links[("D01", "online_rate")]
    assert online.dimension == "服务渠道"
    assert online.value == approx(6 / 9)
    assert online.score == approx(1100 / 18)
    assert online.district_value == approx(7 / 11)
    assert online.previous_value == approx(1.0)  # P01 online
    unrep = links[("D01", "unreported_count")]
    assert (unrep.dimension, unrep.value, unrep.score, unrep.district_value, unrep.previous_value) == (
        "监管手段", 1, None, 5, 1  # K05 was unreported in the previous period
    )
    assert links[("D02", "key_overdue_count")].value == 2
    assert q1.previous_period.date_from == D(2024, 10, 1)  # 2024Q4 (v1.1), not 2024-10-03
    assert q1.previous_period.date_to == D(2024, 12, 31)
    assert q1.previous_period.as_of == D(2024, 12, 31)


def test_records_behind_weak_links(engine: MetricsEngine, q1) -> None:  # type: ignore[no-untyped-def]
    links = {(w.dept_code, w.indicator): w for w in q1.weak_links}
    overdue = link_records(engine, links[("D01", "on_time_rate")])
    assert sorted(overdue["app_id"]) == ["A02", "A04"]
    assert dict(zip(overdue["app_id"], overdue["processing_wd"], strict=True)) == {"A02": 10, "A04": 11}
    assert dict(zip(overdue["app_id"], overdue["promised_limit_days"], strict=True)) == {"A02": 5, "A04": 3}
    assert list(link_records(engine, links[("D01", "mapping_rate")])["item_code"]) == ["I2"]
    assert list(link_records(engine, links[("D01", "unreported_count")])["case_id"]) == ["K01"]
    assert sorted(link_records(engine, links[("D02", "key_overdue_count")])["case_id"]) == ["K14", "K16"]
    transfer = link_records(engine, links[("D01", "transfer_on_time_rate")])
    assert sorted(transfer["case_id"]) == ["K02", "K04"]
    coverage = link_records(engine, links[("D02", "channel_coverage")])
    assert list(coverage["published"]) == [False, False, False]
    open_late = records_behind(engine, Q1, "D01", "open_overdue_count")
    assert dict(zip(open_late["app_id"], open_late["open_wd"], strict=True)) == {"A06": 25, "A05": 18}


def test_weak_links_restricted_to_one_department(engine: MetricsEngine) -> None:
    r = engine.compute(MetricsRequest(D(2025, 1, 1), D(2025, 3, 31), dept="D03"))
    assert list(r.departments) == ["D03"]
    assert list(r.scores) == ["D03"]
    assert {w.dept_code for w in r.weak_links} == {"D03"}
    assert r.district["case_count"] == 8  # the district stays whole


# ---------------------------------------------------------------------- streets, series


def test_street_values(engine: MetricsEngine) -> None:
    streets = engine.street_values(Q1)
    s = streets["S01"]  # A01 A03 A10 (D01) and B01 (D02)
    assert s["online_rate"] == approx(1.0)  # S: A01 网上, A03 掌上, A10 网上
    assert s["on_time_rate"] == approx(1.0)  # C: A01 4 ≤ 5, A03 0 ≤ 0, A10 3 ≤ 10, B01 8 ≤ 10
    assert s["avg_processing_wd"] == approx(15 / 4)
    assert "case_count" not in s


def test_monthly_series(engine: MetricsEngine) -> None:
    series = monthly_series(engine, "on_time_rate", D(2025, 1, 1), D(2025, 3, 31), dept="D01")
    assert list(series["month"]) == ["2025-01", "2025-02", "2025-03"]
    values = list(series["value"])
    assert pd.isna(values[0])  # nothing completed in January
    assert values[1] == approx(1 / 2)  # A01 on time, A02 not
    assert values[2] == approx(2 / 3)  # A03, A10 on time; A04 not


def test_item_breakdown(engine: MetricsEngine) -> None:
    items = item_breakdown(engine, Q1, "D01").set_index("item_code")
    assert list(items.index) == ["I1", "I2", "I3"]  # A10 (item I4) belongs to D01 but I4 is D02's item
    assert items.loc["I1", "completed_count"] == 2
    assert items.loc["I1", "on_time_rate"] == approx(0.5)
    assert items.loc["I2", "rejection_rate"] == approx(1.0)  # A04 不予, A08 不予受理; A07 撤回 out


# ---------------------------------------------------------------------- through the importer and CLI


def _write_csvs(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    paths = []
    for table_id, df in tables.items():
        out = df.copy()
        if table_id == "applications":
            out["rating"] = [RATING_WORDS[int(v)] if pd.notna(v) else None for v in out["rating"]]
        for col in out.columns:
            if out[col].dtype == bool:
                out[col] = out[col].map({True: "是", False: "否"})
        path = folder / f"{table_id}.csv"
        out.to_csv(path, index=False, encoding="utf-8")
        paths.append(path)
    return paths


def test_cli_json_through_importer_with_rating_words(db, db_url: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from cli.main import main
    from data.importer import import_files

    paths = _write_csvs(fixture_tables(), tmp_path)
    with db.session() as session:
        report = import_files(session, paths, now=dt.datetime(2026, 1, 1, 12, 0))
    assert not report.problems, report.problems

    code = main(["--db", db_url, "metrics", "--from", "2025-01-01", "--to", "2025-03-31", "--format", "json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"period", "district", "departments", "scores", "weak_links"}
    assert out["period"] == {"from": "2025-01-01", "to": "2025-03-31", "as_of": "2025-03-31"}
    assert set(out["departments"]) == {"D01", "D02", "D03", "S01"}
    assert set(out["scores"]) == {"D01", "D02", "D03", "S01"}
    d1 = out["departments"]["D01"]
    assert d1["good_rating_rate"] == approx(3 / 4)  # 非常满意, 满意, 非常满意, 不满意
    assert d1["bad_rating_count"] == 1
    assert d1["on_time_rate"] == approx(3 / 5)
    assert d1["stage_hours"]["决定"] == approx(54.0)
    assert out["departments"]["D03"]["on_time_rate"] is None
    assert out["district"]["nl_coverage"] == approx(2 / 3)
    assert out["scores"]["D01"]["composite"] == 38.6
    assert out["scores"]["D01"]["deductions"] == 2.0 * 2
    assert out["scores"]["D02"]["deductions"] == 10.0
    assert out["scores"]["D03"]["办事流程"] is None
    assert set(out["scores"]["D01"]) == {"办事流程", "服务渠道", "审批途径", "监管手段", "制度宣传保障", "deductions",
                                         "composite"}
    first = out["weak_links"][0]
    assert set(first) == {"dept_code", "dimension", "indicator", "value", "score", "district_value",
                          "previous_value", "reason", "severity"}
    assert len(out["weak_links"]) == 36

    code = main(["--db", db_url, "metrics", "--from", "2025-01-01", "--to", "2025-03-31", "--dept", "D02",
                 "--format", "json"])
    only = json.loads(capsys.readouterr().out)
    assert list(only["departments"]) == ["D02"]
    assert {w["dept_code"] for w in only["weak_links"]} == {"D02"}
    assert only["district"] == out["district"]


def test_cli_rejects_bad_dates(db_url: str, capsys) -> None:  # type: ignore[no-untyped-def]
    from cli.main import main

    assert main(["--db", db_url, "metrics", "--from", "2025-02-30", "--to", "2025-03-31"]) != 0
    assert "日期" in capsys.readouterr().err
    assert main(["--db", db_url, "metrics", "--from", "2025-04-01", "--to", "2025-03-31"]) != 0
    assert "晚于" in capsys.readouterr().err
    assert main(["--db", db_url, "metrics", "--from", "2025-01-01", "--to", "2025-03-31", "--dept", "NOPE"]) != 0
    assert "NOPE" in capsys.readouterr().err


def test_year_ago_values(engine: MetricsEngine) -> None:
    """同比 of 2025Q4 is 2024Q4, judged at 2024-12-31: only P01 (D01, 2 wd ≤ 5, online) was
    completed then; D02 completed nothing, so its on-time rate is null, not 0."""
    ya = engine.year_ago(MetricsRequest(D(2025, 10, 1), D(2025, 12, 31)))
    assert (ya.period.date_from, ya.period.date_to, ya.period.as_of) == (D(2024, 10, 1), D(2024, 12, 31),
                                                                         D(2024, 12, 31))
    assert ya.value("on_time_rate", "D01") == approx(1.0)
    assert ya.value("avg_processing_wd", "D01") == approx(2.0)
    assert ya.value("on_time_rate", "D02") is None
    assert ya.value("on_time_rate") == approx(1.0)
    one = engine.year_ago(MetricsRequest(D(2025, 10, 1), D(2025, 12, 31), dept="D02"))
    assert list(one.departments) == ["D02"]
