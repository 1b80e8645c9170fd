"""负面清单落实, 信用分类, 数据质量 and 数据导入 in a real browser: each page (and its deep links)
draws without an error element or English error text; the planted channel gaps, stale guides and
missing timestamps are on the pages; a click on a heatmap cell drills down; an administrator
uploads a bad CSV (every problem listed and downloadable, nothing stored) and a good CSV
(committed, the history on another page shows it).  Screenshots: test-artifacts/screenshots/ii_b_*.png."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.browser.conftest import assert_clean, main_text, open_drawn, shot, title, wait_ready

pytestmark = pytest.mark.browser

PAGES = [
    ("negative_list", "negative-list?period=2026Q3", "负面清单落实"),
    ("negative_list_guides", "negative-list?period=2026Q3&nl_tab=办事指南", "负面清单落实"),
    ("negative_list_mapping", "negative-list?period=2026Q3&nl_tab=事项对应", "负面清单落实"),
    ("negative_list_element", "negative-list?period=2026Q3&nl_tab=公开要素&dept=JH004&nl_element=技术标准",
     "负面清单落实"),
    ("credit", "credit?period=2026Q3", "信用分类"),
    ("credit_move", "credit?period=2026Q3&dept=JH004&cr_move=C→D", "信用分类"),
    ("data_quality", "data-quality?period=2026Q3", "数据质量"),
    ("data_quality_volume", "data-quality?period=2026Q3&dq_tab=报送量", "数据质量"),
    ("data_quality_imports", "data-quality?period=2026Q3&dq_tab=导入记录", "数据质量"),
]
BAD = ("办件编号,事项编码,受理部门编码,街道编码,申请渠道,审批方式,申请时间,受理时间,审查完成时间,决定时间,办结时间,"
       "办理状态,办理结果,特别程序用时,到现场次数,好差评\n"
       "JH20990101000003,440704-BA-0414-01,JH004,JH017,飞鸽传书,即办件,2026-10-20 09:00,2026-10-20 09:10,,,"
       "2026-10-20 10:00,已办结,准予,0,0,5\n"
       "JH20990101000004,NOPE-ITEM,JH004,,网上办理,即办件,2026-13-45 09:00,,,,,在办,,0,,\n")
GOOD = ("办件编号,事项编码,受理部门编码,街道编码,申请渠道,审批方式,申请时间,受理时间,审查完成时间,决定时间,办结时间,"
        "办理状态,办理结果,特别程序用时,到现场次数,好差评\n"
        "JH20990101000001,440704-BA-0414-01,JH004,JH017,网上办理,即办件,2026-10-20 09:00,2026-10-20 09:10,"
        "2026-10-20 09:30,2026-10-20 09:40,2026-10-20 10:00,已办结,准予,0,0,5\n")


def _settle(page: object) -> None:
    wait_ready(page)
    page.wait_for_timeout(800)  # type: ignore[attr-defined]
    wait_ready(page)


@pytest.mark.parametrize("name, path, heading", PAGES, ids=[p[0] for p in PAGES])
def test_page_draws_clean(server: str, page: object, name: str, path: str, heading: str) -> None:
    text = open_drawn(page, f"{server}/{path}", 3600 if name in ("credit", "credit_move") else 2600)
    assert title(page).startswith(heading)
    assert_clean(page, text)
    shot(page, f"ii_b_{name}")
    charts = page.locator(".js-plotly-plot")  # type: ignore[attr-defined]
    if name == "negative_list":
        # channel gaps: 区农业农村局 misses two channels, 区工商联 and 外海街道 信用中国
        assert charts.first.locator("text", has_text="未公开").count() == 4
        for dept in ("区农业农村局", "区工商联", "外海街道"):
            assert charts.first.locator("text", has_text=dept).count() >= 1
    if name == "negative_list_guides":
        assert "区交通运输局：涉及现行清单 8 项，8 项指南未在清单生效后更新（最近一次更新 2024-12-09）" in text
        assert "现行版本办事指南公开渠道：未公开" in text
    if name == "data_quality":
        heat = charts.first
        assert heat.locator("text", has_text="区人力资源社会保障局").count() == 1
    if name == "credit_move":
        assert "区市场监管局 · C类→D类：类别变动明细" in text


def test_heatmap_cell_click_drills_to_records(server: str, page: object) -> None:
    """A real click on the 区人力资源社会保障局 × 2026-08 cell opens that month's incomplete records."""
    open_drawn(page, f"{server}/data-quality?period=2026Q3")
    heat = page.locator(".js-plotly-plot").first  # type: ignore[attr-defined]
    row = heat.locator(".yaxislayer-above .ytick text", has_text="区人力资源社会保障局").bounding_box()
    col = heat.locator(".xaxislayer-above .xtick text", has_text="2026-08").bounding_box()
    x, y = col["x"] + col["width"] / 2, row["y"] + row["height"] / 2  # the cell under both labels
    page.mouse.move(x, y)  # type: ignore[attr-defined]
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    page.mouse.click(x, y)  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"dq_month=2026-08"), timeout=30_000)  # type: ignore[attr-defined]
    _settle(page)
    assert "dept=JH014" in page.url  # type: ignore[attr-defined]
    text = main_text(page)
    assert "区人力资源社会保障局 · 2026-08：数据不完整的办结件" in text
    assert_clean(page, text)
    shot(page, "ii_b_data_quality_cell")


