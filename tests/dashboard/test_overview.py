"""总览 page (AppTest on the demo data): the department filter shows that department's title
and radar; a click on a department's bar (the chart's own callback) leads to its detail."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from data.demo.planted import SLOW_REVIEW_DEPT
from tests.fixtures.apptest import assert_clean, click_chart, open_page

DEPT_NAME = "区住房城乡建设局"


def chart_types(app: AppTest) -> list[str]:
    """The trace types of every Plotly chart on the page."""
    types: list[str] = []
    for el in app.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        types.extend(tr.get("type", "scatter") for tr in spec.get("data", []))
    return types


def test_district_overview(app: AppTest) -> None:
    open_page(app, "overview.py", period="2025Q3")
    assert_clean(app)
    assert [t.value for t in app.title] == ["总览 · 全区"]
    assert "scatterpolar" not in chart_types(app)  # the district shows dimension bars, no radar


def test_department_filter_shows_its_title_and_radar(app: AppTest) -> None:
    open_page(app, "overview.py", period="2025Q3", dept=SLOW_REVIEW_DEPT)
    assert_clean(app)
    assert [t.value for t in app.title] == [f"总览 · {DEPT_NAME}"]
    assert "scatterpolar" in chart_types(app)
    assert app.selectbox(key="f_dept").value == SLOW_REVIEW_DEPT


def test_picking_a_department_bar_leads_to_its_detail(app: AppTest) -> None:
    open_page(app, "overview.py", period="2025Q3")
    # the bar chart carries each department's code as customdata for the callback
    bars = [json.loads(el.proto.spec) for el in app.get("plotly_chart")]
    codes = {c[0] for spec in bars for tr in spec["data"] if tr.get("type") == "bar" and tr.get("orientation") == "h"
             for c in tr.get("customdata", [])}
    assert SLOW_REVIEW_DEPT in codes
    click_chart(app, "ov_depts", SLOW_REVIEW_DEPT)
    assert_clean(app)
    assert [t.value for t in app.title] == [f"总览 · {DEPT_NAME}"]
    assert app.query_params["dept"] == SLOW_REVIEW_DEPT
    assert "scatterpolar" in chart_types(app)
    # and the filter change is kept when moving to a Dashboard I page
    app.switch_page("screens/process/page.py")
    app.run()
    assert_clean(app)
    assert [t.value for t in app.title] == [f"办事流程 · {DEPT_NAME}"]
