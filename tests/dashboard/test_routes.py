"""审批途径 page (AppTest on the demo data): route mix, timing by route, rejections, limits and
materials; filters and a department picked in a chart."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from data.demo.planted import SLOW_REVIEW_DEPT
from tests.fixtures.apptest import assert_clean, click_chart, frame, open_page, texts

NO_RECORDS = "所选时段内没有符合条件的记录，请调整时段或部门。"


def test_district_view(app: AppTest) -> None:
    open_page(app, "routes.py", period="2025Q3")
    assert_clean(app)
    assert texts(app, "title") == ["审批途径 · 全区"]
    assert len(app.metric) == 8
    for section in ("各部门审批方式结构", "各部门对比", "审批方式与办理用时", "不予受理及不予许可",
                    "承诺时限压缩与申请材料"):
        assert section in texts(app, "subheader")
    timing = frame(app, "时限使用率（%）", unique=True).set_index("审批方式")
    assert list(timing.index) == ["即办件", "承诺件", "告知承诺", "容缺受理", "并联审批"]
    assert timing.loc["即办件", "办理用时中位数"] == 0
    mix = frame(app, "占比（%）", unique=True)
    assert set(mix.columns) >= {"部门名称", "审批方式", "件数"}
    assert mix.groupby("部门名称")["占比（%）"].sum().round(0).eq(100).all()


def test_department_pick_and_filters(app: AppTest) -> None:
    open_page(app, "routes.py", period="2025Q3")
    click_chart(app, "rt_depts", SLOW_REVIEW_DEPT)  # a click on the department's bar
    assert_clean(app)
    assert texts(app, "title") == ["审批途径 · 区住房城乡建设局"]
    assert app.query_params["dept"] == SLOW_REVIEW_DEPT
    limits = frame(app, "压缩率（%）", unique=True)
    assert len(limits) > 0 and list(limits["压缩率（%）"].dropna()) == sorted(limits["压缩率（%）"].dropna())
    app.segmented_control(key="f_kind").set_value("half").run()
    app.selectbox(key="rt_compare").set_value("compression_rate").run()
    assert_clean(app)
    assert "H" in app.query_params["period"]


def test_empty_selection_explains_itself(app: AppTest) -> None:
    open_page(app, "routes.py", period="2024-11", dept="JH006", street="JH019")
    assert_clean(app)
    assert texts(app, "info") == [NO_RECORDS, "所选范围内没有法定时限大于 0 的事项。", NO_RECORDS, NO_RECORDS]
    assert texts(app, "success") == ["所选时段内没有不予受理或不予许可的申请。"]
