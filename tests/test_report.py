"""The joint meeting's deck: slide model, PowerPoint, PDF and the report command, checked
against the metrics of the period on the demo data."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from charts.delta import delta_text
from data.frames import load_frames
from metrics.config import load_config
from metrics.engine import MetricsEngine
from metrics.output import format_value
from metrics.records import records_behind
from metrics.results import MetricsRequest, MetricsRequestError
from metrics.tables import HEADLINE_INDICATORS, weak_link_table
from report import build_deck, layout, pdf_bytes, pptx_bytes
from report.cases import key_case_ledger, report_candidates
from report.images import deck_images
from report.native_charts import native_chart
from report.slides import NO_TASKS_DATA, ChartSlide, HeadlineSlide, MessageSlide, TableSlide
from report.table_sections import with_tasks
from report.text import period_label
from tests.fixtures.databases import copy_of

Q3 = MetricsRequest(dt.date(2026, 7, 1), dt.date(2026, 9, 30))


@pytest.fixture(scope="module")
def demo(_demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, MetricsEngine]]:
    """(database URL, engine) on a demo database of this module's own."""
    from data.db import Database
    with copy_of(_demo_template, tmp_path_factory.mktemp("report")) as url:
        db = Database(url)
        with db.session() as session:
            frames = load_frames(session)
        db.dispose()
        yield url, MetricsEngine(frames)


@pytest.fixture(scope="module")
def files(demo: tuple[str, MetricsEngine]) -> dict[str, Any]:
    """The district deck of 2026Q3, its chart images, PPTX and PDF (built once)."""
    engine = demo[1]
    deck = build_deck(engine, Q3)
    images = deck_images(deck)
    return {"deck": deck, "images": images, "pptx": pptx_bytes(deck, images), "pdf": pdf_bytes(deck, images),
            "result": engine.compute(Q3)}


def _texts(slide: Any) -> str:
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return "\n".join(out)


def _tables(slide: Any) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in s.table.rows] for s in slide.shapes if s.has_table]


def test_deck_structure(files: dict[str, Any]) -> None:
    deck = files["deck"]
    kinds = [s.kind for s in deck.slides]
    assert kinds[0] == "cover" and kinds[1] == "headline"
    assert sum(k == "chart" for k in kinds) == 3
    titles = [s.title for s in deck.slides]
    for wanted in ("核心指标", "五维效能评分", "效能评分表", "主要短板", "督查督办台账", "通报候选", "整改任务", "附录"):
        assert any(t.startswith(wanted) for t in titles), wanted
    assert deck.period_label == "2026年第三季度"
    assert "江门高新区（江海区）发展和改革局" in deck.slides[0].issuer  # type: ignore[attr-defined]


def test_pptx_slides_pictures_and_chinese(files: dict[str, Any]) -> None:
    deck = files["deck"]
    prs = Presentation(io.BytesIO(files["pptx"]))
    assert len(prs.slides) == len(deck)
    assert prs.slide_width / prs.slide_height == pytest.approx(16 / 9, rel=1e-3)
    for model, slide in zip(deck.slides, prs.slides, strict=True):
        text = _texts(slide)
        assert model.title in text
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        charts = [s for s in slide.shapes if getattr(s, "has_chart", False) and s.has_chart]
        if isinstance(model, ChartSlide):
            native = [c for c in model.charts if native_chart(c.figure) is not None]
            assert len(charts) == len(native) and len(pictures) == len(model.charts) - len(native), model.title
        else:
            assert not pictures and not charts
    cover = _texts(prs.slides[0])
    assert "市场准入效能评估情况汇报" in cover and "江门高新区（江海区）发展和改革局" in cover
    assert "2026年第三季度（2026-07-01 至 2026-09-30）" in cover
    # every run names the CJK font for East Asian text
    run = prs.slides[1].shapes[0].text_frame.paragraphs[0].runs[0]
    ea = run._r.rPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}ea")
    assert ea is not None and ea.get("typeface") == layout.FONT_OFFICE
    assert all(files["images"].values()), "every chart was drawn"


def test_deck_charts_are_native_and_hold_the_metrics(files: dict[str, Any], demo: tuple[str, MetricsEngine]) -> None:
    """The five dimension scores slide of the district deck: an editable column chart whose
    values are the district's dimension scores, every chart text in the office font."""
    deck, result = files["deck"], files["result"]
    prs = Presentation(io.BytesIO(files["pptx"]))
    idx = next(i for i, s in enumerate(deck.slides) if s.title == "五维效能评分")
    charts = [s.chart for s in prs.slides[idx].shapes if s.has_chart]
    assert len(charts) == 2
    district = demo[1].scores_of(result.district)
    cfg = load_config()
    dims = charts[0]
    assert list(dims.plots[0].categories) == [d.name for d in cfg.dimensions]
    assert list(dims.plots[0].series[0].values) == [pytest.approx(district.dimensions.get(d.name))
                                                    for d in cfg.dimensions]
    ea = dims._chartSpace.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}ea")
    assert ea is not None and ea.get("typeface") == layout.FONT_OFFICE
    trends = [s for s in prs.slides if any(sh.has_chart and sh.chart.chart_type == XL_CHART_TYPE.LINE_MARKERS for sh in s.shapes)]
    assert len(trends) == 2  # the two monthly trend slides: native line charts


