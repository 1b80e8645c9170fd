"""The whole path of a public feedback in real browsers (issue 17): a business submits on the
public site at phone width; the administrator, signed in to the dashboard (`market-access
serve` with accounts), transfers it to 区住房城乡建设局 from 案例线索; that department's user
verifies it, records the rectification and reports back; the administrator closes it and
publishes the reply; the business reads the reply with its 查询码.  On the way: script typed
into the public form comes back as text on the dashboard's case page, and the department's
线索按时转办率 moves as indicators.md says (the case, transferred the day it came in, joins
both the due cases and the ones transferred within 5 working days) — in metrics and on the page.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cli.server import free_port, start_server, stop_server
from dashboard.kit.indicator_text import fmt
from data import accounts
from data.accounts import ADMIN, DEPT_USER
from data.case_rows import read_case, today_local
from data.db import Database
from data.frames import load_frames
from feedback.config import SECRET_ENV
from metrics.engine import MetricsEngine
from metrics.periods import parse_period_key
from metrics.results import MetricsRequest
from metrics.scoping import request_scope
from metrics.supervision import transfer_population, transferred_in_time
from tests.fixtures.browser import ROOT, assert_clean, main_text, shot, wait_ready
from tests.fixtures.feedback import SECRET, captcha_answer

pytestmark = pytest.mark.browser
UNIT, UNIT_NAME = "JH009", "区住房城乡建设局"
SCRIPT = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
REPLY = "您反映的问题经核查属实，已责成区住房城乡建设局取消额外证明材料要求并更新办事指南。"
RATE = "transfer_on_time_rate"


@dataclass(frozen=True)
class Servers:
    dashboard: str
    site: str
    db_url: str
    home: Path


def _start_site(db_url: str, home: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, SECRET_ENV: SECRET.decode(), "MARKET_ACCESS_HOME": str(home), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "cli", "--db", db_url, "feedback-site", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/", timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "feedback site did not start") from None
            time.sleep(0.2)


@pytest.fixture(scope="module")
def servers(_demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """The dashboard with sign-in (an administrator and a 住建 user) and the public feedback
    site, both on one demo database of this module's own."""
    from tests.fixtures.databases import copy_of

    tmp = tmp_path_factory.mktemp("feedback_path")
    with copy_of(_demo_template, tmp) as url:
        db = Database(url)
        with db.session() as s:
            accounts.add_user(s, "admin", "Qm4-Delta-River", ADMIN, display_name="发改局管理员")
            accounts.add_user(s, "zhujian", "Kx7-Harbour-Lane", DEPT_USER, dept=UNIT, display_name="住建局联络员")
        db.dispose()
        dash, dash_base = start_server(url, demo=False)
        try:
            site, site_base = _start_site(url, tmp / "home")
            try:
                yield Servers(dash_base, site_base, url, tmp / "home")
            finally:
                site.terminate()
                site.wait(10)
        finally:
            stop_server(dash)


@dataclass(frozen=True)
class Figure:
    rate: float | None
    due: int
    on_time: int
    counts_case: bool  # the case is among the department's due cases


def transfer_figure(db_url: str, case_id: str, period_key: str, as_of: dt.date) -> Figure:
    """The department's 线索按时转办率 for the period at ``as_of``, its due and on-time counts."""
    period = parse_period_key(period_key)
    assert period is not None
    db = Database(db_url)
    try:
        with db.session() as s:
            engine = MetricsEngine(load_frames(s))
    finally:
        db.dispose()
    request = MetricsRequest(period.start, period.end, as_of, UNIT)
    rate = engine.compute(request).departments[UNIT][RATE]
    scope = request_scope(engine, request)
    frame = engine.data.cases.frame
    due = transfer_population(scope) & (frame["dept_code"] == UNIT).to_numpy(dtype=bool)
    on_time = due & transferred_in_time(scope)
    return Figure(None if rate is None else float(rate), int(due.sum()), int(on_time.sum()),  # type: ignore[arg-type]
                  bool((frame["case_id"].to_numpy()[due] == case_id).any()))


def _case_status(db_url: str, case_id: str) -> str:
    db = Database(db_url)
    try:
        with db.session() as s:
            row = read_case(s, case_id)
    finally:
        db.dispose()
    assert row is not None
    return str(row["status"])


