"""``market-access demo --workers 2``: two dashboard processes behind nginx.

Started through the CLI on a demo database of this module's own.  Checked: every browser is
pinned to one process by the cookie nginx sets (the access log names the upstream of every
request); websocket sessions speaking Streamlit's protocol land on both processes and draw
their pages; in Chromium an upload (file uploader → /_stcore/upload_file) and the download of
its result work through the proxy, and all of that browser's requests reach one process.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from benchmarks.streamlit_client import StreamlitSession
from cli.server import free_port
from cli.workers import find_nginx
from tests.fixtures.browser import ROOT, main_text, wait_ready

pytestmark = pytest.mark.browser
T = TypeVar("T")

LOG_LINE = re.compile(r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) .* upstream=(?P<up>\S+) key=(?P<key>\S+)')
BAD = ("办件编号,事项编码,受理部门编码,街道编码,申请渠道,审批方式,申请时间,受理时间,审查完成时间,决定时间,办结时间,"
       "办理状态,办理结果,特别程序用时,到现场次数,好差评\n"
       "JH20990101000004,NOPE-ITEM,JH004,,飞鸽传书,即办件,2026-10-20 09:00,,,,,在办,,0,,\n")


@dataclass(frozen=True)
class Pool:
    base: str
    runtime: Path
    proc: subprocess.Popen[str]

    def log(self) -> list[dict[str, str]]:
        path = self.runtime / "access.log"
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        return [m.groupdict() for line in lines if (m := LOG_LINE.search(line))]

    def wait_log(self, pred: object, timeout: float = 30.0) -> list[dict[str, str]]:
        """The log entries matching ``pred`` once there is at least one (nginx writes a
        websocket's line when it closes)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [e for e in self.log() if pred(e)]  # type: ignore[operator]
            if found:
                return found
            time.sleep(0.2)
        raise AssertionError("no matching access-log entry")


@pytest.fixture(scope="module")
def pool(_demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pool]:
    if find_nginx() is None:
        pytest.fail("nginx is not installed: run `python3 tasks.py test`, which installs it")
    from tests.fixtures.databases import copy_of

    with copy_of(_demo_template, tmp_path_factory.mktemp("pool")) as url:
        port = free_port()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen([sys.executable, "-m", "cli", "--db", url, "demo", "--workers", "2", "--port", str(port)],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        runtime = None
        assert proc.stdout is not None
        for line in proc.stdout:  # the CLI prints the runtime folder, then the address once all are up
            if line.startswith("nginx 配置与日志："):
                runtime = Path(line.split("：", 1)[1].strip())
            if line.startswith("看板地址"):
                break
        else:
            pytest.fail(f"serve --workers 2 did not start: {proc.stderr.read() if proc.stderr else ''}")
        assert runtime is not None
        try:
            yield Pool(f"http://127.0.0.1:{port}", runtime, proc)
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(60) == 0
            assert not runtime.exists()  # its private folder is removed on exit


def _in_thread(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine on its own event loop in a thread (Playwright's sync API keeps a loop
    running in the main thread once the browser fixture is up)."""
    with ThreadPoolExecutor(1) as pool_:
        return pool_.submit(lambda: asyncio.run(make())).result()


def _get(url: str, cookie: str | None = None) -> tuple[int, list[str]]:
    req = urllib.request.Request(url, headers={"Cookie": f"ma_node={cookie}"} if cookie else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        r.read()
        return r.status, r.headers.get_all("Set-Cookie") or []


def _key_per_worker(pool: Pool) -> dict[str, str]:
    """One cookie value for each worker (upstream address → key), probing keys until both are hit."""
    found: dict[str, str] = {}
    for i in range(64):
        key = f"probe{i}"
        _get(f"{pool.base}/_stcore/health", key)
        up = pool.wait_log(lambda e, k=key: e["key"] == k)[-1]["up"]
        found.setdefault(up, key)
        if len(found) == 2:
            return found
    raise AssertionError(f"64 keys all went to {found}")


def test_first_response_sets_the_sticky_cookie(pool: Pool) -> None:
    status, cookies = _get(f"{pool.base}/")
    assert status == 200
    sticky = [c for c in cookies if c.startswith("ma_node=")]
    assert len(sticky) == 1 and "HttpOnly" in sticky[0] and "Path=/" in sticky[0]
    key = sticky[0].split(";")[0].split("=", 1)[1]
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    _, again = _get(f"{pool.base}/", key)  # a browser that has it gets no new one
    assert not [c for c in again if c.startswith("ma_node=")]


def test_each_cookie_stays_on_one_worker(pool: Pool) -> None:
    keys = _key_per_worker(pool)
    assert len(set(keys)) == 2
    for key in keys.values():
        for path in ("/", "/_stcore/health", "/process?period=2026Q2"):
            _get(f"{pool.base}{path}", key)
    for up, key in keys.items():
        assert {e["up"] for e in pool.log() if e["key"] == key} == {up}


def test_websocket_sessions_run_on_both_workers(pool: Pool) -> None:
    keys = _key_per_worker(pool)

    async def visit(key: str) -> tuple[str, list[object]]:
        s = StreamlitSession(pool.base, timeout=300)
        s.cookies["ma_node"] = key
        try:
            runs = [await s.open("credit", "period=2026Q2")]
            runs.append(await s.choose("f_dept", s.options["f_dept"][2], "dept", "credit"))
            runs.append(await s.goto("process"))
        finally:
            await s.close()
        return s.session_id, runs  # type: ignore[return-value]

    async def both() -> list[tuple[str, list[object]]]:
        return await asyncio.gather(*[visit(k) for k in keys.values()])

    results = _in_thread(both)
    for session_id, runs in results:
        assert session_id
        for run in runs:
            assert not run.failure and not run.exceptions and not run.error_alerts, run  # type: ignore[attr-defined]
    for up, key in keys.items():
        streams = pool.wait_log(lambda e, k=key: e["key"] == k and e["path"] == "/_stcore/stream")
        assert {e["up"] for e in streams} == {up}
        assert all(e["status"] == "101" for e in streams)


def test_upload_and_download_through_the_proxy(pool: Pool, page: object, tmp_path: Path) -> None:
    page.set_viewport_size({"width": 1440, "height": 1800})  # type: ignore[attr-defined]
    page.goto(f"{pool.base}/")  # type: ignore[attr-defined]
    wait_ready(page)
    sidebar = page.locator("[data-testid='stSidebar']")  # type: ignore[attr-defined]
    sidebar.get_by_role("combobox", name="演示身份").click()
    page.get_by_role("option", name="管理员").click()  # type: ignore[attr-defined]
    wait_ready(page)
    sidebar.get_by_role("link", name="数据导入").click()
    page.wait_for_url(re.compile(r"/import"), timeout=30_000)  # type: ignore[attr-defined]
    wait_ready(page)
    bad = tmp_path / "办件.csv"
    bad.write_text(BAD, encoding="utf-8")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(bad))  # type: ignore[attr-defined]
    page.get_by_text("本批次不会导入").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    wait_ready(page)
    assert "校验未通过" in main_text(page)
    with page.expect_download() as download:  # type: ignore[attr-defined]
        page.get_by_role("button", name="下载 CSV").first.click()  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert {r["文件"] for r in rows} == {"办件.csv"} and {r["行号"] for r in rows} == {"2"}
    assert ("申请渠道", "飞鸽传书") in {(r["列"], r["单元格内容"]) for r in rows}

    key = next(c["value"] for c in page.context.cookies() if c["name"] == "ma_node")  # type: ignore[attr-defined]
    mine = [e for e in pool.log() if e["key"] == key]
    assert any(e["method"] == "PUT" and e["path"].startswith("/_stcore/upload_file/") and e["status"] == "204"
               for e in mine), mine
    assert len({e["up"] for e in mine}) == 1  # the page, its websocket, the upload, the download: one worker


def test_load_generator_through_the_proxy(pool: Pool) -> None:
    from benchmarks.load_streamlit import run_load

    r = _in_thread(lambda: run_load(pool.base, 2, 8.0, think=(0.2, 0.6), timeout=300))
    assert r.errors == 0, r.error_samples
    assert r.runs >= 4 and "open" in r.by_action
    assert 0 < r.p50 <= r.p95 <= r.max