def test_headline_changes_are_coloured_by_the_better_way(files: dict[str, Any]) -> None:
    """平均办理用时 and 超期未办结件数 are not scored but lower is better: a rise is bad."""
    heads = next(s for s in files["deck"].slides if isinstance(s, HeadlineSlide)).headlines
    result = files["result"]
    for h in heads:
        if h.indicator in ("avg_processing_wd", "open_overdue_count"):
            diff = result.district[h.indicator] - result.previous_district[h.indicator]
            assert h.tone == ("bad" if diff > 0 else "good" if diff < 0 else "neutral"), h.indicator


def test_headline_changes_of_an_incomplete_period_are_not_coloured(demo: tuple[str, MetricsEngine]) -> None:
    """2026Q4 ends after the data (2026-10-30): its changes compare one month with a whole
    quarter, so no card is called better or worse, and the slide says why (issue 13 §2)."""
    q4 = MetricsRequest(dt.date(2026, 10, 1), dt.date(2026, 12, 31), score_incomplete=False)
    slide = next(s for s in build_deck(demo[1], q4).slides if isinstance(s, HeadlineSlide))
    assert any(h.delta and h.delta != "持平" for h in slide.headlines)
    assert {h.tone for h in slide.headlines} == {"neutral"}
    assert "本期数据不完整，变化只比较了部分时段，不标注好坏" in slide.summary[0]


def test_headline_figures_are_the_metrics(files: dict[str, Any]) -> None:
    deck, result = files["deck"], files["result"]
    prs = Presentation(io.BytesIO(files["pptx"]))
    idx = next(i for i, s in enumerate(deck.slides) if isinstance(s, HeadlineSlide))
    text = _texts(prs.slides[idx])
    cfg = load_config()
    for ind in HEADLINE_INDICATORS:
        unit = cfg.indicator(ind).unit
        value = format_value(result.district[ind], unit)
        assert f"{cfg.indicator(ind).name}\n{value}" in text, ind
        assert f"上期 {format_value(result.previous_district[ind], unit)}" in text
        delta = delta_text(result.district[ind], result.previous_district[ind], unit)
        assert f"较上期 {delta}" in text


def test_weak_link_slides_are_few_large_and_the_metrics(files: dict[str, Any]) -> None:
    """The district deck lists the weak links one department a row, the most serious first,
    at 18 pt in the PowerPoint file: the 40 links of the demo quarter take 4 slides (5 at
    14 pt one link a row before), and every link is named in its department's row."""
    deck, result = files["deck"], files["result"]
    prs = Presentation(io.BytesIO(files["pptx"]))
    rows, sizes = [], set()
    weak = [(m, s) for m, s in zip(deck.slides, prs.slides, strict=True) if m.title.startswith("主要短板")]
    assert [m.title for m, _ in weak] == [f"主要短板（{i}/4）" for i in range(1, 5)]
    for model, slide in weak:
        assert isinstance(model, TableSlide) and model.table.pt == layout.LARGE_TABLE_PT == 18
        assert len(model.table.rows) <= layout.LARGE_TABLE_ROWS
        (table,) = _tables(slide)
        assert table[0] == ["部门", "严重短板", "一般短板", "条数"]
        rows.extend(table[1:])
        (shape,) = [s for s in slide.shapes if s.has_table]
        sizes |= {run.font.size.pt for row in shape.table.rows for cell in row.cells
                  for p in cell.text_frame.paragraphs for run in p.runs}
    assert sizes == {18.0}
    links = weak_link_table(result)
    assert len(links) == 40 and len(rows) == links["dept_code"].nunique() == 15
    assert sum(int(r[3]) for r in rows) == len(links)
    assert not any("…" in cell for r in rows for cell in r)  # no link cut off
    by_name = {r[0]: r for r in rows}
    cfg = load_config()
    for link in links.itertuples(index=False):
        row = by_name[link.dept_name]
        cell = row[1] if link.severity == "严重" else row[2]
        assert f"{link.indicator_name} {format_value(link.value, cfg.indicator(link.indicator).unit)}" in cell
    # the most serious departments first: 严重 counts never rise down the list
    serious = [int((links[links["dept_name"] == r[0]]["severity"] == "严重").sum()) for r in rows]
    assert serious == sorted(serious, reverse=True) and serious[0] == 5
    assert rows[0][0] == "区住房城乡建设局"
    # the planted weak links are on the slides, with why a fall is a weak link
    assert "应报未报案例数（通报候选） 1" in by_name["区文化广电旅游体育局"][1]
    assert "重点督办逾期未整改数 1" in by_name["区应急管理局"][1]
    assert "（较上期下降17分）" in by_name["区应急管理局"][2]