def _submit_feedback(browser: object, site: str, db_url: str) -> tuple[str, str]:
    """A business reports a problem at phone width; its 受理编号 and 查询码."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",  # type: ignore[attr-defined]
                              is_mobile=True, has_touch=True, device_scale_factor=2)
    page = ctx.new_page()
    db = Database(db_url)
    try:
        page.goto(site + "/")
        page.fill("#reporter", "江门市某某建材有限公司")
        page.fill("#phone", "13800138000")
        page.select_option("#problem_type", "违规设置隐性壁垒")
        page.select_option("#sub_type", "另设条件")
        page.fill("#item_concerned", "建筑工程施工许可")
        page.fill("#description", f"办理施工许可时被要求额外提供法规以外的证明材料。{SCRIPT}")
        page.fill("#captcha", captcha_answer(db, page.input_value("input[name=token]")))
        page.click("button[type=submit]")
        page.wait_for_selector("#case-id")
        case_id, code = page.inner_text("#case-id").strip(), page.inner_text("#lookup-code").strip()
        shot(page, "feedback_path_receipt_390")
        return case_id, code
    finally:
        db.dispose()
        ctx.close()


def _signed_in(browser: object, servers: Servers, user: str, password: str, query: str, case_id: str) -> object:
    """A dashboard tab signed in as ``user`` on 案例线索 with the URL's ``query`` (filters), the
    case opened from the top row of the user's 待办 list (the newest case waiting for it)."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 2400}, locale="zh-CN")  # type: ignore[attr-defined]
    page = ctx.new_page()
    dialogs: list[str] = []

    def on_dialog(d: object) -> None:  # a script that ran would open one
        dialogs.append(str(d.message))  # type: ignore[attr-defined]
        d.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", on_dialog)
    page._ma_dialogs = dialogs  # type: ignore[attr-defined]
    page.goto(f"{servers.dashboard}/?{query}")
    wait_ready(page)
    page.keyboard.press("Escape")  # the "page not found" notice of a deep link before sign-in
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.locator("[data-testid='stMain'] h1", has_text="总览").wait_for(timeout=60_000)
    wait_ready(page)  # the filter bar has taken the URL's filters into the session
    page.locator("[data-testid='stSidebarNav'] a", has_text="案例线索").click(timeout=60_000)
    page.locator("[data-testid='stMain'] h1", has_text="案例线索").wait_for(timeout=60_000)
    wait_ready(page)
    todo = page.locator("[data-testid='stDataFrame']").first
    box = todo.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection box
    page.get_by_text("办理记录").first.wait_for(timeout=60_000)
    wait_ready(page)
    page.get_by_text(f"{case_id} · ").first.wait_for(timeout=10_000)  # the case detail is this case's
    return page


def _step(page: object, tab: str | None, fills: dict[str, str], button: str, case_id: str, done: str) -> None:
    """Open the step's tab, fill its form, submit, and wait for the page to show the new status."""
    if tab is not None:
        page.get_by_role("tab", name=tab, exact=True).click()  # type: ignore[attr-defined]
    for label, value in fills.items():
        page.locator(f"textarea[aria-label='{label}']:visible").fill(value)  # type: ignore[attr-defined]
    page.get_by_role("button", name=button, exact=True).click()  # type: ignore[attr-defined]
    page.get_by_text(f"线索 {case_id} 已{done}").first.wait_for(timeout=90_000)  # type: ignore[attr-defined]
    wait_ready(page)


def _kpi(page: object, label: str) -> str:
    card = page.locator("[data-testid='stMetric']", has_text=label).first  # type: ignore[attr-defined]
    return str(card.locator("[data-testid='stMetricValue']").inner_text()).strip()


