"""Pages that are not about a period (用户管理, 操作日志, 系统设置, 数据导入) say nothing about
periods: no filter bar, no 数据截至 or 数据不完整, no "所选时段内没有…" for an empty list
(issue 13: "用户管理 shows a message about periods it has none of") — and the period chosen
before is still chosen on the next data page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES, has_period
from tests.fixtures.apptest import as_role, assert_clean, open_page, page_text

PERIOD_WORDS = ("时段", "统计周期", "数据截至", "数据不完整", "评估基准日", "季度", "2026Q4")


def _all_text(app: AppTest) -> str:
    """Prose and widget labels of the page and its sidebar."""
    labels = [w.label for kind in ("selectbox", "toggle", "date_input", "text_input") for w in getattr(app, kind)]
    groups = [str(w.proto.label) for w in app.get("button_group")]
    return "\n".join([page_text(app), *labels, *groups])


def test_only_the_admin_pages_have_no_period() -> None:
    assert sorted(s.page for s in PAGES if not s.period) == ["audit", "data_import", "settings", "users"]
    assert not has_period("users") and has_period("overview") and has_period("")


@pytest.mark.parametrize("page", ["users", "audit", "settings", "data_import"])
def test_admin_page_says_nothing_about_periods(app: AppTest, page: str) -> None:
    as_role(app, "管理员")
    open_page(app, "overview", period="2026Q4")  # a period beyond the data: 数据不完整 on data pages
    assert "数据不完整" in _all_text(app)
    open_page(app, page)
    assert_clean(app)
    text = _all_text(app)
    assert not [w for w in PERIOD_WORDS if w in text], text
    open_page(app, "overview")  # the period chosen before the admin page is still chosen
    assert app.selectbox(key="f_period").value == "2026Q4"


def test_empty_user_list_says_why_without_a_period(app: AppTest) -> None:
    """The demo signs in without accounts: the empty list says there are none yet."""
    open_page(as_role(app, "管理员"), "users")
    assert [i.value for i in app.info] == ["还没有用户账户，可在下方“新增用户”中添加。"]