def test_ledger_and_candidates_agree_with_the_indicators(demo: tuple[str, MetricsEngine],
                                                         files: dict[str, Any]) -> None:
    engine, result = demo[1], files["result"]
    ledger = key_case_ledger(engine, Q3)
    assert int(ledger["overdue"].sum()) == result.district["key_overdue_count"]
    overdue = ledger[ledger["overdue"]]
    assert set(overdue["case_id"]) == set(records_behind(engine, Q3, None, "key_overdue_count")["case_id"])
    assert (overdue["dept_code"] == "JH012").all()
    candidates = report_candidates(engine, Q3)
    assert len(candidates) == result.district["unreported_count"]
    deck, prs = files["deck"], Presentation(io.BytesIO(files["pptx"]))
    for model, slide in zip(deck.slides, prs.slides, strict=True):
        if model.title == "督查督办台账":
            (table,) = _tables(slide)
            assert len(table) - 1 == len(ledger)
            assert any(r[0] == "区应急管理局" and r[4] == "2026-08-31" and "逾期" in r[5] for r in table[1:])
        if model.title.startswith("通报候选"):
            if candidates.empty:
                assert isinstance(model, MessageSlide)
            else:
                (table,) = _tables(slide)
                assert [r[0] for r in table[1:]] == candidates["case_id"].tolist()


def test_pdf_has_a_page_per_slide(files: dict[str, Any]) -> None:
    reader = PdfReader(io.BytesIO(files["pdf"]))
    assert len(reader.pages) == len(files["deck"])
    first = reader.pages[0].extract_text()
    assert "市场准入效能评估情况汇报" in first
    assert "核心指标" in reader.pages[1].extract_text()


def test_tasks_slide(files: dict[str, Any]) -> None:
    deck = files["deck"]
    tasks_slides = [s for s in deck.slides if s.title.startswith("整改任务")]
    assert len(tasks_slides) == 1 and isinstance(tasks_slides[0], MessageSlide)
    assert tasks_slides[0].message == NO_TASKS_DATA
    frame = pd.DataFrame({
        "title": ["压缩审查环节用时", "补齐办事指南"], "dept_code": ["JH009", "JH011"],
        "responsible": ["张三", "李四"], "deadline": [dt.date(2026, 9, 1), dt.date(2026, 12, 31)],
        "status": ["整改中", "待整改"], "overdue": [True, False],
    })
    new = with_tasks(deck, frame)
    assert len(new) == len(deck)
    (slide,) = [s for s in new.slides if s.title.startswith("整改任务")]
    assert isinstance(slide, TableSlide)
    assert slide.table.rows[0] == ("压缩审查环节用时", "区住房城乡建设局", "张三", "2026-09-01", "整改中", "逾期", "0")
    assert slide.table.tone(0, 5) == "bad"
    empty = with_tasks(deck, frame.iloc[0:0])
    (msg,) = [s for s in empty.slides if s.title.startswith("整改任务")]
    assert isinstance(msg, MessageSlide) and "没有未完成" in msg.message


def test_tasks_from_the_database(demo: tuple[str, MetricsEngine]) -> None:
    from data import tasks as store
    from data.accounts import ADMIN, Principal
    from data.db import Database
    from report.tasks import database_source

    db = Database(demo[0])
    try:
        with db.session() as session:
            store.create_task(session, Principal("admin", "管理员", ADMIN), title="清理隐性壁垒", dept="JH012",
                              responsible="何志强", deadline=dt.date(2026, 9, 15), requirement="按期整改")
        deck = build_deck(demo[1], Q3, "JH012", database_source(db))
    finally:
        db.dispose()
    (slide,) = [s for s in deck.slides if s.title.startswith("整改任务")]
    assert isinstance(slide, TableSlide)
    assert slide.table.rows == (("清理隐性壁垒", "区应急管理局", "何志强", "2026-09-15", "待整改", "逾期", "0"),)


