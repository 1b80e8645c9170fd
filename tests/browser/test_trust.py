"""Real browser, as `market-access serve` runs it (sign-in required) on the demo data ending
2026-10-30: live tasks judged at today (issue 13 §1), 数据截至 and an incomplete period
left unscored (§2), and a shared drilled link that survives sign-in — in Chinese, landing
exactly on the link, or saying 无权访问 for a role that may not open it (§5)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import urlparse

import pytest

from cli.server import start_server, stop_server
from data import accounts, clock
from data import tasks as task_store
from data.accounts import ADMIN, DEPT_USER, LEADER, Principal
from data.db import Database
from tests.fixtures.browser import assert_clean, main_text, shot, title, wait_ready

pytestmark = pytest.mark.browser

LINK = "/ledger?period=2026Q3&case=XS202600009"  # 区应急管理局's overdue key case, drilled


@pytest.fixture(scope="module")
def secure_server(_demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard with sign-in, a leader, a department user and one task due 3 days ago."""
    from tests.fixtures.databases import copy_of

    with copy_of(_demo_template, tmp_path_factory.mktemp("trust")) as url:
        db = Database(url)
        with db.session() as s:
            accounts.add_user(s, "leader", "Lv8-Granite-Hill", LEADER, display_name="区领导")
            accounts.add_user(s, "admin", "Qm4-Delta-River", ADMIN, display_name="发改局管理员")
            accounts.add_user(s, "wenlv", "Kx7-Harbour-Lane", DEPT_USER, dept="JH010", display_name="文广旅体局联络员")
            task_store.create_task(s, Principal("admin", "管理员", ADMIN), title="压缩审查时限", dept="JH009",
                                   responsible="张三", deadline=clock.today_local() - timedelta(days=3),
                                   requirement="审查环节压缩至3个工作日")
        db.dispose()
        proc, base = start_server(url, demo=False)
        try:
            yield base
        finally:
            stop_server(proc)


def _sign_in(page: object, user: str, password: str) -> None:
    page.get_by_label("用户名").fill(user)  # type: ignore[attr-defined]
    page.get_by_label("密码").fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="登录").click()  # type: ignore[attr-defined]


def test_a_shared_link_opens_after_sign_in(secure_server: str, page: object) -> None:
    page.goto(secure_server + LINK)  # type: ignore[attr-defined]  # a fresh browser: signed out
    wait_ready(page)
    text = str(page.locator("body").inner_text())  # type: ignore[attr-defined]
    assert "Page not found" not in text and "登录" in title(page)
    assert "登录后将直接打开您收到的链接：督查督办台账" in text
    shot(page, "trust_link_sign_in")
    _sign_in(page, "leader", "Lv8-Granite-Hill")
    page.wait_for_function("() => document.querySelector(\"[data-testid='stMain'] h1\")"  # type: ignore[attr-defined]
                           "?.innerText.startsWith('督查督办台账')", timeout=60_000)
    wait_ready(page)
    url = urlparse(page.url)  # type: ignore[attr-defined]
    assert url.path == "/ledger" and "case=XS202600009" in url.query and "period=2026Q3" in url.query
    text = main_text(page)
    assert "XS202600009" in text and "Page not found" not in str(page.locator("body").inner_text())  # type: ignore[attr-defined]
    assert f"状态按今天 {clock.today_local():%Y-%m-%d} 判定" in text
    assert_clean(page)
    shot(page, "trust_link_landed")


def test_a_link_the_role_may_not_open_says_so(secure_server: str, page: object) -> None:
    page.goto(secure_server + "/users")  # type: ignore[attr-defined]  # 用户管理: administrators only
    wait_ready(page)
    _sign_in(page, "wenlv", "Kx7-Harbour-Lane")
    page.get_by_text("无权访问").first.wait_for(timeout=60_000)  # type: ignore[attr-defined]
    wait_ready(page)
    body = str(page.locator("body").inner_text())  # type: ignore[attr-defined]
    assert "当前账户无权访问此页面" in body and "Page not found" not in body
    assert title(page) == "无权访问"  # at the link's own address: the refusal page (logged), not 用户管理
    assert urlparse(page.url).path == "/users"  # type: ignore[attr-defined]
    shot(page, "trust_link_forbidden")


def _open_signed_in(page: object, url: str) -> str:
    """Open ``url`` in a fresh session (signed out), sign in as the leader there and wait
    until the page is drawn; the main area's text."""
    page.set_viewport_size({"width": 1440, "height": 2400})  # type: ignore[attr-defined]
    page.goto(url)  # type: ignore[attr-defined]
    wait_ready(page)
    _sign_in(page, "leader", "Lv8-Granite-Hill")
    page.wait_for_function("() => !document.querySelector(\"[data-testid='stMain'] h1\")"  # type: ignore[attr-defined]
                           "?.innerText.includes('登录')", timeout=60_000)
    wait_ready(page)
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => [...document.querySelectorAll(\"[data-testid='stDataFrame']\")].every(d => d.querySelector('canvas'))",
        timeout=60_000)
    return main_text(page)


def test_tasks_are_judged_at_today(secure_server: str, page: object) -> None:
    text = _open_signed_in(page, f"{secure_server}/tasks?period=2026Q3")
    assert title(page) == "整改任务"
    assert f"状态按今天 {clock.today_local():%Y-%m-%d} 判定" in text
    # the task due three days ago is overdue today, whatever period the filter shows
    metrics = page.locator("[data-testid='stMetric']")  # type: ignore[attr-defined]
    metrics.filter(has_text="逾期未完成").first.wait_for(timeout=60_000)
    cards = [metrics.nth(i).inner_text() for i in range(metrics.count())]
    overdue = [c for c in cards if c.startswith("逾期未完成")]
    assert overdue and overdue[0].split()[-1] == "1", cards
    assert_clean(page)
    shot(page, "trust_tasks_today")


def test_a_period_beyond_the_data_is_marked_and_not_scored(secure_server: str, page: object) -> None:
    text = _open_signed_in(page, f"{secure_server}/overview?period=2026-10")
    assert "数据截至 2026-10-30" in text and "数据不完整" in text and "不生成短板" in text
    assert "当前时段未发现短板" not in text and "共 " not in text.split("主要短板")[-1]
    assert "较上期（2026年9月）" in text and "同比（2025年10月）" in text
    assert_clean(page)
    shot(page, "trust_incomplete_period")
    page.set_viewport_size({"width": 390, "height": 2400})  # type: ignore[attr-defined]
    page.wait_for_timeout(800)  # type: ignore[attr-defined]  # the layout reflows
    shot(page, "trust_incomplete_phone")
