"""Sign-in, lockout, department scoping and the rectification loop through the app."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import unquote

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.kit import auth, session_cookie
from data import accounts, audit
from data import tasks as task_store
from data.accounts import ADMIN, DEPT_USER, LEADER, Principal
from data.db import Database
from tests.fixtures.apptest import APP, as_role, assert_clean, open_page, page_script


class Browser:
    """The cookie jar of one browser, as the session route would fill it: AppTest has no
    HTTP side, so the test redeems the one-time code the sign-in page sends the browser to."""

    def __init__(self) -> None:
        self.token: str | None = None

    def follow(self, at: AppTest) -> None:
        """Follow the page's redirect to the session route (what the browser's script does)."""
        for el in at.html:
            found = re.search(r"code=([A-Za-z0-9_\-%]+)", str(el.proto.body))
            if found:
                self.token = session_cookie.redeem(unquote(found.group(1))) or self.token
            if "sign-out" in str(el.proto.body):
                self.token = None


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Browser:
    jar = Browser()
    monkeypatch.setattr(auth, "browser_token", lambda: jar.token)
    return jar


@pytest.fixture
def secure_app(demo_db_url: str, monkeypatch: pytest.MonkeyPatch, browser: Browser) -> tuple[AppTest, Database]:
    """The app as `market-access serve` runs it: sign-in required."""
    monkeypatch.setenv("MARKET_ACCESS_DB", demo_db_url)
    monkeypatch.delenv("MARKET_ACCESS_DEMO", raising=False)
    db = Database(demo_db_url)
    with db.session() as s:
        accounts.add_user(s, "zhujian", "Kx7-Harbour-Lane", DEPT_USER, dept="JH009", display_name="住建局联络员")
    return AppTest.from_file(str(APP), default_timeout=120), db


def _sign_in(at: AppTest, user: str, password: str, browser: Browser | None = None) -> AppTest:
    at.text_input(key="login_user").input(user)
    at.text_input(key="login_password").input(password)
    at.button[0].click()
    at.run()
    if browser is not None:
        browser.follow(at)
        at.run()
    return at


def test_sign_in_required_then_lockout(secure_app: tuple[AppTest, Database]) -> None:
    at, _ = secure_app
    at.run()
    assert_clean(at)
    assert at.title[0].value.endswith("登录")
    for _ in range(4):
        _sign_in(at, "zhujian", "wrong-pass1")
        assert at.error[0].value == "用户名或密码错误。"
    _sign_in(at, "zhujian", "wrong-pass1")
    assert "账户已锁定" in at.error[0].value
    _sign_in(at, "zhujian", "Kx7-Harbour-Lane")
    assert "账户已锁定" in at.error[0].value


def test_department_user_signs_in_and_sees_only_itself(secure_app: tuple[AppTest, Database],
                                                       browser: Browser) -> None:
    at, _ = secure_app
    at.query_params["dept"] = "JH010"  # another department's deep link
    at.run()
    _sign_in(at, "zhujian", "Kx7-Harbour-Lane", browser)
    assert not at.exception
    assert at.title[0].value.startswith("总览")
    dept_box = at.selectbox(key="f_dept")
    assert dept_box.options == ["区住房城乡建设局"]  # its own view only: no 全区 over its own records
    assert dept_box.value == "JH009"  # the other department's code was not accepted: its own instead
    assert all("文化广电" not in str(df.value) for df in at.dataframe)
    assert any("住建局联络员" in c.value for c in at.sidebar.caption)


def test_role_pages_are_refused_to_others(app: AppTest) -> None:
    as_role(app, DEPT_USER, "JH009")
    open_page(app, "overview.py")
    for admin_only in ("users.py", "import.py", "settings.py", "audit.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app.switch_page(page_script(admin_only))  # not even registered for a department user


def test_weak_link_task_done_by_department_seen_closed_by_leader(app: AppTest, demo_db_url: str) -> None:
    db = Database(demo_db_url)
    admin = Principal("demo-管理员", "演示管理员", ADMIN)
    with db.session() as s:
        task_id = task_store.create_task(s, admin, title="区住房城乡建设局：按时办结率低于60分整改", dept="JH009",
                                         responsible="李四", deadline=date(2026, 12, 31),
                                         requirement="查明审查环节超时原因", source_kind="短板",
                                         source_ref="短板:JH009:on_time_rate:2026-07-01:2026-09-30")
    # the department completes it through the tasks page
    as_role(app, DEPT_USER, "JH009")
    open_page(app, "tasks.py", task=str(task_id))
    assert_clean(app)
    app.selectbox(key="task_new_status").set_value("已完成")
    app.text_area(key="task_note").input("已优化审查流程")
    next(b for b in app.button if b.label == "保存").click()
    app.run()
    assert not app.exception
    # the leader sees it closed, with its history
    as_role(app, LEADER)
    open_page(app, "tasks.py", task=str(task_id))
    assert_clean(app)
    table = app.dataframe[0].value
    assert table.loc[table["编号"] == task_id, "办理状态"].item() == "已完成"
    with db.session() as s:
        actions = audit.entries(s)["action"].tolist()
    assert actions[:2] == ["更新整改任务", "下达整改任务"]


def test_task_form_refuses_in_progress_at_100_percent(app: AppTest, demo_db_url: str) -> None:
    """整改中 at 100% is refused with a Chinese message and nothing stored (issue 13)."""
    db = Database(demo_db_url)
    admin = Principal("demo-管理员", "演示管理员", ADMIN)
    with db.session() as s:
        task_id = task_store.create_task(s, admin, title="整改", dept="JH009", responsible="李四",
                                         deadline=date(2026, 12, 31), requirement="整改要求")
    as_role(app, DEPT_USER, "JH009")
    open_page(app, "tasks.py", task=str(task_id))
    app.selectbox(key="task_new_status").set_value("整改中")
    app.slider(key="task_progress").set_value(100)
    app.text_area(key="task_note").input("全部完成")
    next(b for b in app.button if b.label == "保存").click()
    app.run()
    assert any("状态应为“已完成”" in e.value for e in app.error)
    with db.session() as s:
        row = task_store.list_tasks(s, admin).set_index("id").loc[task_id]
    assert (row["status"], row["progress"], row["version"]) == ("待整改", 0, 1)


def test_concurrent_edit_shows_clear_message(app: AppTest, demo_db_url: str) -> None:
    db = Database(demo_db_url)
    admin = Principal("demo-管理员", "演示管理员", ADMIN)
    with db.session() as s:
        task_id = task_store.create_task(s, admin, title="整改", dept="JH009", responsible="李四",
                                         deadline=date(2026, 12, 31), requirement="整改要求")
    as_role(app, DEPT_USER, "JH009")
    open_page(app, "tasks.py", task=str(task_id))
    # meanwhile someone else saves the task
    with db.session() as s:
        task_store.update_task(s, Principal("other", "他人", DEPT_USER, "JH009"), task_id,
                               expected_version=1, status="整改中", note="他人先保存")
    app.text_area(key="task_note").input("我的进展")
    next(b for b in app.button if b.label == "保存").click()
    app.run()
    assert any("已被他人修改" in e.value for e in app.error)


def _title(at: AppTest) -> str:
    return str(at.title[0].value)


def test_the_cookie_signs_in_not_the_session_state(secure_app: tuple[AppTest, Database], browser: Browser) -> None:
    at, _ = secure_app
    at.run()
    _sign_in(at, "zhujian", "Kx7-Harbour-Lane")
    assert browser.token is None and _title(at).endswith("登录")  # not signed in until the cookie is set
    browser.follow(at)
    at.run()
    assert _title(at).startswith("总览")
    browser.token = None  # the same Streamlit session, reached without the cookie
    at.run()
    assert _title(at).endswith("登录")


def test_sign_out_ends_every_tab_of_the_browser(secure_app: tuple[AppTest, Database], browser: Browser) -> None:
    at, _ = secure_app
    at.run()
    _sign_in(at, "zhujian", "Kx7-Harbour-Lane", browser)
    token = browser.token
    other_tab = AppTest.from_file(str(APP), default_timeout=120).run()
    assert _title(other_tab).startswith("总览")
    at.sidebar.button(key="sign_out").click().run()
    browser.follow(at)
    assert browser.token is None
    browser.token = token  # the other tab still holds the old cookie
    other_tab.run()
    assert _title(other_tab).endswith("登录")


@pytest.mark.parametrize("change", ["reset", "disable"])
def test_password_reset_or_disabling_ends_open_sessions(secure_app: tuple[AppTest, Database], browser: Browser,
                                                         change: str) -> None:
    at, db = secure_app
    at.run()
    _sign_in(at, "zhujian", "Kx7-Harbour-Lane", browser)
    assert _title(at).startswith("总览")
    with db.session() as s:
        if change == "reset":
            accounts.reset_password(s, "zhujian", "Vb8-Orchid-Quay", actor="admin")
        else:
            accounts.set_active(s, "zhujian", False, actor="admin")
    at.run()
    assert _title(at).endswith("登录")
    assert any("登录已过期" in i.value for i in at.info)
