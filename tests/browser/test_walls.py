"""The red-team suite (issue 19): a department user and a street user open every page of their
navigation and hostile deep links (another unit's code in every query parameter the pages
read, the application opened below a table among them; admin page paths), press every download button (the self-check deck among them), and
everything the browser received — page text, every websocket frame, every downloaded file —
is scanned for other units' codes, names, record ids, entities and tasks, built from the
database (:mod:`tests.fixtures.walls`).  A leader's run over the same pages must find them:
the scan can fail.  Figures are printed (``-s`` shows them).

Also here: the server's walls — frame protection headers, no outside fetch, the metrics
endpoint and media files only with a live session, the HttpOnly cookie, refused admin paths
audited — and the sign-in page's screenshots."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from sqlalchemy import select, update

from cli.server import start_server, stop_server
from dashboard.navigation import PAGES, available
from data import accounts
from data import tasks as task_store
from data.accounts import ADMIN, DEPT_USER, LEADER, Principal
from data.db import Database
from data.schema import CONTRACT, audit_log
from tests.fixtures.browser import shot, wait_ready
from tests.fixtures.walls import Forbidden, Scan, file_text

pytestmark = pytest.mark.browser
departments = CONTRACT["departments"]

DEPT, STREET, OTHER, OTHER_STREET = "JH010", "JH017", "JH009", "JH018"
USERS = {  # name: (password, role, unit)
    "wenlv": ("Kx7-Harbour-Lane", DEPT_USER, DEPT),
    "jiangnan": ("Rw3-Cedar-Wharf", DEPT_USER, STREET),
    "lingdao": ("Zt5-Maple-Court", LEADER, None),
}
ADMIN_PATHS = tuple(f"/{s.url_path}" for s in PAGES if ADMIN in s.roles and DEPT_USER not in s.roles)
LEADER_PAGES = ("", "process", "routes", "cases", "weak-links", "credit", "present")
EVIL = "evil.example"
HOSTILE_NAME = (f"区住房城乡建设局![图](http://{EVIL}/md.png)<img src=\"http://{EVIL}/img.png\">"
                f"<a href=\"http://{EVIL}/\">点此</a>")


@pytest.fixture(scope="module")
def walls(_demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, dict[str, int]]]:
    """(base URL, database URL, task ids by unit) of the dashboard as `serve` runs it, with a
    department, a street and a leader account and a rectification task for each unit."""
    from tests.fixtures.databases import copy_of

    with copy_of(_demo_template, tmp_path_factory.mktemp("walls")) as url:
        db = Database(url)
        admin = Principal("admin", "管理员", ADMIN)
        task_ids: dict[str, int] = {}
        with db.session() as s:
            # another unit's name as an attacker would import it: markdown image, HTML image, link
            s.execute(update(departments).where(departments.c.dept_code == OTHER).values(dept_name=HOSTILE_NAME))
            for name, (password, role, unit) in USERS.items():
                accounts.add_user(s, name, password, role, dept=unit, display_name=f"{name}联络员")
            for unit in (DEPT, STREET, OTHER):
                task_ids[unit] = task_store.create_task(
                    s, admin, title=f"整改任务-{unit}-审查环节超时", dept=unit, responsible=f"负责人{unit}",
                    deadline=date(2026, 12, 31), requirement=f"查明{unit}审查环节超时原因")
        db.dispose()
        proc, base = start_server(url, demo=False)
        try:
            yield base, url, task_ids
        finally:
            stop_server(proc)


def _sign_in(page: object, base: str, user: str) -> None:
    page.goto(base)  # type: ignore[attr-defined]
    wait_ready(page)
    page.get_by_label("用户名").fill(user)  # type: ignore[attr-defined]
    page.get_by_label("密码").fill(USERS[user][0])  # type: ignore[attr-defined]
    page.get_by_role("button", name="登录").click()  # type: ignore[attr-defined]
    page.wait_for_function("() => !location.pathname.startsWith('/_auth') && document.querySelector("  # type: ignore[attr-defined]
                           "\"[data-testid='stSidebarNav']\")", timeout=60_000)
    wait_ready(page)


def _hostile_query(db_url: str, task_ids: dict[str, int]) -> str:
    f = Forbidden.of(db_url, DEPT)
    return urlencode({
        "dept": OTHER, "street": OTHER_STREET, "grp": OTHER, "case": sorted(f.terms["线索编号"])[0],
        "item": sorted(f.terms["事项编码"])[0], "stage": "审查", "link": f"{OTHER}.on_time_rate", "slide": "3",
        "task": str(task_ids[OTHER]), "app": sorted(f.terms["办件编号"])[0], "app_id": sorted(f.terms["办件编号"])[0],
        "signal": f"nonlocal_rejection:{sorted(f.terms['事项编码'])[0]}", "show": "1",
    })


def _downloads(page: object, scan: Scan, where: str) -> None:
    buttons = page.locator("[data-testid='stDownloadButton'] button")  # type: ignore[attr-defined]
    for i in range(buttons.count()):
        button = buttons.nth(i)
        if not button.is_visible():
            continue
        with page.expect_download(timeout=180_000) as info:  # type: ignore[attr-defined]
            button.click()
        download = info.value
        wait_ready(page)  # a button that reruns the page: the next one is drawn again
        data = Path(download.path()).read_bytes()
        scan.check(f"{where} ↓ {download.suggested_filename}", file_text(download.suggested_filename, data),
                   "downloads")


def _run(browser: object, base: str, db_url: str, user: str, paths: tuple[str, ...], hostile: str | None, *,
         lists_of: str | None = None) -> Scan:
    """One account's walk: every path (its text, frames and downloads), then each path with the
    hostile query and the admin paths (text and frames), scanned with the forbidden lists of
    ``lists_of`` (default: the account's own unit)."""
    scan = Scan(Forbidden.of(db_url, lists_of or str(USERS[user][2])))
    ctx = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="zh-CN",  # type: ignore[attr-defined]
                              accept_downloads=True)
    page = ctx.new_page()
    frames: list[bytes | str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(payload)))
    try:
        _sign_in(page, base, user)
        visits = [(p, False) for p in paths]
        if hostile is not None:
            visits += [(f"{p}?{hostile}", True) for p in paths] + [(p, True) for p in ADMIN_PATHS]
        started = time.monotonic()
        for target, is_hostile in visits:
            page.goto(base + target)
            wait_ready(page)
            page.wait_for_timeout(300)
            scan.figures["links"] += is_hostile
            sent = frozenset(v for vs in parse_qs(urlsplit(target).query).values() for v in vs)
            scan.check(target, page.locator("body").inner_text(), "pages")
            if not is_hostile:
                try:
                    _downloads(page, scan, target)
                except Exception as err:
                    shot(page, "walls_download_failed")
                    raise AssertionError(f"downloads of {target} failed: {err}") from None
            scan.frames(target, frames, sent)  # the link's own values, echoed back, are not a leak
            print(f"  {target[:60]} {time.monotonic() - started:.0f} s", flush=True)
    finally:
        ctx.close()
    print("\n" + scan.summary())
    return scan


