"""部门自查 in a real browser as a department user: the radar's legend names the department
and 全区, and the report downloaded from the page (PPTX, read with python-pptx) holds the
department's 排查 of the period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from sqlalchemy import select

from cli.server import start_server, stop_server
from data.accounts import DEPT_USER, Principal
from data.db import Database
from data.schema import CONTRACT
from data.self_checks import Finding, submit
from tests.fixtures.browser import assert_clean, charts_drawn, main_text, shot, wait_ready

pytestmark = pytest.mark.browser
DEPT = "JH009"


@pytest.fixture(scope="module")
def served(_demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, department name) of the dashboard on a demo database of this module's own,
    where the department filed its 2026Q3 排查 with one finding."""
    from tests.fixtures.databases import copy_of

    with copy_of(_demo_template, tmp_path_factory.mktemp("self_check")) as url:
        db = Database(url)
        with db.session() as s:
            d = CONTRACT["departments"].c
            name = str(s.execute(select(d.dept_name).where(d.dept_code == DEPT)).scalar_one())
            submit(s, Principal("zj", "住建填报员", DEPT_USER, DEPT), dept=DEPT, period="2026Q3",
                   prohibited_approved=False, licensed_violations=False, hidden_barriers=True,
                   scope_note="本系统全部许可事项", findings=[Finding("违规设置隐性壁垒", "要求外地企业在本地设立分支机构")],
                   today=dt.date(2026, 10, 9))
        db.dispose()
        proc, base = start_server(url)
        try:
            yield base, name
        finally:
            stop_server(proc)


def _pick(page: Any, label: str, option: str) -> None:
    page.locator("[data-testid='stSidebar']").get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_ready(page)
    wait_ready(page)


def test_department_sees_the_district_on_its_radar_and_downloads_its_report(
        served: tuple[str, str], page: Any) -> None:
    base, name = served
    page.set_viewport_size({"width": 1440, "height": 2600})
    page.goto(f"{base}/self-check?period=2026Q3")
    wait_ready(page)
    _pick(page, "演示身份", "部门用户")
    _pick(page, "演示部门", name)
    page.get_by_text(f"{name}得分与全区对比").wait_for(timeout=60_000)
    charts_drawn(page)
    radar = page.locator(".js-plotly-plot").filter(has_text="五维得分")
    legend = radar.locator(".legend .traces .legendtext").all_text_contents()  # SVG text
    assert legend == [name, "全区"]
    text = main_text(page)
    assert_clean(page, text)
    shot(page, "self_check_01_department_radar_1440")
    page.set_viewport_size({"width": 390, "height": 2400})
    wait_ready(page)
    charts_drawn(page)
    assert radar.locator(".legend .traces .legendtext").all_text_contents() == [name, "全区"]
    shot(page, "self_check_02_department_radar_390")
    page.set_viewport_size({"width": 1440, "height": 2600})
    wait_ready(page)

    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="下载本部门报告（PPTX）").click()
    assert download.value.suggested_filename.endswith(".pptx") and name in download.value.suggested_filename
    prs = Presentation(BytesIO(Path(download.value.path()).read_bytes()))
    slides = ["\n".join(c.text for sh in s.shapes if sh.has_table for row in sh.table.rows for c in row.cells)
              for s in prs.slides]
    answers = next(s for s in slides if "排查范围与方法" in s)
    assert "本系统全部许可事项" in answers and "本期是否存在违规设置市场准入隐性壁垒\n是" in answers
    assert any("要求外地企业在本地设立分支机构" in s and "ZC-JH009-2026Q3-01" in s for s in slides)
