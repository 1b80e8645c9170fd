"""汇报模式 in a real browser: slides readable on a projector-sized screen, 下一页 moves the
slide and the URL, and the PDF download delivers the deck."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.fixtures.browser import charts_drawn, shot, wait_ready

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
    for n, name in ((3, "trends"), (5, "scores"), (8, "weak_links"), (13, "ledger")):
        _open(page, server, n)
        assert not page.locator("[data-testid='stException']").count()
        if name in ("trends", "scores"):
            charts_drawn(page)
        shot(page, f"present_{n:02d}_{name}")
    page.get_by_role("button", name="上一页").click()
    page.wait_for_function("() => location.search.includes('slide=12')")


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
