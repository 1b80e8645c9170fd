"""总览 in a real browser: it opens, a filter in the sidebar updates the URL and the page, and
a click on a department bar in 各部门对比 leads to that department's detail."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from tests.fixtures.browser import assert_clean, charts_drawn, main_text, shot, title, wait_ready

pytestmark = pytest.mark.browser

def test_overview_opens(server: str, page: Page) -> None:
    page.goto(f"{server}/?period=2025Q3")
    wait_ready(page)
    assert title(page).startswith("总览")
    assert_clean(page)
    charts_drawn(page)
    shot(page, "overview_district")


def test_filter_change_updates_url_and_page(server: str, page: Page) -> None:
    page.goto(f"{server}/?period=2025Q3")
    wait_ready(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("radio", name="年度").click()
    page.wait_for_function("() => /period=\\d{4}(&|$)/.test(location.search)")
    wait_ready(page)
    picked = re.search(r"period=(\d{4})", page.url)
    assert picked, page.url
    year = picked.group(1)
    assert f"{year}年" in main_text(page) and f"{year}-01-01 至 {year}-12-31" in main_text(page)
    shot(page, "overview_year")


def test_click_on_department_bar_opens_its_detail(server: str, page: Page) -> None:
    page.goto(f"{server}/?period=2025Q3")
    wait_ready(page)
    chart = page.locator(".st-key-ov_depts .js-plotly-plot")
    chart.wait_for(timeout=30_000)
    chart.scroll_into_view_if_needed()
    charts_drawn(page)
    ticks = [t.strip() for t in chart.locator("g.ytick text").all_text_contents()]
    bars = chart.locator("g.trace.bars g.point path")
    assert bars.count() == len(ticks) > 1
    pick = len(ticks) - 1  # the top bar: the longest, easy to hit
    name = ticks[pick]
    bars.nth(pick).click(force=True)
    page.wait_for_function("() => location.search.includes('dept=')", timeout=30_000)
    wait_ready(page)
    page.wait_for_function(
        "(n) => document.querySelector('[data-testid=\"stMain\"] h1').innerText.includes(n)", arg=name,
        timeout=30_000)
    assert title(page) == f"总览 · {name}"
    assert re.search(r"dept=JH\d{3}", page.url)
    charts_drawn(page)
    shot(page, "overview_department")
