"""Real browser: an administrator imports a department's real-shaped export on the 数据导入
page — confirms the proposed mapping with value rewrites, saves it as a 导入模板, imports;
the next month's file is read with the template without a question and imported; a file
with one bad row is refused with that row named and handed back for download."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cli.server import start_server, stop_server
from data.db import Database
from data.schema import CONTRACT
from tests.fixtures.browser import assert_clean, main_text, open_drawn, shot, wait_ready
from tests.fixtures.exports import CSV_NAME, month_rows, write_export_csv
from tests.fixtures.imports import base_rows, run, write_dataset

pytestmark = pytest.mark.browser

NEXT_NAME = "区住建局2026年11月办件明细导出(1).csv"
TEMPLATE = "住建局办件明细"


@pytest.fixture(scope="module")
def seeded(_demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, database URL): the demo dashboard whose database also holds the departments,
    negative list and items the export refers to."""
    from tests.fixtures.databases import copy_of

    tmp = tmp_path_factory.mktemp("import_mapping")
    with copy_of(_demo_template, tmp) as url:
        db = Database(url)
        data = base_rows()
        for row in data["negative_list"]:
            row["effective_date"] = "2025-04-24"  # the demo's list version 2025 takes effect then
        report = run(db, write_dataset(tmp / "base", {k: data[k] for k in ("departments", "negative_list",
                                                                            "service_items")}))
        assert report.ok, report.problems
        db.dispose()
        proc, base = start_server(url)
        try:
            yield base, url
        finally:
            stop_server(proc)


def _settle(page: object) -> None:
    wait_ready(page)


def _applications(url: str, prefix: str) -> int:
    db = Database(url)
    try:
        t = CONTRACT["applications"]
        with db.session() as s:
            return int(s.execute(select(func.count()).where(t.c.app_id.like(f"{prefix}%"))).scalar_one())
    finally:
        db.dispose()


def _as_admin_on_import(page: object, server: str) -> None:
    open_drawn(page, f"{server}/", 1800)
    sidebar = page.locator("[data-testid='stSidebar']")  # type: ignore[attr-defined]
    sidebar.get_by_role("combobox", name="演示身份").click()
    page.get_by_role("option", name="管理员").click()  # type: ignore[attr-defined]
    _settle(page)
    sidebar.get_by_role("link", name="数据导入").click()
    page.wait_for_url(re.compile(r"/import"), timeout=30_000)  # type: ignore[attr-defined]
    _settle(page)


def _upload(page: object, path: Path, wait_for: str) -> str:
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))  # type: ignore[attr-defined]
    page.get_by_text(wait_for).first.wait_for(timeout=60_000)  # type: ignore[attr-defined]
    _settle(page)
    return main_text(page)


