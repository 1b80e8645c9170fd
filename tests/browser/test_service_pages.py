"""The Dashboard I pages in a real browser: each opens without an error element or English
error text, and a deep link with drill-down parameters restores the same view."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from tests.fixtures.browser import assert_clean, charts_drawn, main_text, shot, title, wait_ready

pytestmark = pytest.mark.browser

PAGES = [
    ("", "总览", "period=2025Q3"),
    ("process", "办事流程", "period=2025Q3"),
    ("channels", "服务渠道", "period=2025Q3"),
    ("routes", "审批途径", "period=2025Q3"),
    ("process", "办事流程", "period=2025Q3&dept=JH009"),
    ("channels", "服务渠道", "period=2025Q3&street=JH019"),
    ("routes", "审批途径", "period=2025Q3&dept=JH009"),
]


def _open(page: Page, url: str) -> None:
    page.set_viewport_size({"width": 1440, "height": 2600})
    page.goto(url)
    wait_ready(page)
    charts_drawn(page)


@pytest.mark.parametrize(("path", "heading", "query"), PAGES)
def test_page_opens_clean(server: str, page: Page, path: str, heading: str, query: str) -> None:
    _open(page, f"{server}/{path}?{query}")
    assert title(page).startswith(heading)
    text = main_text(page)
    assert_clean(page, text)
    assert "口径说明" in text
    shot(page, f"dashboard_i_{path or 'overview'}_{re.sub(r'[^A-Za-z0-9]+', '_', query)}")


def test_deep_link_restores_the_drilled_view(server: str, page: Page) -> None:
    _open(page, f"{server}/process?period=2025Q3&dept=JH009")
    item = "440704-BA-0912-01"  # an item of 区住房城乡建设局 in the demo catalogue
    link = f"{server}/process?period=2025Q3&dept=JH009&item={item}&stage=审查"
    _open(page, link)
    assert title(page) == "办事流程 · 区住房城乡建设局"
    text = main_text(page)
    assert "按“审查”环节用时从长到短排列" in text
    assert "返回部门" in text and "取消环节" in text
    assert f"item={item}" in page.url and "dept=JH009" in page.url
    assert "period=2025Q3" in page.url
    assert "2025年第三季度（2025-07-01 至 2025-09-30" in text
    shot(page, "dashboard_i_process_deep_link")
    page.get_by_role("button", name="取消环节").click()
    page.wait_for_function("() => !location.search.includes('stage=')", timeout=30_000)
    wait_ready(page)
    assert f"item={item}" in page.url
