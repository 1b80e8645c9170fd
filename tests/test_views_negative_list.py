"""metrics.views.negative_list on a small hand-built data set; expected values worked out by hand.

Negative list: version 2024 effective 2024-03-01 (N1, N2 许可准入类, N3 禁止准入类); version 2025
effective Friday 2025-02-14 (N1, N4, N5 许可准入类, N3 禁止准入类).  as_of 2025-03-31, so 2025 is
current (licensing N1 N4 N5, prohibited N3).

Items (dept, type, nl/power/license code, five pub flags, guide_updated):
  I1 D01 行政许可 N1 P1 L1  TTTTT 2025-02-20
  I2 D01 行政许可 N2 P2 --  TTTFF 2024-02-01   (N2 not in 2025: a mismatch; no license code)
  I3 D01 公共服务 -- -- --
  I4 D02 行政许可 N4 P4 L4  TTTTF 2025-02-10   (guide older than 2025-02-14: stale)
  I5 D02 行政许可 N3 P5 L5  TTTTT (no guide)   (N3 is 禁止准入类; no guide: stale)
  I6 D03 行政许可 N1 P6 L6  TTTTT 2025-03-01

Disclosures of content 负面清单, version 2025 (working days from 2025-02-14):
  D01 门户网站 2025-02-14 → 0; 微信公众号 Tue 2025-02-18 → 2 (17, 18); 信用中国 Thu 2025-02-13 → −1
  D02 门户网站 Mon 2025-03-03 → 11 (Feb 17–21, 24–28, Mar 3); 微信公众号 2025-04-01 (after as_of: not counted)
  D03 only the 2024 list (2024-03-05).  D01 published the 2025 许可事项办事指南 on 门户网站.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data.frames import frames_from
from metrics.engine import MetricsEngine
from metrics.results import MetricsRequest
from metrics.views import negative_list as views

D = dt.date
AS_OF = D(2025, 3, 31)
T, F = True, False


@pytest.fixture(scope="module")
def engine() -> MetricsEngine:
    departments = pd.DataFrame([
        ("D01", "区市场监督管理局", "区直部门"), ("D02", "区交通运输局", "区直部门"),
        ("D03", "区卫生健康局", "区直部门"), ("S01", "外海街道", "街道"),
    ], columns=["dept_code", "dept_name", "dept_type"])
    negative_list = pd.DataFrame([
        ("2024", "N1", "许可准入类", 1, "许可一", "2024-03-01"),
        ("2024", "N2", "许可准入类", 2, "许可二", "2024-03-01"),
        ("2024", "N3", "禁止准入类", 3, "禁止三", "2024-03-01"),
        ("2025", "N1", "许可准入类", 1, "许可一", "2025-02-14"),
        ("2025", "N3", "禁止准入类", 3, "禁止三", "2025-02-14"),
        ("2025", "N4", "许可准入类", 4, "许可四", "2025-02-14"),
        ("2025", "N5", "许可准入类", 5, "许可五", "2025-02-14"),
    ], columns=["version", "nl_code", "category", "item_no", "name", "effective_date"])
    cols = ["item_code", "item_name", "dept_code", "item_type", "nl_code", "power_code", "license_code",
            "legal_limit_days", "promised_limit_days", "pub_legal_basis", "pub_standards", "pub_requirements",
            "pub_procedure", "pub_time_limit", "guide_updated"]
    service_items = pd.DataFrame([
        ("I1", "食品经营许可", "D01", "行政许可", "N1", "P1", "L1", 20, 5, T, T, T, T, T, "2025-02-20"),
        ("I2", "药品零售许可", "D01", "行政许可", "N2", "P2", None, 10, 3, T, T, T, F, F, "2024-02-01"),
        ("I3", "咨询服务", "D01", "公共服务", None, None, None, 0, 0, F, F, F, F, F, None),
        ("I4", "道路运输许可", "D02", "行政许可", "N4", "P4", "L4", 15, 10, T, T, T, T, F, "2025-02-10"),
        ("I5", "涉路施工许可", "D02", "行政许可", "N3", "P5", "L5", 15, 10, T, T, T, T, T, None),
        ("I6", "医疗机构执业许可", "D03", "行政许可", "N1", "P6", "L6", 20, 10, T, T, T, T, T, "2025-03-01"),
    ], columns=cols)
    disclosures = pd.DataFrame([
        ("D01", "负面清单", "2025", "门户网站", "2025-02-14", "http://a"),
        ("D01", "负面清单", "2025", "微信公众号", "2025-02-18", None),
        ("D01", "负面清单", "2025", "信用中国", "2025-02-13", None),
        ("D01", "许可事项办事指南", "2025", "门户网站", "2025-02-20", None),
        ("D02", "负面清单", "2025", "门户网站", "2025-03-03", None),
        ("D02", "负面清单", "2025", "微信公众号", "2025-04-01", None),
        ("D03", "负面清单", "2024", "门户网站", "2024-03-05", None),
    ], columns=["dept_code", "content", "version", "channel", "published_date", "url"])
    return MetricsEngine(frames_from({
        "departments": departments, "negative_list": negative_list, "service_items": service_items,
        "disclosures": disclosures,
    }))


def test_current_version_follows_as_of(engine: MetricsEngine) -> None:
    assert views.current_version(engine, AS_OF) == {
        "version": "2025", "effective_date": D(2025, 2, 14), "nl_licensing": 3, "nl_prohibited": 1}
    assert views.current_version(engine, D(2025, 2, 13))["version"] == "2024"
    assert views.current_version(engine, D(2025, 2, 14))["version"] == "2025"
    assert views.current_version(engine, D(2024, 1, 1))["version"] is None


def test_version_table(engine: MetricsEngine) -> None:
    table = views.version_table(engine, AS_OF)
    assert table["nl_version"].tolist() == ["2025", "2024"]
    assert table["effective_date"].tolist() == [D(2025, 2, 14), D(2024, 3, 1)]
    assert table["nl_licensing"].tolist() == [3, 2]
    assert table["nl_prohibited"].tolist() == [1, 1]
    assert table["nl_current"].tolist() == [True, False]


def test_publication_working_days(engine: MetricsEngine) -> None:
    pub = views.publication(engine, AS_OF).set_index(["dept_code", "nl_channel"])
    assert len(pub) == 4 * 3  # every department × every channel
    assert pub.loc[("D01", "门户网站"), "nl_publish_wd"] == 0
    assert pub.loc[("D01", "微信公众号"), "nl_publish_wd"] == 2
    assert pub.loc[("D01", "信用中国"), "nl_publish_wd"] == -1  # the day before the list took effect
    assert pub.loc[("D02", "门户网站"), "nl_publish_wd"] == 11
    assert pub.loc[("D02", "门户网站"), "published_date"] == D(2025, 3, 3)
    assert not pub.loc[("D02", "微信公众号"), "nl_published"]  # published after as_of
    assert not pub.loc[("D03", "门户网站"), "nl_published"]  # only the old list
    assert pd.isna(pub.loc[("D03", "门户网站"), "nl_publish_wd"])
    assert set(pub["nl_version"]) == {"2025"}


def test_publication_summary_agrees_with_channel_coverage(engine: MetricsEngine) -> None:
    summary = views.publication_summary(engine, AS_OF)
    assert summary["dept_code"].tolist() == ["D03", "S01", "D02", "D01"]  # fewest channels first
    row = summary.set_index("dept_code")
    assert row.loc["D02", "nl_channels"] == 1
    assert row.loc["D02", "nl_missing_channels"] == "微信公众号、信用中国"
    assert row.loc["D02", "nl_max_publish_wd"] == 11
    assert row.loc["D01", "nl_missing_channels"] == ""
    assert row.loc["D01", "nl_first_published"] == D(2025, 2, 13)
    assert row.loc["D01", "nl_max_publish_wd"] == 2
    result = engine.compute(MetricsRequest(D(2025, 1, 1), AS_OF))
    for code in ("D01", "D02", "D03"):
        assert row.loc[code, "nl_channel_share"] == pytest.approx(result.departments[code]["channel_coverage"])
    assert row.loc["D02", "nl_channel_share"] == pytest.approx(1 / 3)


def test_mapping_gaps_and_mismatches(engine: MetricsEngine) -> None:
    gaps = views.mapping_gaps(engine, AS_OF).set_index("item_code")
    assert list(gaps.index) == ["I2", "I5"]
    assert gaps.loc["I2", "nl_issues"] == "缺行政许可事项编码；负面清单事项编码不在现行版本"
    assert not gaps.loc["I2", "nl_codes_complete"]
    assert gaps.loc["I5", "nl_issues"] == "对应清单事项不属许可准入类"
    assert gaps.loc["I5", "nl_codes_complete"]
    assert gaps.loc["I2", "dept_name"] == "区市场监督管理局"
    # under the 2024 list N2 is current and N4 is not
    old = views.mapping_gaps(engine, D(2025, 1, 31)).set_index("item_code")
    assert old.loc["I2", "nl_issues"] == "缺行政许可事项编码"
    assert old.loc["I4", "nl_issues"] == "负面清单事项编码不在现行版本"
    assert views.mapping_gaps(engine, AS_OF, "D03").empty
    # the codes part agrees with mapping_rate: D01 has I1 mapped, I2 not
    result = engine.compute(MetricsRequest(D(2025, 1, 1), AS_OF))
    assert result.departments["D01"]["mapping_rate"] == pytest.approx(0.5)


def test_unmapped_list_items(engine: MetricsEngine) -> None:
    unmapped = views.unmapped_list_items(engine, AS_OF)
    assert unmapped["nl_list_code"].tolist() == ["N5"]
    assert unmapped["effective_date"].tolist() == [D(2025, 2, 14)]
    result = engine.compute(MetricsRequest(D(2025, 1, 1), AS_OF))
    assert result.district["nl_coverage"] == pytest.approx(2 / 3)


def test_element_matrix(engine: MetricsEngine) -> None:
    m = views.element_matrix(engine).set_index(["dept_code", "element"])
    assert len(m) == 3 * 5  # departments with licensing items × elements
    assert m.loc[("D01", "法律法规依据"), "published_items"] == 2
    assert m.loc[("D01", "办理流程"), "share"] == pytest.approx(0.5)
    assert m.loc[("D01", "办理时限"), "share"] == pytest.approx(0.5)
    assert m.loc[("D02", "办理流程"), "share"] == pytest.approx(1.0)
    assert m.loc[("D02", "办理时限"), "share"] == pytest.approx(0.5)
    assert m.loc[("D03", "技术标准"), "items"] == 1


def test_disclosure_gaps(engine: MetricsEngine) -> None:
    gaps = views.disclosure_gaps(engine)
    assert gaps["item_code"].tolist() == ["I2", "I4"]
    assert gaps["nl_pub_count"].tolist() == [3, 4]
    assert gaps["nl_missing_elements"].tolist() == ["办理流程、办理时限", "办理时限"]
    assert views.disclosure_gaps(engine, "D02")["item_code"].tolist() == ["I4"]
    result = engine.compute(MetricsRequest(D(2025, 1, 1), AS_OF))
    assert result.departments["D01"]["disclosure_rate"] == pytest.approx((5 / 5 + 3 / 5) / 2)


def test_guide_status_and_stale_guides(engine: MetricsEngine) -> None:
    status = views.guide_status(engine, AS_OF)
    assert status["dept_code"].tolist() == ["D02", "D01", "D03"]  # lowest rate first
    row = status.set_index("dept_code")
    assert row.loc["D02", "nl_version_items"] == 2
    assert row.loc["D02", "nl_stale_items"] == 2
    assert row.loc["D02", "nl_guide_share"] == 0.0
    assert row.loc["D02", "nl_latest_guide"] == D(2025, 2, 10)
    assert row.loc["D02", "nl_guide_channels"] == "未公开"
    assert row.loc["D01", "nl_version_items"] == 1  # I2's N2 is not in the 2025 list
    assert row.loc["D01", "nl_guide_channels"] == "门户网站"
    result = engine.compute(MetricsRequest(D(2025, 1, 1), AS_OF))
    for code in ("D01", "D02", "D03"):
        assert row.loc[code, "nl_guide_share"] == pytest.approx(result.departments[code]["guide_update_rate"])
    stale = views.stale_guides(engine, AS_OF)
    assert stale["item_code"].tolist() == ["I5", "I4"]  # no guide at all first, then the oldest
    assert stale["guide_updated"].tolist() == [None, D(2025, 2, 10)]
    assert stale["effective_date"].tolist() == [D(2025, 2, 14)] * 2
    assert views.stale_guides(engine, AS_OF, "D01").empty


def test_no_current_version(engine: MetricsEngine) -> None:
    before = D(2024, 1, 1)
    assert views.guide_status(engine, before).empty
    assert not views.publication(engine, before)["nl_published"].any()
    assert views.publication_summary(engine, before)["nl_channel_share"].isna().all()
