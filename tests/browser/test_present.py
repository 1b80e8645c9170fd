"""汇报模式 in a real browser: slides readable on a projector-sized screen, 下一页 moves the
slide and the URL, and the PDF download delivers the deck; projected (全屏放映) at 1920×1080
as the meeting screen (展示) and through a shared ``show=1`` link: no sidebar or filters,
the presenter's keys turn the slides, and every slide fits the screen without scrolling."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.fixtures.browser import assert_clean, charts_drawn, shot, wait_ready

pytestmark = pytest.mark.browser


def _open(page: Page, server: str, slide: int) -> None:
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(f"{server}/present?period=2026Q3&slide={slide}")
    wait_ready(page)
    charts_drawn(page, required=False)


def test_present_slides_and_navigation(server: str, page: Page) -> None:
    _open(page, server, 1)
    main = page.locator("[data-testid='stMain']")
    assert "市场准入效能评估情况汇报" in main.inner_text()
    shot(page, "present_01_cover")
    page.get_by_role("button", name="下一页").click()
    page.wait_for_function("() => location.search.includes('slide=2')")
    wait_ready(page)
    assert page.locator("[data-testid='stMain'] h1").inner_text().strip() == "核心指标"
    text = main.inner_text()
    assert "按时办结率" in text and "较上期" in text
    shot(page, "present_02_headlines")
    for n, name in ((3, "trends"), (5, "scores"), (8, "weak_links"), (12, "ledger")):
        _open(page, server, n)
        assert not page.locator("[data-testid='stException']").count()
        if name in ("trends", "scores"):
            charts_drawn(page)
        shot(page, f"present_{n:02d}_{name}")
    page.get_by_role("button", name="上一页").click()
    page.wait_for_function("() => location.search.includes('slide=11')")


def test_present_pdf_download(server: str, page: Page) -> None:
    _open(page, server, 1)
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="下载 PDF").click()
    download = info.value
    assert re.search(r"\.pdf$", download.suggested_filename)
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    assert len(PdfReader(BytesIO(data)).pages) >= 10


FULL_HD = {"width": 1920, "height": 1080}
FITS = """() => {
  const bar = document.querySelector('.st-key-pm_bar');
  const shown = [...document.querySelectorAll('[data-testid=stMainBlockContainer] [data-testid=stElementContainer]')]
    .filter(e => e.checkVisibility() && !bar.contains(e) && e.getBoundingClientRect().height > 0);
  const main = document.querySelector('[data-testid=stMain]');
  return {bottom: Math.max(...shown.map(e => e.getBoundingClientRect().bottom)), count: shown.length,
          barTop: bar.getBoundingClientRect().top, barBottom: bar.getBoundingClientRect().bottom,
          scroll: Math.max(document.documentElement.scrollHeight, main.scrollHeight)};
}"""


def _assert_projected(page: Page) -> None:
    """No sidebar, header or filter widget to be seen; the slide ends above the bottom bar,
    which sits in the 1080 px screen, and nothing scrolls."""
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    assert not page.locator("[data-testid='stHeader']").is_visible()
    assert page.get_by_role("combobox").count() == 0  # period, department, street pickers: none visible
    assert page.get_by_role("radiogroup").count() == 0 and not page.get_by_text("筛选", exact=True).is_visible()
    assert not page.get_by_role("button", name="下载 PDF").count()
    box = page.evaluate(FITS)
    assert box["count"] >= 1 and page.locator("[data-testid='stMain'] h1").first.is_visible(), box
    assert box["bottom"] <= box["barTop"] + 1 and box["barBottom"] <= 1080 + 1, box
    assert box["scroll"] <= 1080, box
    assert_clean(page)


def _press(page: Page, key: str, slide: int) -> None:
    page.keyboard.press(key)
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('slide') === '{slide}'")
    wait_ready(page)
    charts_drawn(page, required=False)


def test_projected_as_the_meeting_screen(server: str, page: Page) -> None:
    page.set_viewport_size(FULL_HD)
    page.goto(f"{server}/?period=2026Q3")
    wait_ready(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("combobox", name="演示身份").click()
    page.get_by_role("option", name="展示", exact=True).click()
    wait_ready(page)
    sidebar.get_by_role("link", name="汇报模式").click()  # same session: still 展示
    page.wait_for_url("**/present?**")
    wait_ready(page)
    assert "show=" not in page.url  # projected by default for 展示
    assert page.locator("[data-testid='stMain'] h1").inner_text().strip() == "市场准入效能评估情况汇报"
    _assert_projected(page)
    assert "1 / 17 页" in page.locator(".st-key-pm_bar").inner_text()
    shot(page, "present_projected_01_cover")
    _press(page, "PageDown", 2)  # the presenter's clicker
    assert page.locator("[data-testid='stMain'] h1").inner_text().strip() == "核心指标"
    assert "2 / 17 页" in page.locator(".st-key-pm_bar").inner_text()
    _assert_projected(page)
    shot(page, "present_projected_02_headlines")
    _press(page, "ArrowRight", 3)
    charts_drawn(page)
    _assert_projected(page)
    shot(page, "present_projected_03_trends")
    _press(page, "ArrowLeft", 2)
    _press(page, "PageUp", 1)


def test_a_shared_projection_link_and_the_way_out(server: str, page: Page) -> None:
    page.set_viewport_size(FULL_HD)
    page.goto(f"{server}/present?period=2026Q3&show=1&slide=7")
    wait_ready(page)
    _assert_projected(page)
    for slide, name in ((8, "weak_links"), (9, "weak_links_2"), (12, "ledger")):
        if slide == 12:
            page.goto(f"{server}/present?period=2026Q3&show=1&slide=12")
            wait_ready(page)
        else:
            _press(page, "PageDown", slide)
        title = page.locator("[data-testid='stMain'] h1").inner_text().strip()
        assert title.startswith("主要短板") if slide < 12 else title == "督查督办台账"
        _assert_projected(page)
        shot(page, f"present_projected_{slide:02d}_{name}")
    page.keyboard.press("Escape")  # 退出放映
    page.wait_for_function("() => !location.search.includes('show=')")
    wait_ready(page)
    assert page.locator("[data-testid='stSidebar']").is_visible()
    assert page.get_by_role("button", name="全屏放映").is_visible()
    assert "slide=12" in page.url and "period=2026Q3" in page.url
