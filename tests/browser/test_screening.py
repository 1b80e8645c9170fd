"""隐性壁垒筛查 in a real browser: from the overview's count of open signals to the page, open
a signal by clicking its row, see both groups' applications (the downloaded records hold
外地 and 本地 rows), turn it into a case with one click, and find that case in 案例线索."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from data.db import Database
from data.frames import load_frames
from metrics.engine import MetricsEngine
from metrics.results import MetricsRequest
from report.deck import build_deck
from report.screening import TITLE as SIGNAL_SLIDE
from tests.fixtures.browser import SHOTS, assert_clean, main_text, open_drawn, shot, title, wait_ready

pytestmark = pytest.mark.browser


def _click_first_row(page: object, key_prefix: str) -> None:
    """Click the row marker of the first data row of the table whose key starts with ``key_prefix``
    (the grid is a canvas: the click lands where the row is drawn)."""
    grid = page.locator(f"[class*='st-key-{key_prefix}'] [data-testid='stDataFrame']").first  # type: ignore[attr-defined]
    grid.scroll_into_view_if_needed()
    canvas = grid.locator("canvas").first
    box = canvas.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)  # type: ignore[attr-defined]  # header 35 px, row 35 px


def _viewport_shot(page: object, anchor: object, name: str) -> None:
    """A screenshot of the viewport with ``anchor`` scrolled into view (below a full-page shot's reach)."""
    anchor.scroll_into_view_if_needed()  # type: ignore[attr-defined]
    page.wait_for_timeout(500)  # type: ignore[attr-defined]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))  # type: ignore[attr-defined]


def test_from_overview_count_to_a_case_in_cases(server: str, page: object) -> None:
    text = open_drawn(page, f"{server}/?period=2025")
    assert title(page).startswith("总览")
    tile = page.locator(".st-key-ov_screening")  # type: ignore[attr-defined]
    assert tile.locator("[data-testid='stMetricValue']").inner_text().strip() == "5"
    assert "待处理隐性壁垒线索" in text
    tile.get_by_role("link", name="查看隐性壁垒筛查").click()
    page.wait_for_url(re.compile(r"/screening"), timeout=30_000)  # type: ignore[attr-defined]
    wait_ready(page)
    assert title(page) == "隐性壁垒筛查 · 全区"
    text = main_text(page)
    assert "不是认定结论" in text and "外地主体不予受理/不予许可率偏高" in text
    assert_clean(page)
    shot(page, "screening_list_1440")

    _click_first_row(page, "scr_list_nonlocal_rejection")
    page.wait_for_function("() => location.search.includes('signal=nonlocal_rejection')", timeout=30_000)  # type: ignore[attr-defined]
    wait_ready(page)
    page.locator("[class*='st-key-scr_records'] [data-testid='stDataFrame'] canvas").first.wait_for(timeout=30_000)  # type: ignore[attr-defined]
    text = main_text(page)
    assert "公共场所卫生许可证核发（新办）" in text
    counts = re.search(r"共 (\d+) 件：外地主体 (\d+) 件，本地主体 (\d+) 件", text)
    assert counts is not None and int(counts[2]) > 0 and int(counts[3]) > 0
    assert int(counts[1]) == int(counts[2]) + int(counts[3])
    page.locator(".st-key-scr_chart .js-plotly-plot").wait_for(timeout=30_000)  # type: ignore[attr-defined]
    # both groups' applications: the records as downloaded
    with page.expect_download() as download:  # type: ignore[attr-defined]
        page.locator(".st-key-scr_rec_dl_csv button").click()  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == int(counts[1])
    assert sum(r["主体类别"] == "外地" for r in rows) == int(counts[2])
    assert sum(r["主体类别"] == "本地" for r in rows) == int(counts[3])
    assert {r["事项名称"] for r in rows} == {"公共场所卫生许可证核发（新办）"}
    page.wait_for_timeout(1500)  # type: ignore[attr-defined]  # let the chart draw
    assert_clean(page)
    shot(page, "screening_signal_1440")

    page.get_by_role("button", name="转为问题线索").click()  # type: ignore[attr-defined]
    done = page.get_by_role("button", name=re.compile(r"已转为线索 SCR-\d{4}-\d{4}"))  # type: ignore[attr-defined]
    done.wait_for(timeout=60_000)
    assert done.is_disabled()
    case_id = re.search(r"SCR-\d{4}-\d{4}", done.inner_text())[0]  # type: ignore[index]
    wait_ready(page)
    assert "该线索已转为问题线索（当前状态：待转办）" in main_text(page)
    _viewport_shot(page, page.locator(".st-key-scr_case_row"), "screening_case_made_1440")
    page.get_by_role("link", name=f"在案例线索中查看 {case_id}").click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(rf"/cases\?.*case={case_id}"), timeout=60_000)  # type: ignore[attr-defined]
    wait_ready(page)
    page.wait_for_function(  # type: ignore[attr-defined]
        "(id) => document.querySelector('[data-testid=\"stMain\"]').innerText.includes(id + ' · ')", arg=case_id,
        timeout=60_000)
    text = main_text(page)
    assert title(page).startswith("案例线索")
    assert f"{case_id} · 区卫生健康局" in text
    assert "隐性壁垒筛查线索（待核实，非认定结论）" in text
    assert_clean(page)
    _viewport_shot(page, page.get_by_text(f"{case_id} · 区卫生健康局").first, "screening_case_in_cases")


def test_screening_page_on_a_phone(server: str, page: object) -> None:
    page.set_viewport_size({"width": 390, "height": 844})  # type: ignore[attr-defined]
    page.goto(f"{server}/screening?period=2025&signal=nonlocal_time:440704-XK-0412-01")  # type: ignore[attr-defined]
    wait_ready(page)
    page.locator(".st-key-scr_chart .js-plotly-plot").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    page.wait_for_timeout(1500)  # type: ignore[attr-defined]
    assert title(page) == "隐性壁垒筛查 · 全区"
    assert "特种设备使用登记（新办）" in main_text(page)
    assert_clean(page)
    shot(page, "screening_signal_390")
    _viewport_shot(page, page.locator(".st-key-scr_chart"), "screening_chart_390")
    _viewport_shot(page, page.locator("[class*='st-key-scr_list_nonlocal_time']"), "screening_list_390")


def test_signal_slide_in_presentation_mode(server: str, page: object, demo_db_url: str) -> None:
    """The deck's 隐性壁垒筛查线索 slide on a 1920×1080 projector, in 汇报模式."""
    db = Database(demo_db_url)
    try:
        with db.session() as session:
            engine = MetricsEngine(load_frames(session))
    finally:
        db.dispose()
    deck = build_deck(engine, MetricsRequest(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    number = next(i for i, s in enumerate(deck.slides, start=1) if s.title.startswith(SIGNAL_SLIDE))
    page.set_viewport_size({"width": 1920, "height": 1080})  # type: ignore[attr-defined]
    page.goto(f"{server}/present?period=2025&slide={number}")  # type: ignore[attr-defined]
    wait_ready(page)
    page.wait_for_timeout(1500)  # type: ignore[attr-defined]
    assert title(page).startswith(SIGNAL_SLIDE)
    text = main_text(page)
    assert "公共场所卫生许可证核发（新办）" in text and "文物商店设立审批" in text and "不是认定结论" in text
    assert_clean(page)
    page.screenshot(path=str(SHOTS / "screening_slide_1920.png"))  # type: ignore[attr-defined]
