"""The single-application view in a real browser: a click on a row of the 差评清单 opens the
application below the table (its stage timeline drawn, the link in the URL), and an
``app=`` link opens a suspended, overdue application on 办事流程 with its limits drawn."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page

from tests.fixtures.browser import assert_clean, charts_drawn, open_drawn, shot, wait_ready

pytestmark = pytest.mark.browser

PERIOD = "2025Q3"


def _click_first_row(page: Page, key_prefix: str) -> None:
    """Click the row marker of the first data row of the table whose key starts with
    ``key_prefix`` (the grid is a canvas: the click lands where the row is drawn)."""
    grid = page.locator(f"[class*='st-key-{key_prefix}'] [data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.locator("canvas").first.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)  # header 35 px, row 35 px


def test_a_row_click_opens_the_application(server: str, page: Page) -> None:
    open_drawn(page, f"{server}/channels?period={PERIOD}")
    _click_first_row(page, "ch_bad")
    page.wait_for_url(re.compile(r"[?&]app="), timeout=30_000)
    wait_ready(page)
    timeline = page.locator(".st-key-ch_bad_app_timeline .js-plotly-plot")
    timeline.wait_for(timeout=30_000)
    charts_drawn(page)
    assert_clean(page)
    assert "办件详情" in page.locator("[data-testid='stMain']").inner_text()
    timeline.scroll_into_view_if_needed()
    shot(page, "application_view_channels")


def test_an_app_link_shows_suspension_and_limits(server: str, page: Page, demo_db_url: str) -> None:
    engine = sa.create_engine(demo_db_url)
    with engine.connect() as c:
        row = c.execute(sa.text(
            "select a.app_id, coalesce(a.dept_code, i.dept_code) as dept_code, a.item_code from applications a "
            "join service_items i on i.item_code = a.item_code where a.suspended_days > 0 "
            "and a.status = '已办结' and a.completed_at >= '2025-07-01' and a.completed_at < '2025-10-01' "
            "order by a.suspended_days desc, a.app_id limit 1")).one()
    engine.dispose()
    text = open_drawn(page, f"{server}/process?period={PERIOD}&dept={row.dept_code}&item={row.item_code}"
                            f"&app={row.app_id}", height=1200)
    page.locator(".st-key-pr_apps_app_timeline .js-plotly-plot").wait_for(timeout=30_000)
    assert_clean(page, text)
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "特别程序" in text and "承诺时限" in text
    cards = page.get_by_text(re.compile(r"^事项“.+”（.+办件）的核心指标"))  # the headline cards are the item's
    cards.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(shot(page, "item_cards").with_name("item_cards_viewport.png")))
    page.locator(".st-key-pr_apps_app_timeline").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(shot(page, "application_view_process").with_name("application_view_process_viewport.png")))
    page.set_viewport_size({"width": 390, "height": 900})
    wait_ready(page)
    page.locator(".st-key-pr_apps_app_timeline").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(shot(page, "application_view_phone").with_name("application_view_phone_viewport.png")))
