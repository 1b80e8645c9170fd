"""The deck as a PowerPoint file (python-pptx, 16:9): one slide per slide of the model.

Boxes come from :mod:`report.layout`, so this file and the PDF place everything alike.
Every run names the CJK font for Latin and East Asian text (``a:latin`` and ``a:ea``), so
Chinese renders with Noto Sans CJK SC where it is installed (Debian's fonts-noto-cjk) and
with the system's CJK font elsewhere.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

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

ALIGN = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}


def _rgb(hex_: str) -> RGBColor:
    return RGBColor.from_string(hex_)


class _Writer:
    def __init__(self, deck: Deck, images: Mapping[str, bytes | None], font: str) -> None:
        self.deck = deck
        self.images = images
        self.font = font
        self.prs = Presentation()
        self.prs.slide_width = Inches(layout.SLIDE_W)
        self.prs.slide_height = Inches(layout.SLIDE_H)
        self.blank = self.prs.slide_layouts[6]
        self.prs.core_properties.title = f"{deck.title} {deck.period_label}"
        self.prs.core_properties.author = deck.issuer
        self.prs.core_properties.language = "zh-CN"

    # ------------------------------------------------------------ text

    def _font(self, run, pt: float, color: str, bold: bool) -> None:  # type: ignore[no-untyped-def]
        f = run.font
        f.size = Pt(pt)
        f.bold = bold
        f.color.rgb = _rgb(color)
        f.name = self.font
        rpr = run._r.get_or_add_rPr()
        rpr.set("lang", "zh-CN")
        rpr.set("altLang", "en-US")
        for tag in ("a:ea", "a:cs"):
            old = rpr.find(qn(tag))
            if old is not None:
                rpr.remove(old)
        latin = rpr.find(qn("a:latin"))
        ea = etree.SubElement(rpr, qn("a:ea"))
        ea.set("typeface", self.font)
        cs = etree.SubElement(rpr, qn("a:cs"))
        cs.set("typeface", self.font)
        latin.addnext(ea)
        ea.addnext(cs)

    def text(self, slide, box: tuple[float, float, float, float], lines: list[str], pt: float,  # type: ignore[no-untyped-def]
             color: str = layout.TEXT, bold: bool = False, align: str = "left",
             anchor: MSO_ANCHOR = MSO_ANCHOR.TOP, wrap: bool = True) -> None:
        left, top, width, height = box
        tb = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        tf = tb.text_frame
        tf.word_wrap = wrap
        tf.auto_size = None
        tf.vertical_anchor = anchor
        tf.margin_left = tf.margin_right = Inches(0.02)
        tf.margin_top = tf.margin_bottom = Inches(0.0)
        for i, line in enumerate(lines):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.alignment = ALIGN[align]
            p.line_spacing = Pt(pt * layout.LINE_FACTOR)  # exactly the layout's line height
            run = p.add_run()
            run.text = line
            self._font(run, pt, color, bold)

    def rect(self, slide, box: tuple[float, float, float, float], fill: str, line: str | None = None,  # type: ignore[no-untyped-def]
             shape: MSO_SHAPE = MSO_SHAPE.RECTANGLE):
        left, top, width, height = box
        s = slide.shapes.add_shape(shape, Inches(left), Inches(top), Inches(width), Inches(height))
        s.fill.solid()
        s.fill.fore_color.rgb = _rgb(fill)
        if line is None:
            s.line.fill.background()
        else:
            s.line.color.rgb = _rgb(line)
            s.line.width = Pt(0.75)
        s.shadow.inherit = False
        if s.has_text_frame:
            s.text_frame.text = ""
        return s

    # ------------------------------------------------------------ frame of every slide

    def frame(self, slide, model: Slide, number: int) -> None:  # type: ignore[no-untyped-def]
        m = layout.MARGIN
        self.text(slide, (m, layout.TITLE_TOP, layout.BODY_W, layout.TITLE_H), [model.title], layout.TITLE_PT,
                  layout.PRIMARY, bold=True, anchor=MSO_ANCHOR.MIDDLE, wrap=False)
        self.rect(slide, (m, layout.TITLE_TOP + layout.TITLE_H + 0.05, layout.BODY_W, 0.03), layout.PRIMARY)
        foot = (m, layout.FOOTER_TOP, layout.BODY_W * 0.8, layout.FOOTER_H)
        self.text(slide, foot, [self.deck.footer], layout.FOOTER_PT, layout.MUTED, anchor=MSO_ANCHOR.MIDDLE)
        self.text(slide, (m + layout.BODY_W * 0.8, layout.FOOTER_TOP, layout.BODY_W * 0.2, layout.FOOTER_H),
                  [f"{number} / {len(self.deck)}"], layout.FOOTER_PT, layout.MUTED, align="right",
                  anchor=MSO_ANCHOR.MIDDLE)
        lines = layout.summary_lines(model.summary)
        if lines:
            h = len(lines) * layout.SUMMARY_LINE
            self.text(slide, (m, layout.BODY_BOTTOM - h, layout.BODY_W, h), lines, layout.SUMMARY_PT, layout.TEXT)

    # ------------------------------------------------------------ slide kinds

    def cover(self, slide, s: CoverSlide) -> None:  # type: ignore[no-untyped-def]
        self.rect(slide, (0, 0, layout.SLIDE_W, 0.35), layout.PRIMARY)
        self.rect(slide, (0, layout.SLIDE_H - 0.2, layout.SLIDE_W, 0.2), layout.ACCENT)
        m, w = 1.0, layout.SLIDE_W - 2.0
        self.text(slide, (m, 1.7, w, 1.0), [s.title], 44, layout.PRIMARY, bold=True, align="center",
                  anchor=MSO_ANCHOR.MIDDLE)
        self.text(slide, (m, 2.8, w, 0.6), [s.subtitle], 26, layout.TEXT, align="center", anchor=MSO_ANCHOR.MIDDLE)
        self.rect(slide, (layout.SLIDE_W / 2 - 1.5, 3.6, 3.0, 0.04), layout.ACCENT)
        self.text(slide, (m, 3.9, w, 0.55), [s.period], 24, layout.TEXT, align="center", anchor=MSO_ANCHOR.MIDDLE)
        self.text(slide, (m, 4.5, w, 0.45), [s.date_line], 18, layout.MUTED, align="center",
                  anchor=MSO_ANCHOR.MIDDLE)
        issuer = layout.wrap_lines(s.issuer, w, 22)
        self.text(slide, (m, 5.5, w, 0.45 * len(issuer)), issuer, 22, layout.PRIMARY, align="center")

    def headlines(self, slide, s: HeadlineSlide) -> None:  # type: ignore[no-untyped-def]
        for h, box in zip(s.headlines, layout.card_boxes(len(s.headlines), s.summary), strict=True):
            left, t, _w, ht = box
            self.rect(slide, box, layout.STRIPE_FILL, layout.RULE)
            self.rect(slide, (left, t, 0.08, ht), layout.PRIMARY)
            name, value, delta, compare = layout.card_lines(box)
            mid = MSO_ANCHOR.MIDDLE
            self.text(slide, name, [h.name], layout.CARD_NAME_PT, layout.TEXT, anchor=mid)
            self.text(slide, value, [h.value], layout.CARD_VALUE_PT, layout.PRIMARY, bold=True, anchor=mid)
            self.text(slide, delta, [headline_delta(h)], layout.CARD_DELTA_PT, layout.TONE_COLORS[h.tone], anchor=mid)
            self.text(slide, compare, [h.compare], layout.CARD_NOTE_PT, layout.MUTED, anchor=mid)

    def charts(self, slide, s: ChartSlide) -> None:  # type: ignore[no-untyped-def]
        boxes = layout.chart_boxes([c.weight for c in s.charts], s.summary)
        for chart, (left, top, w, h) in zip(s.charts, boxes, strict=True):
            png = self.images.get(chart.key)
            if png:
                slide.shapes.add_picture(io.BytesIO(png), Inches(left), Inches(top), Inches(w), Inches(h))
            else:
                self.rect(slide, (left, top, w, h), layout.STRIPE_FILL, layout.RULE)
                self.text(slide, (left + 0.2, top + h / 2 - 0.4, w - 0.4, 0.8),
                          layout.wrap_lines(CHART_UNAVAILABLE, w - 0.4, 14), 14, layout.MUTED, align="center")

    def table(self, slide, s: TableSlide) -> None:  # type: ignore[no-untyped-def]
        t = s.table
        geo = t.geometry()
        shape = slide.shapes.add_table(len(t.rows) + 1, len(t.columns), Inches(layout.MARGIN),
                                       Inches(layout.BODY_TOP), Inches(layout.BODY_W), Inches(geo.height))
        tbl = shape.table
        tbl.first_row = True
        tbl.horz_banding = False
        for j, w in enumerate(geo.widths):
            tbl.columns[j].width = Inches(w)
        tbl.rows[0].height = Inches(geo.header_height)
        for i, h in enumerate(geo.row_heights, start=1):
            tbl.rows[i].height = Inches(h)
        for j, col in enumerate(t.columns):
            self._cell(tbl.cell(0, j), col.header, layout.TABLE_HEADER_PT, "FFFFFF", layout.HEADER_FILL,
                       "center", bold=True)
        for i, row in enumerate(t.rows):
            fill = layout.STRIPE_FILL if i % 2 else "FFFFFF"
            for j, (text, col) in enumerate(zip(row, t.columns, strict=True)):
                tone = t.tone(i, j)
                self._cell(tbl.cell(i + 1, j), text, layout.TABLE_PT, layout.TONE_COLORS.get(tone, layout.TEXT),
                           fill, col.align, bold=tone == "bad")

    def _cell(self, cell, text: str, pt: float, color: str, fill: str, align: str, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
        cell.fill.solid()
        cell.fill.fore_color.rgb = _rgb(fill)
        cell.margin_left = cell.margin_right = Inches(layout.CELL_PAD_X)
        cell.margin_top = cell.margin_bottom = Inches(layout.CELL_PAD_Y)
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE
        tf = cell.text_frame
        tf.word_wrap = True
        p = tf.paragraphs[0]
        p.alignment = ALIGN[align]
        p.line_spacing = Pt(pt * layout.LINE_FACTOR)
        run = p.add_run()
        run.text = text
        self._font(run, pt, color, bold)

    def message(self, slide, s: MessageSlide) -> None:  # type: ignore[no-untyped-def]
        h = layout.body_height(s.summary)
        box = (layout.MARGIN + 1.0, layout.BODY_TOP + h / 2 - 0.8, layout.BODY_W - 2.0, 1.6)
        self.rect(slide, box, layout.STRIPE_FILL, layout.RULE)
        lines = layout.wrap_lines(s.message, box[2] - 0.4, 28)
        self.text(slide, (box[0] + 0.2, box[1], box[2] - 0.4, box[3]), lines, 28, layout.MUTED, align="center",
                  anchor=MSO_ANCHOR.MIDDLE)

    # ------------------------------------------------------------ whole deck

    def write(self) -> bytes:
        for number, model in enumerate(self.deck.slides, start=1):
            slide = self.prs.slides.add_slide(self.blank)
            if isinstance(model, CoverSlide):
                self.cover(slide, model)
                continue
            self.frame(slide, model, number)
            if isinstance(model, HeadlineSlide):
                self.headlines(slide, model)
            elif isinstance(model, ChartSlide):
                self.charts(slide, model)
            elif isinstance(model, TableSlide):
                self.table(slide, model)
            elif isinstance(model, MessageSlide):
                self.message(slide, model)
        buf = io.BytesIO()
        self.prs.save(buf)
        return buf.getvalue()


def pptx_bytes(deck: Deck, images: Mapping[str, bytes | None] | None = None, *, font: str = layout.FONT_CJK) -> bytes:
    """The deck as a .pptx file's bytes; chart images are rendered unless given."""
    return _Writer(deck, deck_images(deck) if images is None else images, font).write()


def write_pptx(deck: Deck, path: str | Path, images: Mapping[str, bytes | None] | None = None) -> Path:
    out = Path(path)
    out.write_bytes(pptx_bytes(deck, images))
    return out
