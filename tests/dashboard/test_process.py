"""办事流程 page (AppTest on the demo data): filters, the department → item → stage →
applications drill-down by clicks on the charts (their own callbacks), deep links and scoping."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data.demo.planted import SLOW_REVIEW_DEPT
from tests.fixtures.apptest import as_role, assert_clean, click_chart, open_page, texts

DEPT = SLOW_REVIEW_DEPT  # 区住房城乡建设局, slow 审查 stage
DEPT_NAME = "区住房城乡建设局"


MARKERS = {  # a column only that table of the page has
    "pr_item_table": "超期办结件数",
    "pr_apps": "办理用时（工作日）",
    "pr_stage_table": "环节",
}


def table(app: AppTest, key: str) -> pd.DataFrame:
    """The DataFrame a table of the page shows (found by a column only it has)."""
    found = [d.value for d in app.dataframe if MARKERS[key] in d.value.columns]
    assert len(found) == 1, f"{key}: {len(found)} tables"
    return found[0]


def test_district_view(app: AppTest) -> None:
    open_page(app, "process.py", period="2025Q3")
    assert_clean(app)
    assert texts(app, "title") == ["办事流程 · 全区"]
    assert len(app.metric) == 6
    subheaders = texts(app, "subheader")
    for section in ("各部门对比", "事项办理情况", "环节流程图", "办件清单", "办理用时分布", "月度趋势与控制限"):
        assert section in subheaders
    # nothing drilled yet: the item and application sections say how to get there
    assert any("选择部门" in i for i in texts(app, "info"))
    assert any("点击“环节流程图”" in i for i in texts(app, "info"))


def test_filter_changes_update_page_and_url(app: AppTest) -> None:
    open_page(app, "process.py", period="2025Q3")
    app.segmented_control(key="f_kind").set_value("year").run()
    assert_clean(app)
    assert app.query_params["period"] in ("2026", "2025")
    app.selectbox(key="f_period").set_value("2025").run()
    assert app.query_params["period"] == "2025"
    assert any("2025年" in c and "2025-01-01 至 2025-12-31" in c for c in texts(app, "caption"))
    app.selectbox(key="f_dept").set_value(DEPT).run()
    assert_clean(app)
    assert texts(app, "title") == [f"办事流程 · {DEPT_NAME}"]
    assert app.query_params["dept"] == DEPT
    app.toggle(key="f_asof_pin").set_value(True).run()
    app.date_input(key="f_asof").set_value(dt.date(2025, 10, 31)).run()
    assert_clean(app)
    assert app.query_params["asof"] == "2025-10-31"
    assert "超期未办结件（基准日 2025-10-31）" in texts(app, "subheader")
    app.selectbox(key="f_street").set_value("JH019").run()
    assert_clean(app)
    app.selectbox(key="pr_control").set_value("median_processing_wd").run()
    app.selectbox(key="pr_compare").set_value("p90_processing_wd").run()
    app.selectbox(key="pr_item_sort").set_value("on_time_rate").run()
    assert_clean(app)


def test_drill_department_item_stage_applications(app: AppTest) -> None:
    open_page(app, "process.py", period="2025Q3")
    click_chart(app, "pr_depts", DEPT)  # a click on the department's bar sets the department filter
    assert_clean(app)
    assert texts(app, "title") == [f"办事流程 · {DEPT_NAME}"]
    assert app.query_params["dept"] == DEPT
    items = table(app, "pr_item_table")
    assert len(items) > 0 and items["超期办结件数"].iloc[0] == items["超期办结件数"].max()
    item_code, item_name = str(items["事项编码"].iloc[0]), str(items["事项名称"].iloc[0])

    click_chart(app, "pr_items", item_code)  # a click on the item's bar sets ?item=
    assert app.query_params["item"] == item_code
    assert_clean(app)
    assert any(item_name in m and DEPT_NAME in m for m in texts(app, "markdown"))  # breadcrumb
    apps = table(app, "pr_apps")
    used = apps["办理用时（工作日）"].fillna(apps["已用工作日（在办）"])
    assert (apps["事项名称"] == item_name).all() and list(used) == sorted(used, reverse=True)
    assert {"承诺办结时限", "法定办结时限", "超期办结"} <= set(apps.columns)

    click_chart(app, "pr_stages", "审查")  # a click on the stage's box sets ?stage=
    assert app.query_params["stage"] == "审查"
    assert_clean(app)
    assert any("按“审查”环节用时从长到短排列" in c for c in texts(app, "caption"))
    apps = table(app, "pr_apps")
    hours = list(apps["审查用时（小时）"])
    assert hours == sorted(hours, reverse=True)
    stages = table(app, "pr_stage_table")
    assert stages.loc[stages["瓶颈环节"] == "是", "环节"].tolist() == ["审查"]

    # back up one level, then another
    app.button(key="pr_back_stage").click().run()
    assert "stage" not in app.query_params
    app.button(key="pr_back_item").click().run()
    assert "item" not in app.query_params and app.query_params["dept"] == DEPT
    assert_clean(app)


def test_department_stage_map_marks_the_slow_review(app: AppTest) -> None:
    open_page(app, "process.py", period="2025Q3", dept=DEPT)
    stages = table(app, "pr_stage_table").set_index("环节")
    assert stages.loc["审查", "瓶颈环节"] == "是"
    assert stages.loc["审查", "快慢判断"] == "明显偏慢"


def test_deep_link_restores_the_drilled_view(app: AppTest) -> None:
    open_page(app, "process.py", period="2025Q3", dept=DEPT)
    item_code = str(table(app, "pr_item_table")["事项编码"].iloc[0])
    fresh = AppTest.from_file(app._script_path, default_timeout=120)  # a new session, same link
    open_page(fresh, "process.py", period="2025Q3", dept=DEPT, item=item_code, stage="审查")
    assert_clean(fresh)
    assert fresh.query_params == {"period": "2025Q3", "dept": DEPT, "item": item_code, "stage": "审查"}
    assert texts(fresh, "title") == [f"办事流程 · {DEPT_NAME}"]
    assert fresh.selectbox(key="f_period").value == "2025Q3"
    assert any("按“审查”环节用时从长到短排列" in c for c in texts(fresh, "caption"))


def test_invalid_drill_parameters_are_dropped(app: AppTest) -> None:
    open_page(app, "process.py", period="2025Q3", dept=DEPT, item="不存在的事项", stage="审批")
    assert_clean(app)
    assert "item" not in app.query_params and "stage" not in app.query_params


def test_empty_selection_explains_itself(app: AppTest) -> None:
    # the first month of the demo data, one street: few or no applications in many places
    open_page(app, "process.py", period="2024-11", dept="JH006", street="JH019")
    assert_clean(app)
    assert app.info, "an empty section says why it is empty"


@pytest.mark.parametrize("role", ["部门用户"])
def test_department_user_sees_its_own_department(app: AppTest, role: str) -> None:
    as_role(app, role, DEPT)
    open_page(app, "process.py", period="2025Q3")
    assert_clean(app)
    assert texts(app, "title") == [f"办事流程 · {DEPT_NAME}"]
    names = set(table(app, "pr_item_table")["事项名称"])
    assert names and all(n for n in names)