def test_department_report(demo: tuple[str, MetricsEngine]) -> None:
    engine = demo[1]
    deck = build_deck(engine, Q3, "JH010")
    assert deck.dept == "JH010" and deck.slides[0].title == "市场准入效能部门自查报告"
    assert not any(s.title.startswith("效能评分表") for s in deck.slides)
    result = engine.compute(MetricsRequest(Q3.date_from, Q3.date_to, dept="JH010"))
    links = [s for s in deck.slides if s.title.startswith("主要短板")]
    rows = [r for s in links if isinstance(s, TableSlide) for r in s.table.rows]
    assert [r[0] for r in rows] == list(weak_link_table(result)["indicator_name"])
    assert all(isinstance(s, TableSlide) and s.table.pt == layout.LARGE_TABLE_PT for s in links)
    headlines = next(s for s in deck.slides if isinstance(s, HeadlineSlide))
    assert headlines.headlines[0].value == format_value(result.departments["JH010"]["on_time_rate"], "ratio")
    with pytest.raises(MetricsRequestError):
        build_deck(engine, Q3, "NOPE")


def test_report_command(demo: tuple[str, MetricsEngine], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cli.main import main

    out = tmp_path / "自查.pdf"
    assert main(["--db", demo[0], "report", "--from", "2026-07-01", "--to", "2026-09-30", "--dept", "JH009",
                 "--out", str(out)]) == 0
    assert "已生成区住房城乡建设局2026年第三季度" in capsys.readouterr().out
    deck = build_deck(demo[1], Q3, "JH009")
    assert len(PdfReader(out).pages) == len(deck)
    assert main(["--db", demo[0], "report", "--from", "2026-07-01", "--to", "2026-09-30",
                 "--out", str(tmp_path / "x.txt")]) == 2
    assert "pptx" in capsys.readouterr().err
    assert main(["--db", demo[0], "report", "--from", "2026-09-30", "--to", "2026-07-01", "--format", "pptx",
                 "--out", str(tmp_path / "x.pptx")]) == 2


# ---------------------------------------------------------------- layout (no database)


def test_wrap_and_fit() -> None:
    assert layout.wrap_lines("", 1.0, 14) == [""]
    lines = layout.wrap_lines("市场准入效能评估看板" * 3, 1.5, 14)
    assert "".join(lines) == "市场准入效能评估看板" * 3
    assert all(layout.text_em(x) * 14 / 72 <= 1.5 for x in lines)
    short = layout.fit_text("一二三四五六七八九十" * 5, 1.5, 14, 2)
    assert short.endswith("…") and len(layout.wrap_lines(short, 1.5, 14)) == 2
    assert layout.fit_text("短", 1.5, 14, 1) == "短"


def test_pagination_and_widths() -> None:
    pages = layout.paginate([0.5] * 30, 0.4, 4.0)
    assert [len(p) for p in pages] == [7, 7, 7, 7, 2]
    assert layout.paginate([0.3] * 30, 0.3, 10.0)[0] == range(0, layout.MAX_TABLE_ROWS)
    widths = layout.column_widths([1, 1, 1], 9.0, [0.0, 4.0, 0.0])
    assert widths == pytest.approx((2.5, 4.0, 2.5))
    assert period_label(dt.date(2026, 7, 1), dt.date(2026, 9, 30)) == "2026年第三季度"
    assert period_label(dt.date(2026, 7, 1), dt.date(2026, 7, 31)) == "2026年7月"
    assert period_label(dt.date(2026, 7, 2), dt.date(2026, 7, 31)) == "2026-07-02 至 2026-07-31"
    assert delta_text(0.9, 0.8, "ratio") == "+10.0个百分点"
    assert delta_text(0.9, 0.90001, "ratio") == "持平"
    assert delta_text(None, 1, "count") is None


def test_a_deck_takes_its_pieces_from_the_callers_kept_views(demo: tuple[str, MetricsEngine]) -> None:
    """build_deck(view=...) asks the caller for its pure pieces (the trend table, ledger,
    candidates and screen) instead of computing them, and the deck is the same."""
    engine = demo[1]
    for dept in (None, "JH010"):
        asked: list[str] = []

        def view(fn: Any, *args: Any, asked: list[str] = asked) -> Any:
            asked.append(fn.__qualname__)
            return fn(engine, *args)

        kept, made = build_deck(engine, Q3, dept, view=view), build_deck(engine, Q3, dept)
        assert sorted(set(asked)) == ["key_case_ledger", "monthly_values", "report_candidates", "screen"]
        assert kept.slides == made.slides  # titles, tables and summaries (figures compare by key)
        charts = [[ch.figure.to_json() for ch in s.charts] for d in (kept, made) for s in d.slides
                  if isinstance(s, ChartSlide)]
        assert charts[:len(charts) // 2] == charts[len(charts) // 2:] and charts[0]
