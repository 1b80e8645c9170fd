"""The 督办 loop in a real browser (issue 16's done-when): a red application on 预警中心 opened
by a digest's deep link, 催办 by the leader, seen at once by the department user; a joint
meeting recorded with two decisions, one completed, and the next meeting's deck (the PPTX
downloaded from 联席会议, read with python-pptx) showing both with their status."""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation

from cli.server import start_server, stop_server
from data import tasks
from data.accounts import ADMIN, LEADER, Principal
from data.db import Database
from data.frames import load_frames
from data.meetings import decisions_of, list_meetings
from metrics.alerts import AlertRequest, alert_board
from metrics.engine import MetricsEngine
from metrics.lights import APPLICATION, RED, today_local
from tests.fixtures.browser import assert_clean, main_text, open_drawn, shot, wait_ready
from tests.fixtures.browser import title as title_of

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(_demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, database URL) of the dashboard on a demo database of this module's own."""
    from tests.fixtures.databases import copy_of

    with copy_of(_demo_template, tmp_path_factory.mktemp("alerts_loop")) as url:
        proc, base = start_server(url)
        try:
            yield base, url
        finally:
            stop_server(proc)


def _settle(page: Any) -> None:
    wait_ready(page)
    wait_ready(page)


def _switch_role(page: Any, role: str, dept_name: str | None = None) -> None:
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("combobox", name="演示身份").click()
    page.get_by_role("option", name=role, exact=True).click()
    _settle(page)
    if dept_name:
        sidebar.get_by_role("combobox", name="演示部门").click()
        page.get_by_role("option", name=dept_name, exact=True).click()
        _settle(page)


def _go(page: Any, label: str, path: str) -> None:
    """Open a page through the sidebar (keeps the browser session, so the demo role)."""
    page.locator("[data-testid='stSidebar']").get_by_role("link", name=label).click()
    page.wait_for_url(re.compile(rf"/{path}(\?|$)"), timeout=30_000)
    _settle(page)


def test_red_application_urged_by_the_leader_seen_by_the_department(served: tuple[str, str], page: Any,
                                                                     browser: Any) -> None:
    base, url = served
    db = Database(url)
    with db.session() as s:
        board = alert_board(s, MetricsEngine(load_frames(s, None)).data, Principal("t", "t", LEADER), AlertRequest())
    db.dispose()
    red = next(i for i in board.select(kind=APPLICATION, light=RED))

    page.set_viewport_size({"width": 1440, "height": 1800})
    page.goto(f"{base}/alerts?dept={red.dept_code}&kind={APPLICATION}&id={red.item_id}")
    _settle(page)
    page.get_by_text("办件信息").wait_for(timeout=60_000)
    text = main_text(page)
    assert f"预警中心 · {red.dept_name}" in text
    assert f"按今日 {today_local().isoformat()}（北京时间）判定" in text
    assert red.item_id in text and "红灯" in text and "在办事流程中查看该事项" in text
    assert_clean(page, text.replace(red.item_id, ""))
    shot(page, "alerts_01_deep_link_1440")
    page.get_by_role("textbox", name="催办意见").fill("请于本周内办结，并书面说明超时原因")
    page.get_by_role("button", name="催办", exact=True).click()
    page.get_by_text("已催办（第 1 次）").wait_for(timeout=60_000)
    _settle(page)
    assert "请于本周内办结，并书面说明超时原因" in main_text(page)
    shot(page, "alerts_02_urged")
    _go(page, "总览", "")
    page.get_by_text("今日预警").wait_for(timeout=60_000)
    text = main_text(page)
    in_dept = board.select(dept=red.dept_code)  # the filter bar kept the deep link's department
    assert f"红灯 {sum(i.light == RED for i in in_dept)}" in text and "打开预警中心" in text
    shot(page, "alerts_02b_overview_today")

    ctx = browser.new_context(viewport={"width": 1440, "height": 1800}, locale="zh-CN")
    dept = ctx.new_page()
    try:
        open_drawn(dept, f"{base}/", 1800)
        _switch_role(dept, "部门用户", red.dept_name)
        _go(dept, "预警中心", "alerts")
        dept.get_by_text("本部门收到的催办").wait_for(timeout=60_000)
        text = main_text(dept)
        assert "本部门共收到催办 1 次" in text and f"预警中心 · {red.dept_name}" in text
        assert_clean(dept, text)
        shot(dept, "alerts_03_department_sees_urging")
        dept.set_viewport_size({"width": 390, "height": 2400})
        _settle(dept)
        shot(dept, "alerts_04_department_phone_390")
        dept.set_viewport_size({"width": 1440, "height": 1800})
        _go(dept, "部门自查", "self-check")
        dept.get_by_text("请于本周内办结，并书面说明超时原因").first.wait_for(timeout=60_000)
        shot(dept, "alerts_05_self_check_urging")
    finally:
        ctx.close()


