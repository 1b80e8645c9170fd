"""效能评估, 短板清单, 案例线索 and 督查督办台账 in a real browser: each page (and its deep
links) draws without an error element or English error text, a heatmap cell click drills
down, and a case whose text is hostile markup is shown as text (nothing runs, nothing
renders).  Screenshots go to test-artifacts/screenshots/ii_a_*.png."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page

from cli.server import start_server, stop_server
from data import clock
from tests.fixtures.browser import (
    assert_clean,
    charts_drawn,
    grid,
    main_text,
    open_drawn,
    shot,
    title,
    wait_ready,
)
from tests.fixtures.databases import copy_of
from tests.fixtures.imports import HOSTILE, import_case

pytestmark = pytest.mark.browser

PAGES = [
    ("scorecard", "scorecard?period=2026Q3", "效能评估"),
    ("scorecard_drill", "scorecard?period=2026H1&dept=JH009&dim=process&indicator=on_time_rate", "效能评估"),
    ("weak_links", "weak-links?period=2026Q3", "短板清单"),
    ("weak_links_link", "weak-links?period=2026Q3&link=JH012.key_overdue_count", "短板清单"),
    ("cases", "cases?period=2026Q3", "案例线索"),
    ("cases_step", "cases?period=2026Q3&step=整改&kind=pending&case=XS202600009", "案例线索"),
    ("ledger", "ledger?period=2026Q3", "督查督办台账"),
    ("ledger_candidates", "ledger?period=custom&from=2025-01-01&to=2026-09-30&case=XS202600032", "督查督办台账"),
]


@pytest.fixture(scope="module")
def server(_demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard on this module's own demo database, plus one case with hostile text."""
    tmp = tmp_path_factory.mktemp("browser_ii_a")
    with copy_of(_demo_template, tmp) as url:
        import_case(url, tmp, summary=HOSTILE, responsible_person="<img src=x onerror=alert(1)>")
        proc, base = start_server(url)
        try:
            yield base
        finally:
            stop_server(proc)


@pytest.mark.parametrize("name, path, heading", PAGES, ids=[p[0] for p in PAGES])
def test_page_draws_clean(server: str, page: Page, name: str, path: str, heading: str) -> None:
    text = open_drawn(page, f"{server}/{path}", 3600 if "case=" in path or "drill" in name else 2600)
    assert title(page).startswith(heading)
    assert_clean(page, text)
    shot(page, f"ii_a_{name}")
    if name == "weak_links":
        for planted in ("区文化广电旅游体育局", "区应急管理局", "区住房城乡建设局", "区交通运输局", "区人力资源社会保障局"):
            assert planted in text
    if name == "ledger":
        headers, rows = grid(page, "整改时限")
        first = dict(zip(headers, rows[0], strict=False))
        # the planted key case was 30 days overdue at the default period's as_of (2026-09-30);
        # live work is judged at today (Asia/Shanghai), so it is that much later now
        late = (clock.today_local() - (date(2026, 9, 30) - timedelta(days=30))).days
        assert (first["提示"], first["部门名称"], first["逾期天数"]) == (f"逾期 {late} 天", "区应急管理局", str(late))
        assert [row[headers.index("提示")] for row in rows].count(f"逾期 {late} 天") == 1  # the only overdue key case
    if name == "cases_step":
        assert "整改逾期：已超过整改时限 30 天仍未完成整改。" in text
    if name == "ledger_candidates":
        assert "通报候选案例（共 6 件）" in text


def test_weak_links_meeting_workbook_is_built_on_click(server: str, page: Page) -> None:
    """会议材料 is made when its button is clicked (not on every run of the page), and it is
    the list shown: a workbook headed 市场准入效能短板清单 naming the period."""
    import io

    import openpyxl

    open_drawn(page, f"{server}/weak-links?period=2026Q3")
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="会议导出（Excel）").click()
    download = info.value
    assert download.suggested_filename == "会议材料_短板清单_2026年第三季度.xlsx"
    ws = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    assert ws["A1"].value == "市场准入效能短板清单"
    assert "2026年第三季度" in ws["A2"].value
    assert_clean(page, main_text(page))


def test_heatmap_cell_drills_down(server: str, page: Page) -> None:
    open_drawn(page, f"{server}/scorecard?period=2026Q3")
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    x, y = page.evaluate(
        """() => {
            const gd = document.querySelectorAll('.js-plotly-plot')[0];
            const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, r = gd.getBoundingClientRect();
            return [xa.l2p(xa.d2l('监管手段')) + xa._offset + r.left, ya.l2p(ya.d2l('区应急管理局')) + ya._offset + r.top];
        }""")
    page.mouse.click(x, y)
    page.wait_for_function("() => location.search.includes('dim=supervision')", timeout=30_000)
    page.wait_for_function("() => location.search.includes('dept=JH012')", timeout=30_000)
    wait_ready(page)
    charts_drawn(page)
    text = main_text(page)
    assert "以下为区应急管理局在“监管手段”维度的各项指标" in text
    assert_clean(page, text)
    shot(page, "ii_a_scorecard_clicked")


def test_hostile_case_text_is_shown_as_text(server: str, page: Page) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(str(dialog.message))
        dialog.dismiss()

    page.on("dialog", on_dialog)
    text = open_drawn(page, f"{server}/cases?period=2026Q3&case=XS209900001", 3600)
    assert HOSTILE in text  # every character as typed
    assert not dialogs
    main = page.locator("[data-testid='stMain']")
    assert not main.locator("script:not([src])").filter(has_text="alert").count()
    assert not main.locator("a[href='http://example.invalid']").count()
    assert not main.locator("img[src='x']").count()
    shot(page, "ii_a_cases_hostile")
    assert Path(__file__).parents[2].joinpath("test-artifacts", "screenshots", "ii_a_cases_hostile.png").exists()
