"""The deck as PDF, one page per slide, drawn from the same slide model with reportlab.

No office suite is needed: each slide of :class:`report.slides.Deck` is drawn at the
positions :mod:`report.layout` gives (the PowerPoint writer uses the same), with the chart
PNGs the PowerPoint file gets, so the PDF has exactly as many pages as the deck has slides.

Chinese text needs a TrueType CJK font embedded in the PDF (reportlab cannot embed the
CFF-outline Noto Sans CJK): WenQuanYi Micro Hei from Debian's ``fonts-wqy-microhei`` (the
project's tasks.py installs it), else another TrueType CJK font found on the machine, else
reportlab's built-in ``STSong-Light`` CID font (not embedded; viewers substitute a CJK font).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from report import layout
from report.images import CHART_UNAVAILABLE, deck_images
from report.pdf_brackets import runs, squeezes
from report.slides import (
    ChartSlide,
    CoverSlide,
    Deck,
    HeadlineSlide,
    MessageSlide,
    Slide,
    TableSlide,
    headline_delta,
)

FONT_NAME = "DeckCJK"
CID_FALLBACK = "STSong-Light"
TTF_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
    ("/System/Library/Fonts/Supplemental/Arial Unicode.ttf", 0),
)
PT = 72.0  # points per inch


@cache
def cjk_font() -> str:
    """Register and return the name of the CJK font the PDF uses (embedded TrueType if any)."""
    from reportlab.pdfbase.ttfonts import TTFont

    for path, index in TTF_CANDIDATES:
        if Path(path).is_file():
            try:
                pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=index))
                return FONT_NAME
            except Exception:  # an unusable file: try the next one
                continue
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return CID_FALLBACK


def _color(hex_: str) -> HexColor:
    return HexColor(f"#{hex_}")


class _Writer:
    def __init__(self, deck: Deck, images: Mapping[str, bytes | None]) -> None:
        self.deck = deck
        self.images = images
        self.font = cjk_font()
        self.buf = io.BytesIO()
        self.c = Canvas(self.buf, pagesize=(layout.SLIDE_W * PT, layout.SLIDE_H * PT))
        self.c.setTitle(f"{deck.title} {deck.period_label}")
        self.c.setAuthor(deck.issuer)
        self.c.setSubject(deck.footer)

    # ------------------------------------------------------------ primitives (inches, top-left origin)

    def y(self, top_in: float) -> float:
        return (layout.SLIDE_H - top_in) * PT

    def rect(self, box: tuple[float, float, float, float], fill: str, line: str | None = None) -> None:
        left, top, w, h = box
        c = self.c
        c.setFillColor(_color(fill))
        if line:
            c.setStrokeColor(_color(line))
            c.setLineWidth(0.75)
        c.rect(left * PT, self.y(top + h), w * PT, h * PT, stroke=1 if line else 0, fill=1)

    def _x(self, x_in: float, width_in: float, text: str, pt: float, align: str) -> float:
        """Left edge (inches) of ``text`` aligned in a box ``width_in`` wide starting at ``x_in``."""
        width = (pdfmetrics.stringWidth(text, self.font, pt) - sum(squeezes(text, self.font)) * pt) / PT
        if align == "center":
            return x_in + (width_in - width) / 2
        if align == "right":
            return x_in + width_in - width
        return x_in

    def paragraph(self, x_in: float, top_in: float, width_in: float, lines: list[str], pt: float, color: str,
                  bold: bool = False, align: str = "left", step_in: float | None = None) -> None:
        """The wrapped lines of one paragraph, the first line box starting at ``top_in``.

        The lines are one text object: each next line is set lower with the text rise
        (``Ts``) and moved back along the baseline (``Td``), rather than given a new text
        position. A reader of the text (copy, search, pypdf) then takes the paragraph as the
        one run it is, and does not put a space where a Chinese line broke: pypdf reads a
        table row as one line and joins its cells' separately placed lines with spaces
        ("《道路 运输证》"). The drawn glyphs are the same either way.
        """
        c = self.c
        step = layout.line_height(pt) if step_in is None else step_in
        baseline = top_in + (layout.line_height(pt) - pt / PT) / 2 + pt * 0.86 / PT
        c.saveState()  # the text render mode is graphics state: keep bold from leaking
        c.setFillColor(_color(color))
        xs = [self._x(x_in, width_in, line, pt, align) for line in lines]
        t = c.beginText(xs[0] * PT, self.y(baseline))
        t.setFont(self.font, pt)
        if bold:  # fill and stroke the glyphs: a bold look from the regular face
            c.setStrokeColor(_color(color))
            c.setLineWidth(pt * 0.03)
            t.setTextRenderMode(2)
        spaced = False  # a character spacing (Tc) is set
        for i, line in enumerate(lines):
            if i:
                t.moveCursor((xs[i] - xs[i - 1]) * PT, 0)
                t.setRise(-i * step * PT)
            for run, squeeze in runs(line, self.font):  # brackets tight inside (report.pdf_brackets)
                if squeeze or spaced:
                    t.setCharSpace(-squeeze * pt)
                    spaced = bool(squeeze)
                t.textOut(run)
        c.drawText(t)
        c.restoreState()

    def text(self, box: tuple[float, float, float, float], lines: list[str], pt: float, color: str = layout.TEXT,
             bold: bool = False, align: str = "left", anchor: str = "top") -> None:
        """The lines of one paragraph in a box, drawn as one run (see :meth:`paragraph`)."""
        left, top, w, h = box
        lh = layout.line_height(pt)
        start = top if anchor == "top" else top + (h - lh * len(lines)) / 2
        self.paragraph(left, start, w, lines, pt, color, bold, align)

    def block(self, box: tuple[float, float, float, float], text: str, pt: float, color: str = layout.TEXT,
              bold: bool = False, align: str = "left", anchor: str = "top") -> None:
        """``text`` wrapped to the box's width, each of its paragraphs (split at explicit line
        breaks) one run; the lines are those :func:`report.layout.wrap_lines` gives."""
        left, top, w, h = box
        lh = layout.line_height(pt)
        paras = [layout.wrap_lines(p, w, pt) for p in (text or "").split("\n")]
        n = sum(len(p) for p in paras)
        start = top if anchor == "top" else top + (h - lh * n) / 2
        for lines in paras:
            self.paragraph(left, start, w, lines, pt, color, bold, align)
            start += lh * len(lines)

    # ------------------------------------------------------------ frame of every slide

    def frame(self, model: Slide, number: int) -> None:
        m = layout.MARGIN
        self.text((m, layout.TITLE_TOP, layout.BODY_W, layout.TITLE_H), [model.title], layout.TITLE_PT,
                  layout.PRIMARY, bold=True, anchor="middle")
        self.rect((m, layout.TITLE_TOP + layout.TITLE_H + 0.05, layout.BODY_W, 0.03), layout.PRIMARY)
        self.text((m, layout.FOOTER_TOP, layout.BODY_W * 0.8, layout.FOOTER_H), [self.deck.footer],
                  layout.FOOTER_PT, layout.MUTED, anchor="middle")
        self.text((m + layout.BODY_W * 0.8, layout.FOOTER_TOP, layout.BODY_W * 0.2, layout.FOOTER_H),
                  [f"{number} / {len(self.deck)}"], layout.FOOTER_PT, layout.MUTED, align="right", anchor="middle")
        top = layout.BODY_BOTTOM - len(layout.summary_lines(model.summary)) * layout.SUMMARY_LINE
        for item in model.summary:  # each bullet one run, its lines as summary_lines wraps them
            lines = layout.summary_lines([item])
            self.paragraph(m + 0.02, top, layout.BODY_W, lines, layout.SUMMARY_PT, layout.TEXT,
                           step_in=layout.SUMMARY_LINE)
            top += len(lines) * layout.SUMMARY_LINE

    # ------------------------------------------------------------ slide kinds

    def cover(self, s: CoverSlide) -> None:
        self.rect((0, 0, layout.SLIDE_W, 0.35), layout.PRIMARY)
        self.rect((0, layout.SLIDE_H - 0.2, layout.SLIDE_W, 0.2), layout.ACCENT)
        m, w = 1.0, layout.SLIDE_W - 2.0
        self.text((m, 1.7, w, 1.0), [s.title], 44, layout.PRIMARY, bold=True, align="center", anchor="middle")
        self.text((m, 2.8, w, 0.6), [s.subtitle], 26, layout.TEXT, align="center", anchor="middle")
        self.rect((layout.SLIDE_W / 2 - 1.5, 3.6, 3.0, 0.04), layout.ACCENT)
        self.text((m, 3.9, w, 0.55), [s.period], 24, layout.TEXT, align="center", anchor="middle")
        self.text((m, 4.5, w, 0.45), [s.date_line], 18, layout.MUTED, align="center", anchor="middle")
        self.block((m, 5.5, w, 0.45 * len(layout.wrap_lines(s.issuer, w, 22))), s.issuer, 22, layout.PRIMARY,
                   align="center")

    def headlines(self, s: HeadlineSlide) -> None:
        for h, box in zip(s.headlines, layout.card_boxes(len(s.headlines), s.summary), strict=True):
            left, t, _w, ht = box
            self.rect(box, layout.STRIPE_FILL, layout.RULE)
            self.rect((left, t, 0.08, ht), layout.PRIMARY)
            name, value, delta, compare = layout.card_lines(box)
            self.text(name, [h.name], layout.CARD_NAME_PT, layout.TEXT, anchor="middle")
            self.text(value, [h.value], layout.CARD_VALUE_PT, layout.PRIMARY, bold=True, anchor="middle")
            self.text(delta, [headline_delta(h)], layout.CARD_DELTA_PT, layout.TONE_COLORS[h.tone], anchor="middle")
            self.text(compare, [h.compare], layout.CARD_NOTE_PT, layout.MUTED, anchor="middle")

    def charts(self, s: ChartSlide) -> None:
        boxes = layout.chart_boxes([c.weight for c in s.charts], s.summary)
        for chart, (left, top, w, h) in zip(s.charts, boxes, strict=True):
            png = self.images.get(chart.key)
            if png:
                self.c.drawImage(ImageReader(io.BytesIO(png)), left * PT, self.y(top + h), w * PT, h * PT)
            else:
                self.rect((left, top, w, h), layout.STRIPE_FILL, layout.RULE)
                self.block((left + 0.2, top, w - 0.4, h), CHART_UNAVAILABLE, 14, layout.MUTED, align="center",
                           anchor="middle")

    def table(self, s: TableSlide) -> None:
        t = s.table
        geo = t.geometry()
        xs = [layout.MARGIN]
        for w in geo.widths:
            xs.append(xs[-1] + w)
        top = layout.BODY_TOP
        self.rect((layout.MARGIN, top, layout.BODY_W, geo.header_height), layout.HEADER_FILL)
        for j, col in enumerate(t.columns):
            self._cell(xs[j], top, geo.widths[j], geo.header_height, col.header, t.header_pt, "FFFFFF",
                       "center", True)
        top += geo.header_height
        for i, (row, h) in enumerate(zip(t.rows, geo.row_heights, strict=True)):
            self.rect((layout.MARGIN, top, layout.BODY_W, h), layout.STRIPE_FILL if i % 2 else "FFFFFF")
            for j, (text, col) in enumerate(zip(row, t.columns, strict=True)):
                tone = t.tone(i, j)
                self._cell(xs[j], top, geo.widths[j], h, text, t.pt,
                           layout.TONE_COLORS.get(tone, layout.TEXT), col.align, tone == "bad")
            top += h
        c = self.c
        c.setStrokeColor(_color(layout.RULE))
        c.setLineWidth(0.75)
        c.line(layout.MARGIN * PT, self.y(top), (layout.MARGIN + layout.BODY_W) * PT, self.y(top))

    def _cell(self, x: float, top: float, w: float, h: float, text: str, pt: float, color: str, align: str,
              bold: bool) -> None:
        self.block((x + layout.CELL_PAD_X, top, layout.text_width(w), h), text, pt, color, bold=bold, align=align,
                   anchor="middle")

    def message(self, s: MessageSlide) -> None:
        h = layout.body_height(s.summary)
        box = (layout.MARGIN + 1.0, layout.BODY_TOP + h / 2 - 0.8, layout.BODY_W - 2.0, 1.6)
        self.rect(box, layout.STRIPE_FILL, layout.RULE)
        self.block((box[0] + 0.2, box[1], box[2] - 0.4, box[3]), s.message, 28, layout.MUTED, align="center",
                  anchor="middle")

    def write(self) -> bytes:
        for number, model in enumerate(self.deck.slides, start=1):
            if isinstance(model, CoverSlide):
                self.cover(model)
            else:
                self.frame(model, number)
                if isinstance(model, HeadlineSlide):
                    self.headlines(model)
                elif isinstance(model, ChartSlide):
                    self.charts(model)
                elif isinstance(model, TableSlide):
                    self.table(model)
                elif isinstance(model, MessageSlide):
                    self.message(model)
            self.c.showPage()
        self.c.save()
        return self.buf.getvalue()


def pdf_bytes(deck: Deck, images: Mapping[str, bytes | None] | None = None) -> bytes:
    """The deck as PDF bytes (one page per slide); chart images are rendered unless given."""
    return _Writer(deck, deck_images(deck) if images is None else images).write()


def write_pdf(deck: Deck, path: str | Path, images: Mapping[str, bytes | None] | None = None) -> Path:
    out = Path(path)
    out.write_bytes(pdf_bytes(deck, images))
    return out
