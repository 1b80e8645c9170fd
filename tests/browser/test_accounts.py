"""Real browser: sign-in, lockout, and a department user who opens another department's deep
link or download gets nothing of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from cli.server import start_server, stop_server
from data import accounts
from data.accounts import ADMIN, DEPT_USER
from data.db import Database
from tests.fixtures.browser import shot, wait_ready
from tests.fixtures.databases import copy_of

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def secure_server(_demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard as `market-access serve` runs it (sign-in required), with two accounts."""
    with copy_of(_demo_template, tmp_path_factory.mktemp("secure")) as url:
        db = Database(url)
        with db.session() as s:
            accounts.add_user(s, "wenlv", "Kx7-Harbour-Lane", DEPT_USER, dept="JH010", display_name="文广旅体局联络员")
            accounts.add_user(s, "admin", "Qm4-Delta-River", ADMIN, display_name="发改局管理员")
        db.dispose()
        proc, base = start_server(url, demo=False)
        try:
            yield base
        finally:
            stop_server(proc)


def _sign_in(page: Page, user: str, password: str) -> None:
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_sign_in_page_then_lockout(secure_server: str, page: Page) -> None:
    page.goto(secure_server)
    wait_ready(page)
    assert "登录" in page.locator("h1").first.inner_text()
    for _ in range(5):
        _sign_in(page, "admin", "wrong-password9")
        wait_ready(page)
    page.get_by_text("账户已锁定").first.wait_for(timeout=20_000)
    shot(page, "accounts_lockout")
    _sign_in(page, "admin", "Qm4-Delta-River")
    wait_ready(page)
    assert page.get_by_text("账户已锁定").count() > 0


def test_department_user_cannot_reach_another_department(secure_server: str, page: Page) -> None:
    # a deep link to another department's view, opened by the 文广旅体 user
    page.goto(f"{secure_server}/?period=2026Q3&dept=JH009")
    wait_ready(page)
    _sign_in(page, "wenlv", "Kx7-Harbour-Lane")
    page.locator("[data-testid='stMain'] h1", has_text="总览").wait_for(timeout=60_000)
    wait_ready(page)
    shot(page, "accounts_department_view")
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "区住房城乡建设局" not in body
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert "文广旅体局联络员" in sidebar
    # the records page of another department's weak link: nothing of it
    page.goto(f"{secure_server}/weak-links?period=2026Q3&dept=JH009")
    wait_ready(page)
    assert "区住房城乡建设局" not in page.locator("[data-testid='stMain']").inner_text()