def _paths(role: str) -> tuple[str, ...]:
    """The navigation's page paths for ``role`` (the default page, the first, is the root)."""
    return tuple("/" if i == 0 else f"/{s.url_path}" for i, s in enumerate(available(role=role)))


@pytest.mark.parametrize("user", ["wenlv", "jiangnan"])
def test_a_unit_receives_nothing_of_another(walls: tuple[str, str, dict[str, int]], browser: object,
                                           user: str) -> None:
    base, db_url, task_ids = walls
    scan = _run(browser, base, db_url, user, _paths(DEPT_USER), _hostile_query(db_url, task_ids))
    assert scan.figures["pages"] >= 2 * len(_paths(DEPT_USER))
    assert scan.figures["downloads"] >= 5  # tables and the self-check report (pptx, pdf)
    assert scan.figures["frames"] > 100
    assert scan.findings == [], scan.report()


def test_the_leader_run_finds_them(walls: tuple[str, str, dict[str, int]], browser: object) -> None:
    """The same walk and scan, with the department's lists, over a leader's pages finds every
    kind of record: what the department and street runs report as 0 could have been found."""
    base, db_url, _ = walls
    scan = _run(browser, base, db_url, "lingdao", tuple(f"/{p}" for p in LEADER_PAGES), None, lists_of=DEPT)
    found = scan.by_category()
    for category in ("部门编码", "部门名称", "办件编号", "线索编号", "事项编码", "主体代码", "主体名称", "整改任务"):
        assert found[category] > 0, (category, dict(found))


