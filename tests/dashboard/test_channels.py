"""服务渠道 page (AppTest on the demo data): filters, street comparison with the planted low
online rate of 礼乐街道, a department or street picked in a chart, empty states."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from data.demo.planted import LOW_ONLINE_STREET
from tests.fixtures.apptest import assert_clean, click_chart, frame, open_page, texts

NO_RECORDS = "所选时段内没有符合条件的记录，请调整时段或部门。"


def test_district_view_and_low_online_street(app: AppTest) -> None:
    open_page(app, "channels.py", period="2025Q3")
    assert_clean(app)
    assert texts(app, "title") == ["服务渠道 · 全区"]
    assert len(app.metric) == 9
    for section in ("街道对比", "各部门、各街道渠道结构", "渠道结构月度变化", "到现场次数", "好差评",
                    "差评清单（1—2 分）", "事项网办能力"):
        assert section in texts(app, "subheader")
    # the street comparison comes first; 差评清单 below names each rating's street too
    streets = frame(app, "街道名称").set_index("街道名称")
    online = streets["网上申办率（%）"].drop("全区")
    # 礼乐街道 (JH019) is planted with about a fifth of the other streets' online rate
    assert online.idxmin() == "礼乐街道"
    assert online["礼乐街道"] < 0.5 * online.drop("礼乐街道").min()


def test_filters_and_picks(app: AppTest) -> None:
    open_page(app, "channels.py", period="2025Q3")
    app.segmented_control(key="f_kind").set_value("month").run()
    assert_clean(app)
    assert "-" in app.query_params["period"]
    click_chart(app, "ch_streets", LOW_ONLINE_STREET)  # a click on the street's bar picks the street filter
    assert_clean(app)
    assert app.query_params["street"] == LOW_ONLINE_STREET
    assert texts(app, "title") == ["服务渠道 · 全区 · 礼乐街道"]
    streets = frame(app, "街道名称")
    assert len(streets) == 4 and streets["申请件数"].min() > 0  # every street, against the district
    click_chart(app, "ch_depts", "JH004")  # a click on a department's bar picks the department
    assert_clean(app)
    assert texts(app, "title") == ["服务渠道 · 区市场监管局 · 礼乐街道"]
    assert app.query_params["dept"] == "JH004"
    app.segmented_control(key="ch_by").set_value("street").run()
    app.selectbox(key="ch_compare").set_value("full_online_item_rate").run()
    app.selectbox(key="ch_street_ind").set_value("zero_visit_rate").run()
    assert_clean(app)


def test_department_deep_link(app: AppTest) -> None:
    open_page(app, "channels.py", period="2025Q3", dept=LOW_ONLINE_STREET)
    assert_clean(app)
    assert texts(app, "title") == ["服务渠道 · 礼乐街道"]
    items = frame(app, "网上申请占比（%）", unique=True)
    assert len(items) > 0
    ratings = [c for c in texts(app, "subheader") if c == "好差评"]
    assert ratings


def test_empty_selection_explains_itself(app: AppTest) -> None:
    open_page(app, "channels.py", period="2024-11", dept="JH006", street=LOW_ONLINE_STREET)
    assert_clean(app)
    assert texts(app, "info") == [NO_RECORDS] * 4
    assert texts(app, "success") == ["所选时段内没有差评。"]