def _fill_decision(page: Any, n: int, content: str, unit: str, responsible: str) -> None:
    page.get_by_role("textbox", name="事项内容").nth(n).fill(content)
    page.get_by_role("combobox", name="责任单位").nth(n).click()
    page.get_by_role("option", name=unit, exact=True).click()
    page.get_by_role("textbox", name="责任人", exact=True).nth(n).fill(responsible)


def test_meeting_with_two_decisions_one_done_reviewed_by_the_next_deck(served: tuple[str, str], page: Any,
                                                                      tmp_path: Path) -> None:
    base, url = served
    page.set_viewport_size({"width": 1440, "height": 2200})
    open_drawn(page, f"{base}/", 2200)
    _switch_role(page, "管理员")
    _go(page, "联席会议", "meetings")
    page.get_by_role("textbox", name="召集人").fill("区发展改革局")
    page.get_by_role("combobox", name="参会成员单位").click()
    page.get_by_role("option", name="区发展改革局", exact=True).click()
    page.keyboard.press("Escape")
    _fill_decision(page, 0, "压缩施工许可审查环节用时", "区住房城乡建设局", "张三")
    _fill_decision(page, 1, "清理市场准入隐性门槛", "区发展改革局", "李四")
    shot(page, "alerts_06_meeting_form")
    page.get_by_role("button", name="登记会议并保存汇报材料").click()
    page.get_by_text("议定事项 2 项已转为整改任务").wait_for(timeout=180_000)
    _settle(page)
    assert_clean(page)

    db = Database(url)
    with db.session() as s:
        [meeting] = list_meetings(s)
        first, second = decisions_of(s, meeting.id)
        tasks.update_task(s, Principal("admin", "管理员", ADMIN), first.task_id, expected_version=1,
                          status=tasks.DONE, note="审查环节已压缩至 2 个工作日")
    db.dispose()

    _go(page, "预警中心", "alerts")
    _go(page, "联席会议", "meetings")
    page.get_by_text("议定事项 2 项，已完成 1 项。").wait_for(timeout=60_000)
    assert_clean(page)
    shot(page, "alerts_07_meetings_list")
    with page.expect_download(timeout=180_000) as info:
        page.get_by_role("button", name="下载下次会议汇报材料（PPTX）").click()
    prs = Presentation(BytesIO(Path(info.value.path()).read_bytes()))
    slide = prs.slides[1]
    cells = [c.text for sh in slide.shapes if sh.has_table for row in sh.table.rows for c in row.cells]
    words = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert f"上次联席会议议定事项落实情况（{meeting.held_on:%Y-%m-%d}）" in words
    rows = [cells[i:i + 5] for i in range(0, len(cells), 5)]
    assert rows[1][1:3] + rows[1][4:] == ["压缩施工许可审查环节用时", "区住房城乡建设局", "已完成"]
    assert rows[2][1:3] + rows[2][4:] == ["清理市场准入隐性门槛", "区发展改革局", "待整改（绿灯）"]
    assert "议定事项 2 项，已完成 1 项，未完成 1 项" in words
    assert first.content == "压缩施工许可审查环节用时" and second.content == "清理市场准入隐性门槛"
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{base}/present?slide=2")
    _settle(page)
    page.get_by_text("已完成 1 项，未完成 1 项").wait_for(timeout=60_000)
    heading = page.locator("[data-testid='stMain'] h1").first.inner_text()
    assert heading.startswith(f"上次联席会议议定事项落实情况（{meeting.held_on:%Y-%m-%d}）")  # the slide after the cover
    assert_clean(page)
    shot(page, "alerts_08_present_review_1920x1080")


def test_a_count_selected_shows_its_list(served: tuple[str, str], page: Any) -> None:
    from dashboard.labels import t

    base, url = served
    db = Database(url)
    with db.session() as s:
        board = alert_board(s, MetricsEngine(load_frames(s, None)).data, Principal("t", "t", LEADER), AlertRequest())
    db.dispose()
    first = board.counts()[0]
    page.set_viewport_size({"width": 1440, "height": 1800})
    page.goto(f"{base}/alerts")
    _settle(page)
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.locator("canvas").first.wait_for(timeout=60_000)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection box
    page.wait_for_url(re.compile(rf"kind={first.kind}"), timeout=30_000)
    _settle(page)
    n = first.red + first.yellow + first.green
    page.get_by_text(f"{first.dept_name} · {t(f'alerts.kind_{first.kind}')} · 全部：共 {n} 项").wait_for(timeout=60_000)
    assert f"dept={first.dept_code}" in page.url and title_of(page) == f"预警中心 · {first.dept_name}"
    shot(page, "alerts_09_count_selected")
