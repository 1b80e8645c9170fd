"""The deck's PDF reads as its text: a table cell wrapped onto several lines comes out of the
PDF whole, with no space put between two Chinese characters or next to full-width
punctuation where the line broke (issue 13: "no stray spaces around full-width punctuation");
brackets sit tight against what they enclose, and no line starts with closing punctuation.

The text is read with pypdf, which joins a table row into one line; before the fix each
line of a wrapped cell was its own text position, so "道路货物运输车辆《道路运输证》配发"
came out as "…《道路 运输证》配发".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from data.frames import load_frames
from metrics.engine import MetricsEngine
from metrics.results import MetricsRequest
from report import build_deck, layout, pdf_brackets, pdf_bytes
from report.pdf_writer import FONT_NAME, cjk_font
from report.slides import Column, Deck, MessageSlide, Table, TableSlide
from tests.fixtures.databases import copy_of

Q3 = MetricsRequest(dt.date(2026, 7, 1), dt.date(2026, 9, 30))
FULL_WIDTH = "，。：；、（）《》“”"
CJK = r"\u4e00-\u9fff"
# a space with a Chinese character or full-width punctuation on both sides of it
STRAY = re.compile(rf"(?<=[{CJK}{FULL_WIDTH}]) (?=[{CJK}{FULL_WIDTH}])")


def _page_texts(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def _cells(slide: TableSlide) -> list[str]:
    return [*slide.table.headers, *(cell for row in slide.table.rows for cell in row)]


def _wrapped(slide: TableSlide) -> list[str]:
    """The cells of ``slide`` that the writers break onto more than one line."""
    widths = [layout.text_width(w) for w in slide.table.widths]
    out = []
    for row in slide.table.rows:
        for text, w in zip(row, widths, strict=True):
            if len(layout.wrap_lines(text, w, layout.TABLE_PT)) > 1:
                out.append(text)
    return out


@pytest.fixture(scope="module")
def deck(_demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deck]:
    """The district deck of 2026Q3 on a demo database of this module's own."""
    from data.db import Database
    with copy_of(_demo_template, tmp_path_factory.mktemp("pdftext")) as url:
        db = Database(url)
        with db.session() as session:
            frames = load_frames(session)
        db.dispose()
        yield build_deck(MetricsEngine(frames), Q3)


def test_wrapped_cells_of_the_demo_deck_read_whole(deck: Deck) -> None:
    texts = _page_texts(pdf_bytes(deck, {}))  # no chart images: only the text matters here
    wrapped_cjk = 0
    for slide, text in zip(deck.slides, texts, strict=True):
        if not isinstance(slide, TableSlide):
            continue
        for cell in _wrapped(slide):
            assert cell in text, f"{slide.title}: 单元格「{cell}」在 PDF 文本中被拆开"
            wrapped_cjk += bool(re.search(rf"[{CJK}]", cell))
        # a space between Chinese text is a boundary between two cells, never inside one
        for m in STRAY.finditer(text):
            before, after = text[: m.start()], text[m.end():]
            cells = _cells(slide)
            assert any(before.endswith(c) for c in cells) and any(after.startswith(c) for c in cells), (
                f"{slide.title}: 多余空格「{text[max(0, m.start() - 8): m.end() + 8]}」")
    assert wrapped_cjk >= 5  # the demo deck has Chinese cells that wrap: the check is not empty


def test_wrapped_message_reads_without_spaces(deck: Deck) -> None:
    message = "本期没有需要通报的案例；" * 8 + "（以上为核实属实的案例）。"
    slide = MessageSlide(title="通报候选", message=message)
    one = dataclasses.replace(deck, slides=(slide,))
    (text,) = _page_texts(pdf_bytes(one, {}))
    assert len(layout.wrap_lines(message, layout.BODY_W - 2.4, 28)) > 1
    assert not STRAY.search(text)
    assert message in text.replace("\n", "")


CHINESE = st.text(alphabet=st.sampled_from("市场准入效能评估办件审批许可证核发区住房城乡建设局" + FULL_WIDTH + "0123456789"),
                  min_size=1, max_size=60)


@settings(max_examples=25, deadline=None)
@given(cells=st.lists(st.tuples(CHINESE, CHINESE, CHINESE), min_size=1, max_size=4))
def test_any_wrapped_cell_reads_whole(deck: Deck, cells: list[tuple[str, str, str]]) -> None:
    """Whatever Chinese text a three-column table holds, each cell reads back whole."""
    widths = (2.0, 3.0, layout.BODY_W - 5.0)
    columns = (Column("名称", 1.0), Column("说明", 1.5, align="center"), Column("备注", 3.0, align="right"))
    table = Table(columns=columns, rows=tuple(cells), widths=widths)
    slide = TableSlide(title="表", table=table)
    (text,) = _page_texts(pdf_bytes(dataclasses.replace(deck, slides=(slide,)), {}))
    for row in cells:
        for cell in row:
            assert cell in text


def test_brackets_sit_tight_against_what_they_enclose(monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF's font draws （ and ） in the middle of the em: the writer takes the inner blank
    away (it read as a stray space: "江门高新区（ 江海区 ）发展和改革局") and keeps the outer one,
    except between two marks ("）。"), where one blank is enough."""
    font = cjk_font()
    found = pdf_brackets.bearings(font)
    if font != FONT_NAME:
        pytest.skip("no TrueType CJK font on this machine (tasks.py installs fonts-wqy-microhei)")
    _left, right = found["（"]
    c_left, c_right = found["）"]
    assert right > 0.2 and c_left > 0.2  # this font's brackets are centred: the fix is needed
    line = "区（江海区）。发"
    sq = pdf_brackets.squeezes(line, font)
    inner = pdf_brackets.INNER_BLANK
    assert sq[1] == pytest.approx(right - inner)  # after （: 江 moves up to the bracket
    assert sq[4] == pytest.approx(c_left - inner)  # before ）: the bracket moves up to 区
    assert sq[5] == pytest.approx(c_right - inner)  # "）。": the bracket's outer blank goes
    assert sq[0] == sq[2] == sq[3] == sq[6] == sq[7] == 0.0  # the outer blank before （ stays
    assert "".join(run for run, _ in pdf_brackets.runs(line, font)) == line
    # a font whose brackets already sit at their inner side is left alone
    monkeypatch.setattr(pdf_brackets, "bearings", lambda _font: {"（": (0.6, 0.05), "）": (0.05, 0.6)})
    assert pdf_brackets.squeezes("区（江）发", font) == [0.0] * 5


@pytest.mark.parametrize("width", [x / 10 for x in range(20, 80, 3)])
def test_no_line_starts_with_closing_punctuation(width: float) -> None:
    text = "存在应报未报或重点督办逾期案例的，亦列为监管手段短板（严重）。口径与看板各页面一致（指标口径字典）。"
    lines = layout.wrap_lines(text, width, layout.TABLE_PT)
    assert "".join(lines) == text
    assert not [line for line in lines[1:] if line[:1] in layout.NO_LINE_START], lines