def test_server_walls(walls: tuple[str, str, dict[str, int]], browser: object) -> None:
    base, db_url, _ = walls
    anonymous = httpx.Client(base_url=base, follow_redirects=False)
    page_response = anonymous.get("/")
    assert page_response.headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in page_response.headers["content-security-policy"]
    assert anonymous.get("/_stcore/metrics").status_code == 403
    assert anonymous.get("/nonexistent-page").status_code == 303
    assert anonymous.get("/_auth/session?code=forged&next=https://evil.example/").headers["location"] == "/"
    assert "set-cookie" not in anonymous.get("/_auth/session?code=forged").headers

    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")  # type: ignore[attr-defined]
    page = ctx.new_page()
    requests: list[str] = []
    media: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: media.append(r.url) if r.url.startswith(f"{base}/media/") and r.ok else None)
    try:
        page.goto(base)
        wait_ready(page)
        shot(page, "walls_sign_in")
        page.set_viewport_size({"width": 390, "height": 844})
        shot(page, "walls_sign_in_phone")
        page.set_viewport_size({"width": 1440, "height": 1000})
        _sign_in(page, base, "wenlv")
        cookie = next(c for c in ctx.cookies() if c["name"] == "ma_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert cookie["value"] not in page.url
        page.goto(base + "/weak-links")
        wait_ready(page)
        with page.expect_download() as download:  # a download is a media file
            page.locator("[data-testid='stDownloadButton'] button").first.click()
        signed_in = httpx.Client(base_url=base, cookies={"ma_session": cookie["value"]})
        assert signed_in.get("/_stcore/metrics").status_code == 200
        # a file built on click is fetched by the browser's download manager, which reports
        # no response event: the download's own address says where it was served from
        served = download.value.url
        assert served.startswith(f"{base}/media/"), served
        for url in [served, *media[:2]]:  # a media file: with the session only
            path = url[len(base):]
            assert signed_in.get(path).status_code == 200
            assert anonymous.get(path).status_code == 403
        page.goto(base + "/users")
        wait_ready(page)
        assert "无权访问" in page.locator("[data-testid='stMain']").inner_text()
        shot(page, "walls_forbidden")
        outside = [u for u in requests if not u.startswith(base) and not u.startswith(("data:", "blob:"))]
        assert outside == [], outside[:5]
        # sign-out ends the session everywhere: the old cookie no longer opens anything
        page.get_by_role("button", name="退出登录").click()
        page.wait_for_selector("input[aria-label='用户名']", timeout=60_000)
        assert signed_in.get("/_stcore/metrics").status_code == 403
    finally:
        ctx.close()
    db = Database(db_url)
    with db.session() as s:
        refused = s.execute(select(audit_log.c.target).where(audit_log.c.user_name == "wenlv",
                                                             audit_log.c.action == "越权访问")).scalars().all()
    db.dispose()
    assert "users" in refused


def test_hostile_names_stay_inert(walls: tuple[str, str, dict[str, int]], browser: object) -> None:
    """A unit named with a markdown image, an HTML image and a link: on every page a leader
    opens with that unit chosen, nothing is fetched from the link's host and no image or link
    to it is drawn (page text, tables, chart labels and hover text)."""
    base, _, _ = walls
    ctx = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="zh-CN")  # type: ignore[attr-defined]
    page = ctx.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(f"{here[0]} → {r.url}") if EVIL in r.url else None)
    live: dict[str, int] = {}
    here = [""]
    try:
        _sign_in(page, base, "lingdao")
        for path in _paths(LEADER):
            here[0] = path
            page.goto(f"{base}{path}?dept={OTHER}")
            wait_ready(page)
            live[path] = page.locator(f"[src*='{EVIL}'], [*|href*='{EVIL}']").count()
        shot(page, "walls_hostile_name")
    finally:
        ctx.close()
    print(f"\nhostile name: {len(live)} pages checked")
    assert {p: n for p, n in live.items() if n} == {}
    assert fetched == []
