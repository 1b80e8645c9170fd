"""负面清单落实 page (AppTest on the demo data, 2026Q3): the current version, the five 口径 figures,
the planted channel gaps and stale guides found from the page, deep links into a department,
a tab and a disclosure element, and a department user's own view."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.screens.negative_list import sections as parts
from data.demo.planted import CHANNEL_GAPS, STALE_GUIDE_DEPT
from tests.fixtures.apptest import as_role, assert_clean, click_chart, frame, open_page, texts

PAGE = "negative_list.py"


def visit(app: AppTest, **query: str) -> AppTest:
    return open_page(app, PAGE, **query)


def test_district_view(app: AppTest) -> None:
    visit(app, period="2026Q3")
    assert_clean(app)
    assert texts(app, "title") == ["负面清单落实 · 全区"]
    assert any("现行清单：2025 版，2025-04-24 起生效" in s for s in texts(app, "info"))
    labels = [m.label for m in app.metric]
    assert labels == ["公开要素完整率", "事项对应率", "办事指南及时更新率", "公开渠道覆盖率", "负面清单许可事项覆盖率",
                      "全区在全部三个渠道公开的部门数"]
    assert all(m.help and "口径" not in m.label for m in app.metric)  # each figure carries its definition
    assert [t.label for t in app.tabs] == ["公开渠道", "事项对应", "公开要素", "办事指南"]


def test_channel_gaps_are_visible(app: AppTest) -> None:
    visit(app, period="2026Q3")
    gaps = frame(app, "未公开渠道").set_index("部门名称")
    names = {"JH016": "区农业农村局", "JH006": "区工商联", "JH018": "外海街道"}
    assert set(gaps.index) == set(names.values())
    for code, missing in CHANNEL_GAPS.items():
        assert gaps.loc[names[code], "未公开渠道"] == "、".join(missing)
    rows = frame(app, "生效后公开用时（工作日）")
    assert len(rows) == 19 * 3
    assert (rows["已公开"] == "否").sum() == 4


def test_stale_guides_are_visible(app: AppTest) -> None:
    visit(app, period="2026Q3", nl_tab="办事指南")
    assert_clean(app)
    status = frame(app, "指南未更新事项数")
    first = status.iloc[0]  # lowest rate first
    assert first["部门名称"] == "区交通运输局"
    assert first["及时更新率"] == 0.0
    assert first["指南未更新事项数"] == first["涉及现行清单的事项数"] == 8
    assert first["办事指南公开渠道"] == "未公开"
    assert any("**区交通运输局**" in s for s in texts(app, "markdown"))
    stale = frame(app, "办事指南更新日期")
    assert (stale["部门名称"] == "区交通运输局").sum() == 8
    assert (pd.to_datetime(stale["办事指南更新日期"]) < "2025-04-24").all()


def test_department_deep_link(app: AppTest) -> None:
    visit(app, period="2026Q3", dept=STALE_GUIDE_DEPT, nl_tab="办事指南")
    assert_clean(app)
    assert texts(app, "title") == ["负面清单落实 · 区交通运输局"]
    stale = frame(app, "办事指南更新日期")
    assert set(stale["部门名称"]) == {"区交通运输局"} and len(stale) == 8
    assert any("当前显示“区交通运输局”的明细" in s for s in texts(app, "caption"))
    gaps = frame(app, "公开渠道")  # the department's own publication rows
    assert set(gaps["部门名称"]) == {"区交通运输局"}


def test_element_tile_click_drills(app: AppTest) -> None:
    visit(app, period="2026Q3", nl_tab="公开要素")
    click_chart(app, "nl_elements_chart", "JH004", "技术标准")  # the 区市场监管局 × 技术标准 tile
    assert_clean(app)
    assert app.query_params["dept"] == "JH004"
    assert app.query_params[parts.ELEMENT_PARAM] == "技术标准"
    assert app.selectbox(key=parts.ELEMENT_PARAM).value == "技术标准"
    gaps = frame(app, "缺失要素")
    assert len(gaps) > 0
    assert set(gaps["部门名称"]) == {"区市场监管局"}
    assert gaps["缺失要素"].str.contains("技术标准").all()


def test_element_drill(app: AppTest) -> None:
    # the deep link a click on the 区市场监管局 × 技术标准 tile writes: the department and the element
    visit(app, period="2026Q3", dept="JH004", nl_element="技术标准", nl_tab="公开要素")
    assert_clean(app)
    assert app.selectbox(key=parts.ELEMENT_PARAM).value == "技术标准"
    gaps = frame(app, "缺失要素")
    assert len(gaps) > 0
    assert set(gaps["部门名称"]) == {"区市场监管局"}
    assert gaps["缺失要素"].str.contains("技术标准").all()
    app.selectbox(key=parts.ELEMENT_PARAM).set_value("").run()
    assert_clean(app)
    assert len(frame(app, "缺失要素")) >= len(gaps)


def test_chart_pick_reads_the_clicked_tile() -> None:
    event = {"selection": {"points": [{"customdata": ["JH016", "信用中国"]}]}}
    assert parts._first_point(event) == ["JH016", "信用中国"]
    assert parts._first_point({"selection": {"points": []}}) is None
    assert parts._first_point(None) is None


def test_mapping_tab(app: AppTest) -> None:
    visit(app, period="2026Q3", nl_tab="事项对应")
    assert_clean(app)
    gaps = frame(app, "问题")
    assert len(gaps) == 6  # five items missing a code, and the planted lifted_still_approved item
    assert gaps["问题"].str.startswith("缺").sum() == 5
    assert (gaps["问题"] == "负面清单事项编码不在现行版本").sum() == 1
    unmapped = frame(app, "主管部门")
    assert len(unmapped) == 62


def test_department_user_sees_its_own(app: AppTest) -> None:
    as_role(app, "部门用户", STALE_GUIDE_DEPT)
    visit(app, period="2026Q3")
    assert_clean(app)
    assert texts(app, "title") == ["负面清单落实 · 区交通运输局"]
    rows = frame(app, "生效后公开用时（工作日）")
    assert set(rows["部门名称"]) == {"区交通运输局"}
    # its own publication only: no other department appears as "not published"
    assert not any("未公开渠道" in d.value.columns for d in app.dataframe)
    assert any("均已在门户网站、微信公众号、信用中国三个渠道公开" in s for s in texts(app, "success"))
    status = frame(app, "指南未更新事项数")
    assert set(status["部门名称"]) == {"区交通运输局"}