def _choose(page: object, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()  # type: ignore[attr-defined]
    page.get_by_role("option", name=option, exact=True).click()  # type: ignore[attr-defined]


def test_confirm_save_import_then_next_month_then_refused(seeded: tuple[str, str], page: object,
                                                          tmp_path: Path) -> None:
    server, url = seeded
    _as_admin_on_import(page, server)

    # October's export: a title and unit line above the header, 合计 and footnotes below, GBK
    october = write_export_csv(tmp_path, month_rows(10))
    text = _upload(page, october, "核对列对应并保存为导入模板")
    assert f"文件「{CSV_NAME}」：办件（按表头识别）；表头在第3行" in text
    assert "校验未通过：共发现 6 个问题" in text and "确认导入" not in text.replace("核对列对应", "")
    assert_clean(page, re.sub(r"“(已办|网办|窗口)”", "", text))
    shot(page, "import_mapping_proposed")
    for width, height, name in ((390, 1400, "phone"), (1920, 1080, "1920")):
        page.set_viewport_size({"width": width, "height": height})  # type: ignore[attr-defined]
        _settle(page)
        shot(page, f"import_mapping_proposed_{name}")
    page.set_viewport_size({"width": 1440, "height": 1800})  # type: ignore[attr-defined]
    _settle(page)
    _choose(page, "办理状态“已办”（2 行）改写为", "已办结")
    _choose(page, "申请渠道“网办”（2 行）改写为", "网上办理")
    _choose(page, "申请渠道“窗口”（2 行）改写为", "窗口办理")
    page.get_by_label("模板名称").first.fill(TEMPLATE)  # type: ignore[attr-defined]
    page.get_by_role("button", name="保存导入模板").click()  # type: ignore[attr-defined]
    page.get_by_text(f"已保存导入模板「{TEMPLATE}」").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    _settle(page)
    text = main_text(page)
    assert f"文件「{CSV_NAME}」：已套用导入模板「{TEMPLATE}」，按模板识别，无需再次确认" in text
    assert "校验通过" in text and "按导入模板改写的值（共 6 处）" in text and "跳过的行（共 4 行" in text
    assert not page.get_by_role("button", name="保存导入模板").count()  # type: ignore[attr-defined]
    assert_clean(page, text)
    shot(page, "import_mapping_saved")
    assert _applications(url, "ZJ10") == 0  # nothing stored before the commit
    page.get_by_role("button", name="确认导入").click()  # type: ignore[attr-defined]
    page.get_by_text("导入成功").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    _settle(page)
    assert_clean(page)
    assert _applications(url, "ZJ10") == 5

    # November's export, another file name: the template applies without a question
    november = write_export_csv(tmp_path, month_rows(11), name=NEXT_NAME)
    text = _upload(page, november, "校验通过")
    assert f"文件「{NEXT_NAME}」：已套用导入模板「{TEMPLATE}」" in text
    assert "核对列对应" not in text
    assert not page.get_by_role("button", name="保存导入模板").count()  # type: ignore[attr-defined]
    assert_clean(page, text)
    shot(page, "import_mapping_next_month")
    page.get_by_role("button", name="确认导入").click()  # type: ignore[attr-defined]
    page.get_by_text("导入成功").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    _settle(page)
    assert _applications(url, "ZJ11") == 5

    # the same file with one bad row (Excel row 6): refused, the row named, the file handed back
    rows = month_rows(11)
    rows[2] = dataclasses.replace(rows[2], status="办理中")
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    bad = write_export_csv(bad_dir, rows, name=NEXT_NAME)
    text = _upload(page, bad, "共发现 1 个问题")
    assert "校验未通过：共发现 1 个问题，本批次不会导入，数据库未作任何更改" in text
    assert "确认导入" not in text
    assert_clean(page, text)
    shot(page, "import_mapping_refused")
    with page.expect_download() as listed:  # type: ignore[attr-defined]
        page.locator(".st-key-imp_problems_dl_csv button").click()  # type: ignore[attr-defined]
    problems = list(csv.DictReader(io.StringIO(Path(listed.value.path()).read_text(encoding="utf-8-sig"))))
    assert [(r["文件"], r["行号"], r["列"], r["单元格内容"]) for r in problems] == [(NEXT_NAME, "6", "办理状态", "办理中")]
    with page.expect_download() as back:  # type: ignore[attr-defined]
        page.get_by_role("button", name=re.compile("下载待修改文件")).click()  # type: ignore[attr-defined]
    assert back.value.suggested_filename == "区住建局2026年11月办件明细导出(1)_待修改.csv"
    records = list(csv.reader(io.StringIO(Path(back.value.path()).read_bytes().decode("gbk"), newline="")))
    assert records[2][-2:] == ["问题", "所在列"]
    assert records[5][-1] == "办理状态 (status)" and "办理中" in records[5][-2]
    assert [r[-2:] for i, r in enumerate(records[3:8], start=4) if i != 6] == [["", ""]] * 4
    assert _applications(url, "ZJ11") == 5  # nothing changed