def test_feedback_transfer_verify_close_reply(servers: Servers, browser: object) -> None:
    today = today_local()
    period = str(today.year)
    case_id, code = _submit_feedback(browser, servers.site, servers.db_url)
    assert _case_status(servers.db_url, case_id) == "待转办"
    before = transfer_figure(servers.db_url, case_id, period, today)
    assert not before.counts_case  # received today, with the convener, not yet due anywhere
    query = f"period={period}&asof={today:%Y-%m-%d}&dept={UNIT}"

    # the administrator transfers it to 区住房城乡建设局
    admin = _signed_in(browser, servers, "admin", "Qm4-Delta-River", query, case_id)
    assert _kpi(admin, "线索按时转办率") == fmt(RATE, before.rate)
    text = main_text(admin)
    assert SCRIPT in text  # the public form's script comes back as text
    assert admin.locator("[data-testid='stMain'] img[src='x']").count() == 0  # type: ignore[attr-defined]
    assert "我的待办线索" in text and case_id in text
    admin.locator("[data-testid='stSelectbox']", has_text="转办至责任单位").locator(  # type: ignore[attr-defined]
        "input").click()
    admin.keyboard.type(UNIT_NAME)  # type: ignore[attr-defined]  # the long list filters as one types
    admin.get_by_role("option", name=UNIT_NAME, exact=True).click()  # type: ignore[attr-defined]
    _step(admin, None, {}, "确认转办", case_id, "转办")
    shot(admin, "feedback_path_transferred_1440")
    assert _case_status(servers.db_url, case_id) == "已转办"

    after = transfer_figure(servers.db_url, case_id, period, today)
    assert after.counts_case
    assert (after.due, after.on_time) == (before.due + 1, before.on_time + 1)
    assert after.rate == pytest.approx((before.on_time + 1) / (before.due + 1))
    admin.locator("[data-testid='stMetric']", has_text="线索按时转办率").locator(  # type: ignore[attr-defined]
        "[data-testid='stMetricValue']", has_text=fmt(RATE, after.rate)).wait_for(timeout=60_000)
    assert_clean(admin)
    assert admin._ma_dialogs == []  # type: ignore[attr-defined]
    admin.context.close()  # type: ignore[attr-defined]

    # the department verifies, rectifies and reports back
    unit = _signed_in(browser, servers, "zhujian", "Kx7-Harbour-Lane", f"period={period}&asof={today:%Y-%m-%d}",
                      case_id)
    assert SCRIPT in main_text(unit)
    _step(unit, "核查", {"核查情况": "经核查，确有窗口要求额外提供证明材料的情况。"}, "提交核查结论", case_id, "核查")
    assert _case_status(servers.db_url, case_id) == "整改中"
    _step(unit, "整改", {"处理及整改情况": "已取消该要求，更新办事指南并对窗口人员开展培训。"}, "确认整改完成", case_id, "整改")
    _step(unit, "反馈", {"反馈内容（核查和办理情况）": "核查属实，已整改完毕。"}, "反馈办理结果", case_id, "反馈")
    assert "当前状态下您没有可办理的步骤。" in main_text(unit)
    shot(unit, "feedback_path_reported_1440")
    unit.set_viewport_size({"width": 390, "height": 1400})  # type: ignore[attr-defined]
    wait_ready(unit)
    unit.get_by_text("办理状态：").first.scroll_into_view_if_needed()  # type: ignore[attr-defined]
    assert unit.evaluate("document.documentElement.scrollWidth") <= 390  # type: ignore[attr-defined]
    shot(unit, "feedback_path_reported_390")
    assert_clean(unit)
    assert unit._ma_dialogs == []  # type: ignore[attr-defined]
    unit.context.close()  # type: ignore[attr-defined]

    # the administrator closes it and publishes the reply
    admin = _signed_in(browser, servers, "admin", "Qm4-Delta-River", query, case_id)
    _step(admin, "办结", {}, "确认办结", case_id, "办结")
    assert _case_status(servers.db_url, case_id) == "已办结"
    _step(admin, "发布答复", {"答复内容（反映人凭受理编号和查询码查看）": REPLY}, "发布答复", case_id, "发布答复")
    text = main_text(admin)
    assert REPLY in text and "已发布的答复" in text
    for step in ("受理", "转办", "核查", "整改", "反馈", "办结", "发布答复"):
        assert step in text
    shot(admin, "feedback_path_published_1440")
    assert_clean(admin)
    assert admin._ma_dialogs == []  # type: ignore[attr-defined]
    admin.context.close()  # type: ignore[attr-defined]

    # the business reads the reply with its 查询码
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",  # type: ignore[attr-defined]
                              is_mobile=True, has_touch=True, device_scale_factor=2)
    page = ctx.new_page()
    try:
        page.goto(servers.site + "/")
        page.click("text=进度查询")
        page.wait_for_selector("#case_id")
        page.fill("#case_id", case_id)
        page.fill("#code", code)
        page.click("button[type=submit]")
        page.wait_for_selector("#status")
        assert page.inner_text("#status") == "已办结"
        assert REPLY in page.inner_text("#reply")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot(page, "feedback_path_reply_390")
    finally:
        ctx.close()
