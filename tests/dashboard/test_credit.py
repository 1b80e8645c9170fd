"""信用分类 page (AppTest on the demo data, 2026Q3): the A–D mix per supervising department, the
transition matrix and its drill (``cr_move``, ``cr_month``), the high-risk trend, a department
picked in the chart, a department without ratings and a department user's own view."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.screens.credit import sections as parts
from tests.fixtures.apptest import as_role, assert_clean, click_chart, frame, open_page, texts

PAGE = "credit.py"
RATING_DEPTS = {"区市场监管局", "国家税务总局江门市江海区税务局", "区卫生健康局", "区住房城乡建设局", "区交通运输局",
                "区应急管理局", "江门市生态环境局江海分局"}


def visit(app: AppTest, **query: str) -> AppTest:
    return open_page(app, PAGE, **query)


def test_distribution(app: AppTest) -> None:
    visit(app, period="2026Q3")
    assert_clean(app)
    assert texts(app, "title") == ["信用分类 · 全区"]
    assert [m.label for m in app.metric] == ["信用分类主体数", "高风险主体占比"]
    assert all(m.help for m in app.metric)
    table = frame(app, "A类主体数")
    assert set(table["部门名称"]) == RATING_DEPTS
    counts = table[["A类主体数", "B类主体数", "C类主体数", "D类主体数"]].sum(axis=1)
    assert (counts == table["主体数"]).all()
    shares = (table["C类主体数"] + table["D类主体数"]) / table["主体数"]
    assert shares.round(9).tolist() == table["高风险主体占比"].round(9).tolist()
    assert table["高风险主体占比"].is_monotonic_decreasing
    district = frame(app, "信用风险类别")
    assert district["信用风险类别"].tolist() == ["A", "B", "C", "D"]
    assert district["占比"].sum() == pytest.approx(1.0, abs=1e-9)
    for section in ("各监管部门信用风险分类分布", "分类变动", "高风险主体占比趋势"):
        assert section in texts(app, "subheader")


def test_movements_and_their_drill(app: AppTest) -> None:
    visit(app, period="2026Q3")
    moves = frame(app, "变动方向")
    assert len(moves) > 0
    assert set(moves["变动方向"]) == {"升级", "降级"}  # re-ratings into the same class are not moves
    click_chart(app, "cr_matrix_chart", "C", "D")  # a click on the C → D cell
    assert app.query_params[parts.MOVE_PARAM] == "C→D"
    assert_clean(app)
    picked = frame(app, "变动方向")
    assert len(picked) > 0
    assert set(picked["原类别"]) == {"C"} and set(picked["新类别"]) == {"D"}
    assert set(picked["变动方向"]) == {"降级"}
    click_chart(app, "cr_monthly_chart", "2026-07")  # and a click on the July bar
    assert app.query_params[parts.MONTH_PARAM] == "2026-07"
    assert_clean(app)
    july = frame(app, "变动方向")
    assert 0 < len(july) < len(picked)
    dates = pd.to_datetime(july["新分类日期"])
    assert ((dates >= "2026-07-01") & (dates <= "2026-07-31")).all()


def test_deep_link_to_a_transition(app: AppTest) -> None:
    visit(app, period="2026Q3", dept="JH004", cr_move="A→B")
    assert_clean(app)
    assert texts(app, "title") == ["信用分类 · 区市场监管局"]
    assert app.selectbox(key=parts.MOVE_PARAM).value == "A→B"
    moves = frame(app, "变动方向")
    assert set(moves["部门名称"]) == {"区市场监管局"}
    assert set(moves["变动方向"]) == {"降级"}
    assert set(frame(app, "A类主体数")["部门名称"]) == {"区市场监管局"}


def test_department_without_ratings(app: AppTest) -> None:
    visit(app, period="2026Q3", dept="JH001")
    assert_clean(app)
    assert texts(app, "title") == ["信用分类 · 区发展改革局"]
    assert any("没有同一主体的重复分类" in s for s in texts(app, "info"))
    assert app.metric[0].value == "0"


def test_department_user(app: AppTest) -> None:
    as_role(app, "部门用户", "JH011")
    visit(app, period="2026Q3")
    assert_clean(app)
    assert texts(app, "title") == ["信用分类 · 区交通运输局"]
    assert set(frame(app, "A类主体数")["部门名称"]) == {"区交通运输局"}
    assert set(frame(app, "变动方向")["部门名称"]) == {"区交通运输局"}
