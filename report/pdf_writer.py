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

    def line_text(self, x_in: float, top_in: float, width_in: float, text: str, pt: float, color: str,
                  bold: bool = False, align: str = "left") -> None:
        """One line of text whose line box starts at ``top_in``."""
        c = self.c
        baseline = top_in + (layout.line_height(pt) - pt / PT) / 2 + pt * 0.86 / PT
        width = pdfmetrics.stringWidth(text, self.font, pt) / PT
        if align == "center":
            x = x_in + (width_in - width) / 2
        elif align == "right":
            x = x_in + width_in - width
        else:
            x = x_in
        c.saveState()  # the text render mode is graphics state: keep bold from leaking
        c.setFillColor(_color(color))
        t = c.beginText(x * PT, self.y(baseline))
        t.setFont(self.font, pt)
        if bold:  # fill and stroke the glyphs: a bold look from the regular face
            c.setStrokeColor(_color(color))
            c.setLineWidth(pt * 0.03)
            t.setTextRenderMode(2)
        t.textOut(text)
        c.drawText(t)
        c.restoreState()

    def text(self, box: tuple[float, float, float, float], lines: list[str], pt: float, color: str = layout.TEXT,
             bold: bool = False, align: str = "left", anchor: str = "top") -> None:
        left, top, w, h = box
        lh = layout.line_height(pt)
        block = lh * len(lines)
        start = top if anchor == "top" else top + (h - block) / 2
        for i, line in enumerate(lines):
            self.line_text(left, start + i * lh, w, line, pt, color, bold, align)

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
        lines = layout.summary_lines(model.summary)
        if lines:
            h = len(lines) * layout.SUMMARY_LINE
            top = layout.BODY_BOTTOM - h
            for i, line in enumerate(lines):
                self.line_text(m + 0.02, top + i * layout.SUMMARY_LINE, layout.BODY_W, line, layout.SUMMARY_PT,
                               layout.TEXT)

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
        issuer = layout.wrap_lines(s.issuer, w, 22)
        self.text((m, 5.5, w, 0.45 * len(issuer)), issuer, 22, layout.PRIMARY, align="center")

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
                self.text((left + 0.2, top, w - 0.4, h), layout.wrap_lines(CHART_UNAVAILABLE, w - 0.4, 14), 14,
                          layout.MUTED, align="center", anchor="middle")

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
        inner = layout.text_width(w)
        lines = layout.wrap_lines(text, inner, pt)
        self.text((x + layout.CELL_PAD_X, top, inner, h), lines, pt, color, bold=bold, align=align, anchor="middle")

    def message(self, s: MessageSlide) -> None:
        h = layout.body_height(s.summary)
        box = (layout.MARGIN + 1.0, layout.BODY_TOP + h / 2 - 0.8, layout.BODY_W - 2.0, 1.6)
        self.rect(box, layout.STRIPE_FILL, layout.RULE)
        lines = layout.wrap_lines(s.message, box[2] - 0.4, 28)
        self.text((box[0] + 0.2, box[1], box[2] - 0.4, box[3]), lines, 28, layout.MUTED, align="center",
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
