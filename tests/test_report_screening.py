"""The deck's 隐性壁垒筛查 slide on the demo data: the period's signals (exactly the planted
barriers, as the screen finds them) with kind, department, item, both groups, effect and q;
a department's self-check report lists only its own; a quiet period says so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import BytesIO

import pytest
from pptx import Presentation

from data.demo import planted
from data.frames import load_frames
from metrics.access import restrict_frames
from metrics.engine import MetricsEngine
from metrics.results import MetricsRequest
from metrics.screening.model import ScreeningRequest
from metrics.screening.screener import Screener
from report.deck import build_deck
from report.images import deck_images
from report.pptx_writer import pptx_bytes
from report.screening import TITLE
from report.slides import MessageSlide, TableSlide

YEAR = MetricsRequest(dt.date(2025, 1, 1), dt.date(2025, 12, 31))


@pytest.fixture(scope="module")
def engine(_demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[MetricsEngine]:
    from data.db import Database
    from tests.fixtures.databases import copy_of

    with copy_of(_demo_template, tmp_path_factory.mktemp("report_screening")) as url:
        db = Database(url)
        with db.session() as session:
            frames = load_frames(session)
        db.dispose()
        yield MetricsEngine(frames)


def test_signal_slide_lists_the_screens_signals(engine: MetricsEngine) -> None:
    deck = build_deck(engine, YEAR)
    (slide,) = [s for s in deck.slides if s.title.startswith(TITLE)]
    assert isinstance(slide, TableSlide)
    assert slide.table.headers == ("类型", "责任单位", "事项", "外地主体", "本地主体", "差异", "q值")
    expected = Screener(engine).screen(ScreeningRequest(YEAR.date_from, YEAR.date_to))
    assert len(slide.table.rows) == len(expected.signals) == 5
    items = [r[2] for r in slide.table.rows]
    assert set(items) == {name for _, name in (*planted.NONLOCAL_BARRIERS.values(), planted.LIFTED_ITEM)}
    rejection = next(s for s in expected.signals if s.kind == "nonlocal_rejection")
    assert rejection.local is not None and rejection.nonlocal_ is not None
    row = slide.table.rows[0]  # the spec's order: rejection first
    assert row[0] == "外地主体不予受理/不予许可率偏高" and row[1] == "区卫生健康局"
    assert row[3] == f"{rejection.nonlocal_.n}件 / {rejection.nonlocal_.value * 100:.1f}%"
    assert row[4] == f"{rejection.local.n}件 / {rejection.local.value * 100:.1f}%"
    assert row[5] == f"{rejection.effect * 100:+.1f}个百分点" and row[6] == f"{rejection.q_value:.2g}"
    time = next(r for r in slide.table.rows if r[0] == "外地主体办理用时偏长")
    assert time[3].endswith("个工作日") and time[3].startswith(f"{expected.signals[1].nonlocal_.n}件 / 中位数")  # type: ignore[union-attr]
    lifted = slide.table.rows[-1]
    assert lifted[0] == "国家已放开地方仍审批" and lifted[3] == lifted[4] == lifted[6] == "—"
    assert "不是认定结论" in slide.summary[0]
    # the slide is in the PowerPoint file with the same text
    deck_bytes = pptx_bytes(deck, deck_images(deck))
    prs = Presentation(BytesIO(deck_bytes))
    index = deck.slides.index(slide)
    text = "\n".join(cell.text for shape in prs.slides[index].shapes if shape.has_table
                     for r in shape.table.rows for cell in r.cells)
    assert all(name in text for name in items)


def test_department_report_lists_only_its_own_signals(engine: MetricsEngine) -> None:
    own = MetricsEngine(restrict_frames(engine.frames, "JH004"), engine.config)
    deck = build_deck(own, YEAR, "JH004", district_engine=engine)
    (slide,) = [s for s in deck.slides if s.title.startswith(TITLE)]
    assert isinstance(slide, TableSlide)
    assert {r[2] for r in slide.table.rows} == {planted.TIME_ITEM[1], planted.SUSPENSION_ITEM[1]}
    assert slide.summary[0].startswith("本部门本期筛查线索 2 条")


def test_quiet_department_says_so(engine: MetricsEngine) -> None:
    own = MetricsEngine(restrict_frames(engine.frames, "JH009"), engine.config)
    deck = build_deck(own, YEAR, "JH009", district_engine=engine)
    (slide,) = [s for s in deck.slides if s.title.startswith(TITLE)]
    assert isinstance(slide, MessageSlide) and slide.message == "本期未发现隐性壁垒筛查线索。"