def _as_admin(page: object, server: str) -> None:
    open_drawn(page, f"{server}/", 1800)
    sidebar = page.locator("[data-testid='stSidebar']")  # type: ignore[attr-defined]
    sidebar.get_by_role("combobox", name="演示身份").click()
    page.get_by_role("option", name="管理员").click()  # type: ignore[attr-defined]
    _settle(page)
    sidebar.get_by_role("link", name="数据导入").click()
    page.wait_for_url(re.compile(r"/import"), timeout=30_000)  # type: ignore[attr-defined]
    _settle(page)


def test_upload_bad_then_good_csv(server: str, page: object, tmp_path: Path) -> None:
    before = open_drawn(page, f"{server}/data-quality?period=2026Q3&dq_tab=导入记录")
    batches_before = int(re.search(r"导入批次记录（最近 (\d+) 批）", before).group(1))  # type: ignore[union-attr]
    _as_admin(page, server)
    text = main_text(page)
    assert title(page) == "数据导入"
    assert_clean(page, text)
    for english in ("Upload", "Drag and drop", "Browse files", "per file"):
        assert english not in text
    words = page.evaluate(  # type: ignore[attr-defined]  # the upload box's words come from CSS
        "() => { const d = document.querySelector(\"[data-testid='stFileUploaderDropzoneInstructions'] > div\");"
        " return getComputedStyle(d, '::before').content + getComputedStyle(d, '::after').content; }")
    assert "将文件拖放到此处" in words and "支持 CSV、XLSX" in words
    shot(page, "ii_b_import")

    bad, good = tmp_path / "bad", tmp_path / "good"
    bad.mkdir()
    good.mkdir()
    (bad / "办件.csv").write_text(BAD, encoding="utf-8")
    (good / "办件.csv").write_text(GOOD, encoding="utf-8")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(bad / "办件.csv"))  # type: ignore[attr-defined]
    page.get_by_text("共发现 4 个问题").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    _settle(page)
    text = main_text(page)
    assert "校验未通过：共发现 4 个问题，本批次不会导入，数据库未作任何更改" in text
    assert "确认导入" not in text
    assert_clean(page, re.sub(r"飞鸽传书|NOPE-ITEM", "", text))
    shot(page, "ii_b_import_bad")
    with page.expect_download() as download:  # type: ignore[attr-defined]
        page.get_by_role("button", name="下载 CSV").first.click()  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert [r["行号"] for r in rows] == ["2", "3", "3", "3"]
    assert {r["文件"] for r in rows} == {"办件.csv"}
    assert {(r["列"], r["单元格内容"]) for r in rows} >= {("申请渠道", "飞鸽传书"), ("事项编码", "NOPE-ITEM")}
    assert all(r["原因"] for r in rows)

    page.locator("[data-testid='stFileChipDeleteBtn'] button").first.click()  # type: ignore[attr-defined]
    _settle(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(good / "办件.csv"))  # type: ignore[attr-defined]
    page.get_by_text("校验通过").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    _settle(page)
    shot(page, "ii_b_import_good")
    page.get_by_role("button", name="确认导入").click()  # type: ignore[attr-defined]
    page.get_by_text("导入成功").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    _settle(page)
    text = main_text(page)
    assert re.search(r"导入成功（批次 \d+）：数据已更新", text)
    assert_clean(page, text)
    shot(page, "ii_b_import_done")

    # another page sees the new batches at once: the rejected and the passed validation, the commit
    after = open_drawn(page, f"{server}/data-quality?period=2026Q3&dq_tab=导入记录")
    batches_after = int(re.search(r"导入批次记录（最近 (\d+) 批）", after).group(1))  # type: ignore[union-attr]
    assert batches_after == batches_before + 3
