"""汇报模式 (AppTest): the page runs, 下一页/上一页 move the slide and the ``slide`` query
parameter, every slide of the deck renders, a department sees its own report."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.fixtures.apptest import as_role, assert_clean, open_page


def _title(app: AppTest) -> str:
    return app.title[0].value


def test_next_and_previous_change_the_slide(app: AppTest) -> None:
    open_page(app, "present.py", period="2026Q3")
    assert_clean(app)
    assert _title(app) == "汇报模式"
    assert app.query_params["slide"] == "1"
    assert any("市场准入效能评估情况汇报" in m.value for m in app.markdown)
    app.button(key="pm_next").click().run()
    assert_clean(app)
    assert app.query_params["slide"] == "2"
    assert _title(app) == "核心指标"
    app.button(key="pm_next").click().run()
    assert app.query_params["slide"] == "3"
    assert _title(app).startswith("月度趋势")
    assert len(app.get("plotly_chart")) == 3
    app.button(key="pm_prev").click().run()
    assert app.query_params["slide"] == "2"
    assert _title(app) == "核心指标"


def test_every_slide_renders_and_the_url_is_clamped(app: AppTest) -> None:
    open_page(app, "present.py", period="2026Q3", slide="999")
    assert_clean(app)
    last = int(app.query_params["slide"])
    assert last > 10  # clamped to the last slide
    assert app.button(key="pm_next").disabled
    titles = []
    for n in range(1, last + 1):
        app.query_params["slide"] = str(n)
        app.run()
        assert_clean(app)
        titles.append(_title(app))
    assert any(x.startswith("主要短板") for x in titles)
    assert "督查督办台账" in titles
    assert any(x.startswith("整改任务") for x in titles)
    assert any(x.startswith("附录") for x in titles)


def test_department_user_sees_its_self_check_report(app: AppTest) -> None:
    as_role(app, "部门用户", "JH009")
    open_page(app, "present.py", period="2026Q3", slide="1")
    assert_clean(app)
    assert any("部门自查报告" in m.value for m in app.markdown)
