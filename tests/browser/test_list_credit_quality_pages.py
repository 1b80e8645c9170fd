"""负面清单落实, 信用分类 and 数据质量 in a real browser: each page (and its deep links) draws
without an error element or English error text; the planted channel gaps, stale guides and
missing timestamps are on the pages; a click on a heatmap cell drills down.
Screenshots: test-artifacts/screenshots/ii_b_*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.fixtures.browser import assert_clean, main_text, open_drawn, shot, title, wait_ready

pytestmark = pytest.mark.browser

PAGES = [
    ("negative_list", "negative-list?period=2026Q3", "负面清单落实"),
    ("negative_list_guides", "negative-list?period=2026Q3&nl_tab=办事指南", "负面清单落实"),
    ("negative_list_mapping", "negative-list?period=2026Q3&nl_tab=事项对应", "负面清单落实"),
    ("negative_list_element", "negative-list?period=2026Q3&nl_tab=公开要素&dept=JH004&nl_element=技术标准",
     "负面清单落实"),
    ("credit", "credit?period=2026Q3", "信用分类"),
    ("credit_move", "credit?period=2026Q3&dept=JH004&cr_move=C→D", "信用分类"),
    ("data_quality", "data-quality?period=2026Q3", "数据质量"),
    ("data_quality_volume", "data-quality?period=2026Q3&dq_tab=报送量", "数据质量"),
    ("data_quality_imports", "data-quality?period=2026Q3&dq_tab=导入记录", "数据质量"),
]
def _settle(page: Page) -> None:
    wait_ready(page)
    page.wait_for_timeout(800)
    wait_ready(page)


@pytest.mark.parametrize("name, path, heading", PAGES, ids=[p[0] for p in PAGES])
def test_page_draws_clean(server: str, page: Page, name: str, path: str, heading: str) -> None:
    text = open_drawn(page, f"{server}/{path}", 3600 if name in ("credit", "credit_move") else 2600)
    assert title(page).startswith(heading)
    assert_clean(page, text)
    shot(page, f"ii_b_{name}")
    charts = page.locator(".js-plotly-plot")
    if name == "negative_list":
        # channel gaps: 区农业农村局 misses two channels, 区工商联 and 外海街道 信用中国
        expect(charts.first.locator("text", has_text="未公开")).to_have_count(4)
        for dept in ("区农业农村局", "区工商联", "外海街道"):
            expect(charts.first.locator("text", has_text=dept).first).to_be_attached()
    if name == "negative_list_guides":
        assert "区交通运输局：涉及现行清单 8 项，8 项指南未在清单生效后更新（最近一次更新 2024-12-09）" in text
        assert "现行版本办事指南公开渠道：未公开" in text
    if name == "data_quality":
        heat = charts.first
        expect(heat.locator("text", has_text="区人力资源社会保障局")).to_have_count(1)
    if name == "credit_move":
        assert "区市场监管局 · C类→D类：类别变动明细" in text


def test_heatmap_cell_click_drills_to_records(server: str, page: Page) -> None:
    """A real click on the 区人力资源社会保障局 × 2026-08 cell opens that month's incomplete records."""
    open_drawn(page, f"{server}/data-quality?period=2026Q3")
    heat = page.locator(".js-plotly-plot").first
    row = heat.locator(".yaxislayer-above .ytick text", has_text="区人力资源社会保障局").bounding_box()
    col = heat.locator(".xaxislayer-above .xtick text", has_text="2026-08").bounding_box()
    assert row is not None and col is not None, "the heatmap has no 区人力资源社会保障局 row or 2026-08 column"
    x, y = col["x"] + col["width"] / 2, row["y"] + row["height"] / 2  # the cell under both labels
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"dq_month=2026-08"), timeout=30_000)
    _settle(page)
    assert "dept=JH014" in page.url
    text = main_text(page)
    assert "区人力资源社会保障局 · 2026-08：数据不完整的办结件" in text
    assert_clean(page, text)
    shot(page, "ii_b_data_quality_cell")
