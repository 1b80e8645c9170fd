"""汇报模式 (AppTest): the page runs, 下一页/上一页 move the slide and the ``slide`` query
parameter, every slide of the deck renders, a department sees its own report; 全屏放映
(``show=1``, the 展示 role's default) shows the slide alone with its keys and a way out."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from data.accounts import DISPLAY
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


def _unescaped(markdown: str) -> str:
    """Markdown source as read (the page backslash-escapes the data it shows)."""
    return markdown.replace("\\", "")


def _keys(app: AppTest) -> set[str]:
    return {b.key for b in app.button if b.key}


def test_full_screen_is_a_link_and_leaves_again(app: AppTest) -> None:
    """A leader's 全屏放映 sets ``show=1`` (the projected view of the same slide, without the
    filter captions, downloads or jump list); 退出放映 removes it."""
    open_page(app, "present.py", period="2026Q3", slide="2")
    assert "pm_project" in _keys(app) and "pm_dl_pptx" in {d.key for d in app.get("download_button")}
    app.button(key="pm_project").click().run()
    assert_clean(app)
    assert app.query_params["show"] == "1" and app.query_params["slide"] == "2"
    assert _title(app) == "核心指标"
    assert {"pm_prev", "pm_next", "pm_left", "pm_right", "pm_leave"} <= _keys(app)
    assert "pm_project" not in _keys(app) and not app.get("download_button")
    assert "pm_jump" not in {s.key for s in app.selectbox}
    assert not any("数据截至" in c.value for c in app.caption)  # said in the slide's footer instead
    assert any("数据截至 2026-10-30" in _unescaped(m.value) for m in app.markdown)
    assert any('data-testid="stSidebar"' in m.value for m in app.markdown)  # the chrome is hidden
    app.button(key="pm_right").click().run()
    assert app.query_params["slide"] == "3" and app.query_params["show"] == "1"
    app.button(key="pm_leave").click().run()
    assert_clean(app)
    assert "show" not in app.query_params and app.query_params["slide"] == "3"
    assert "pm_project" in _keys(app) and "pm_leave" not in _keys(app)


def test_the_display_role_sees_the_deck_projected(app: AppTest) -> None:
    """The meeting screen (展示) sees 汇报模式 projected without asking; ``show=0`` (its
    退出放映) shows the ordinary page."""
    as_role(app, DISPLAY)
    open_page(app, "present.py", period="2026Q3")
    assert_clean(app)
    assert "pm_leave" in _keys(app) and app.query_params["slide"] == "1" and "show" not in app.query_params
    assert any("市场准入效能评估情况汇报" in m.value and "<h1" in m.value for m in app.markdown)
    app.button(key="pm_next").click().run()
    assert app.query_params["slide"] == "2" and _title(app) == "核心指标"
    app.button(key="pm_leave").click().run()
    assert app.query_params["show"] == "0" and "pm_project" in _keys(app)
    app.button(key="pm_project").click().run()
    assert app.query_params["show"] == "1" and "pm_leave" in _keys(app)


def test_the_projected_footer_says_the_street_and_the_data_end(app: AppTest) -> None:
    """Projected, the captions the page would show (street, 数据截至, 数据不完整) are in the
    slide's footer: 2026Q4 ends after the demo data (2026-10-30)."""
    open_page(app, "present.py", period="2026Q4", street="JH019", show="1")
    assert_clean(app)
    (footer,) = [_unescaped(m.value) for m in app.markdown if "数据截至" in m.value]
    assert "2026年第四季度" in footer and "礼乐街道" in footer and "数据截至 2026-10-30（数据不完整）" in footer
