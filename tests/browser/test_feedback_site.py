"""The public feedback site in a real browser at phone width (390 px): a business submits
the form, gets its 受理编号 and 查询码, the case is handled (data-layer steps, as the
dashboard's page will call them), and the business reads the published reply."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.server import free_port
from data import case_handling as ch
from data.accounts import Principal
from data.case_rows import read_case, today_local
from data.db import Database
from feedback.config import SECRET_ENV
from tests.fixtures.browser import ROOT, shot
from tests.fixtures.feedback import SECRET, captcha_answer, load_departments

pytestmark = pytest.mark.browser
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.fixture
def site(db_url: str, tmp_path: Path) -> Iterator[tuple[str, Database]]:
    db = Database(db_url)
    load_departments(db, tmp_path / "seed")
    port = free_port()
    env = {**os.environ, SECRET_ENV: SECRET.decode(), "MARKET_ACCESS_HOME": str(tmp_path / "home"),
           "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "cli", "--db", db_url, "feedback-site", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "feedback site did not start") from None
            time.sleep(0.2)
    try:
        yield base, db
    finally:
        proc.terminate()
        proc.wait(10)
        db.dispose()


def test_submit_receipt_and_lookup_at_phone_width(site: tuple[str, Database], browser: object,
                                                  tmp_path: Path) -> None:
    base, db = site
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",  # type: ignore[attr-defined]
                              is_mobile=True, has_touch=True, device_scale_factor=2)
    page = ctx.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
    try:
        page.goto(base + "/")
        assert page.locator("h1").inner_text() == "反映市场准入问题"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        assert page.evaluate("document.querySelector('.captcha img').naturalWidth") > 0  # CSP lets the image load
        page.fill("#reporter", "江门市某某建材有限公司")
        page.fill("#uscc", "91440704MA50001230")
        page.fill("#phone", "13800138000")
        page.select_option("#problem_type", "违规设置隐性壁垒")
        page.select_option("#sub_type", "另设条件")
        page.select_option("#dept_code", label="区住房城乡建设局")
        page.fill("#item_concerned", "建筑工程施工许可")
        page.fill("#description", "办理施工许可时被要求额外提供法律法规规定以外的证明材料。")
        attachment = tmp_path / "截图.png"
        attachment.write_bytes(PNG)
        page.set_input_files("#attachments", str(attachment))
        page.fill("#captcha", captcha_answer(db, page.input_value("input[name=token]")))
        shot(page, "feedback_form_390")
        page.click("button[type=submit]")
        page.wait_for_selector("#case-id")
        assert page.locator("h1").inner_text() == "反馈已受理"
        case_id = page.inner_text("#case-id").strip()
        code = page.inner_text("#lookup-code").strip()
        shot(page, "feedback_receipt_390")

        with db.session() as s:
            case = read_case(s, case_id)
        assert case is not None and (case["source"], case["dept_code"], case["status"]) == ("经营主体反映", "JH009", "待转办")
        admin = Principal("admin", "管理员", "管理员")
        unit = Principal("zhujian", "住建", "部门用户", "JH009")
        with db.session() as s:
            ch.apply(s, admin, ch.Transfer(case_id, "JH009", today_local() + dt.timedelta(days=15)))
            ch.apply(s, unit, ch.Verify(case_id, "属实", "确有要求额外材料的情况"))
            ch.apply(s, unit, ch.Rectify(case_id, "已取消该要求并更新办事指南"))
            ch.apply(s, unit, ch.ReportBack(case_id, "已整改"))
            ch.apply(s, admin, ch.Close(case_id))
            ch.apply(s, admin, ch.PublishReply(case_id, "您反映的问题经核查属实，已责成区住房城乡建设局整改。"))

        page.click("text=进度查询")
        page.wait_for_selector("#case_id")
        page.fill("#case_id", case_id)
        page.fill("#code", code)
        page.click("button[type=submit]")
        page.wait_for_selector("#status")
        assert page.inner_text("#status") == "已办结"
        assert "已责成区住房城乡建设局整改" in page.inner_text("#reply")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot(page, "feedback_status_390")

        page.click("text=进度查询")
        page.fill("#case_id", case_id)
        page.fill("#code", "WRONGCODE123")
        page.click("button[type=submit]")
        page.wait_for_selector("#lookup-error")
        assert "受理编号或查询码不正确" in page.inner_text("#lookup-error")
        assert page.locator("#reply").count() == 0
        assert outside == []
    finally:
        ctx.close()
