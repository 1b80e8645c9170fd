"""The filter bar in a real browser: the 自定义 period's two dates are shown whole at desktop
and phone widths (issue 13: "the 自定义 date inputs are truncated" — side by side in the
sidebar, each field showed "2026-07-" and scrolled the rest out of sight)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.fixtures.browser import assert_clean, shot, wait_ready

pytestmark = pytest.mark.browser

FIELDS = """() => [...document.querySelectorAll(
    '[data-testid="stSidebar"] [data-testid="stDateInputFieldsScroller"]')].map(
    f => ({text: f.innerText.replace(/\\s+/g, ''), scroll: f.scrollWidth, client: f.clientWidth}))"""


@pytest.mark.parametrize(("width", "height"), [(1440, 1000), (390, 844)])
def test_custom_period_dates_are_not_cut(server: str, browser: Browser, width: int, height: int) -> None:
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    try:
        page = ctx.new_page()
        page.goto(f"{server}/process?period=custom&from=2026-07-01&to=2026-09-30")
        wait_ready(page)
        opener = page.locator("[data-testid='stExpandSidebarButton']")
        if opener.count() and opener.first.is_visible():  # a phone starts with the sidebar closed
            opener.first.click()
        field = page.locator("[data-testid='stSidebar'] [data-testid='stDateInput']").first
        field.scroll_into_view_if_needed()
        fields = page.evaluate(FIELDS)
        assert [f["text"] for f in fields] == ["2026-07-01", "2026-09-30"]
        for f in fields:  # the whole date is in view: nothing scrolled out of its field
            assert f["scroll"] <= f["client"], fields
        assert_clean(page)
        shot(page, f"filter_bar_custom_{width}")
    finally:
        ctx.close()
