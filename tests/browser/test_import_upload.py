"""数据导入 in a real browser: an administrator (demo role switcher) uploads a bad CSV (every
problem listed and downloadable, nothing stored) and then a good CSV (committed; the import
history on the 数据质量 page shows the new batches at once).
Screenshots: test-artifacts/screenshots/ii_b_import*.png."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.fixtures.browser import assert_clean, main_text, open_drawn, shot, title, wait_ready

pytestmark = pytest.mark.browser

BAD = ("办件编号,事项编码,受理部门编码,街道编码,申请渠道,审批方式,申请时间,受理时间,审查完成时间,决定时间,办结时间,"
       "办理状态,办理结果,特别程序用时,到现场次数,好差评\n"
       "JH20990101000003,440704-BA-0414-01,JH004,JH017,飞鸽传书,即办件,2026-10-20 09:00,2026-10-20 09:10,,,"
       "2026-10-20 10:00,已办结,准予,0,0,5\n"
       "JH20990101000004,NOPE-ITEM,JH004,,网上办理,即办件,2026-13-45 09:00,,,,,在办,,0,,\n")
GOOD = ("办件编号,事项编码,受理部门编码,街道编码,申请渠道,审批方式,申请时间,受理时间,审查完成时间,决定时间,办结时间,"
        "办理状态,办理结果,特别程序用时,到现场次数,好差评\n"
        "JH20990101000001,440704-BA-0414-01,JH004,JH017,网上办理,即办件,2026-10-20 09:00,2026-10-20 09:10,"
        "2026-10-20 09:30,2026-10-20 09:40,2026-10-20 10:00,已办结,准予,0,0,5\n")


def _settle(page: Page) -> None:
    wait_ready(page)
    page.wait_for_timeout(800)
    wait_ready(page)


def _batches(history: str) -> int:
    """How many batches the 导入记录 tab lists."""
    found = re.search(r"导入批次记录（最近 (\d+) 批）", history)
    assert found, "no import history on the page"
    return int(found.group(1))


def _as_admin(page: Page, server: str) -> None:
    open_drawn(page, f"{server}/", 1800)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("combobox", name="演示身份").click()
    page.get_by_role("option", name="管理员").click()
    _settle(page)
    sidebar.get_by_role("link", name="数据导入").click()
    page.wait_for_url(re.compile(r"/import"), timeout=30_000)
    _settle(page)


def test_upload_bad_then_good_csv(server: str, page: Page, tmp_path: Path) -> None:
    before = open_drawn(page, f"{server}/data-quality?period=2026Q3&dq_tab=导入记录")
    batches_before = _batches(before)
    _as_admin(page, server)
    text = main_text(page)
    assert title(page) == "数据导入"
    assert_clean(page, text)
    for english in ("Upload", "Drag and drop", "Browse files", "per file"):
        assert english not in text
    words = page.evaluate(  # the upload box's words come from CSS
        "() => { const d = document.querySelector(\"[data-testid='stFileUploaderDropzoneInstructions'] > div\");"
        " return getComputedStyle(d, '::before').content + getComputedStyle(d, '::after').content; }")
    assert "将文件拖放到此处" in words and "支持 CSV、XLSX" in words
    shot(page, "ii_b_import")

    bad, good = tmp_path / "bad", tmp_path / "good"
    bad.mkdir()
    good.mkdir()
    (bad / "办件.csv").write_text(BAD, encoding="utf-8")
    (good / "办件.csv").write_text(GOOD, encoding="utf-8")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(bad / "办件.csv"))
    page.get_by_text("共发现 4 个问题").wait_for(timeout=60_000)
    _settle(page)
    text = main_text(page)
    assert "校验未通过：共发现 4 个问题，本批次不会导入，数据库未作任何更改" in text
    assert "确认导入" not in text
    assert_clean(page, re.sub(r"飞鸽传书|NOPE-ITEM", "", text))
    shot(page, "ii_b_import_bad")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载 CSV").first.click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert [r["行号"] for r in rows] == ["2", "3", "3", "3"]
    assert {r["文件"] for r in rows} == {"办件.csv"}
    assert {(r["列"], r["单元格内容"]) for r in rows} >= {("申请渠道", "飞鸽传书"), ("事项编码", "NOPE-ITEM")}
    assert all(r["原因"] for r in rows)

    page.locator("[data-testid='stFileChipDeleteBtn'] button").first.click()
    _settle(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(good / "办件.csv"))
    page.get_by_text("校验通过").wait_for(timeout=60_000)
    _settle(page)
    shot(page, "ii_b_import_good")
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("导入成功").wait_for(timeout=60_000)
    _settle(page)
    text = main_text(page)
    assert re.search(r"导入成功（批次 \d+）：数据已更新", text)
    assert_clean(page, text)
    shot(page, "ii_b_import_done")

    # another page sees the new batches at once: the rejected and the passed validation, the commit
    after = open_drawn(page, f"{server}/data-quality?period=2026Q3&dq_tab=导入记录")
    batches_after = _batches(after)
    assert batches_after == batches_before + 3


def test_a_file_over_the_upload_limit_is_refused_in_chinese(server: str, page: Page, tmp_path: Path) -> None:
    """A file over ``server.maxUploadSize`` is refused by Streamlit's front end before any byte
    is sent; its English "File must be … or smaller." is replaced with the catalogue's Chinese
    (chip, alert and tooltip).  The file is sparse: nothing is written to disk."""
    from data.upload_limits import MB, Limits

    limit = Limits.from_env().file_mb
    big = tmp_path / "办件_超大.csv"
    with big.open("wb") as fh:
        fh.truncate((limit + 2) * MB)  # over the browser's limit (file_mb + 1)
    _as_admin(page, server)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(big))
    chip = page.locator("[data-testid='stFileChip']")
    chip.wait_for(timeout=30_000)
    message = f"文件超过 {limit} MB 的大小上限，未上传。请拆分后分批导入。"
    page.get_by_text(message).first.wait_for(state="attached", timeout=30_000)
    chip.hover()
    page.get_by_role("tooltip").filter(has_text=message).wait_for(timeout=10_000)
    body = page.evaluate(  # every text node, shown or not (the chip's alert is for screen readers), but code
        "() => { const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); const out = [];"
        " for (let n = w.nextNode(); n; n = w.nextNode())"
        "   if (!n.parentElement.closest('script, style')) out.push(n.data);"
        " return out.join('\\n'); }")
    assert message in body
    assert "File must be" not in body and "Error:" not in body
    labels = page.evaluate("() => [...document.querySelectorAll('[title], [aria-label]')]"
                           ".map(e => (e.getAttribute('title') || '') + ' ' + (e.getAttribute('aria-label') || '')).join('|')")
    assert "File must be" not in labels and "Remove 办件_超大.csv" not in labels
    assert "办件_超大.csv" in main_text(page)
    assert_clean(page, main_text(page))
    shot(page, "ii_b_import_too_large")
