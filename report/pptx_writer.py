"""The deck as a PowerPoint file (python-pptx, 16:9): one slide per slide of the model.

Boxes come from :mod:`report.layout`, so this file and the PDF place everything alike.
Every run of text (and every chart's text) names 微软雅黑, the font office PCs have, for
Latin, East Asian and complex script (``a:latin``/``a:ea``/``a:cs``), with the GB2312
charset so that Office substitutes another Chinese font where it is missing (LibreOffice
maps it through fontconfig).  Bars, lines and radars are native, editable PowerPoint charts
(:mod:`report.native_charts`); other charts (heatmaps) are pictures.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from report import layout
from report.images import CHART_UNAVAILABLE, deck_images
from report.native_charts import NativeChart, native_chart
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
CHART_TYPES = {"column": XL_CHART_TYPE.COLUMN_CLUSTERED, "bar": XL_CHART_TYPE.BAR_CLUSTERED,
               "line": XL_CHART_TYPE.LINE_MARKERS, "radar": XL_CHART_TYPE.RADAR_MARKERS}
PALETTE = ("1D4F91", "C8161D", "4F86C6", "E0A100", "2E7D32", "6C5B7B", "8A99AD")


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
        self._typefaces(rpr)

    def _typefaces(self, rpr) -> None:  # type: ignore[no-untyped-def]
        """Name the deck's font for Latin, East Asian and complex script on ``rpr`` (a run's
        or a chart's text properties), with the Chinese charset as the fallback hint."""
        for tag in ("a:latin", "a:ea", "a:cs"):
            old = rpr.find(qn(tag))
            if old is not None:
                rpr.remove(old)
        previous = None
        for tag in ("a:latin", "a:ea", "a:cs"):
            el = etree.Element(qn(tag))
            el.set("typeface", self.font)
            if tag == "a:ea":
                el.set("charset", layout.FONT_CHARSET)
            if previous is None:
                # after any fill / line / effect children, before hyperlinks (schema order)
                fills = [c for c in rpr if c.tag in (qn("a:ln"), qn("a:solidFill"), qn("a:noFill"),
                                                     qn("a:gradFill"), qn("a:effectLst"), qn("a:highlight"))]
                if fills:
                    fills[-1].addnext(el)
                else:
                    rpr.insert(0, el)
            else:
                previous.addnext(el)
            previous = el

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
            native = native_chart(chart.figure)
            png = self.images.get(chart.key)
            if native is not None:
                self.native(slide, native, (left, top, w, h))
            elif png:
                slide.shapes.add_picture(io.BytesIO(png), Inches(left), Inches(top), Inches(w), Inches(h))
            else:
                self.rect(slide, (left, top, w, h), layout.STRIPE_FILL, layout.RULE)
                self.text(slide, (left + 0.2, top + h / 2 - 0.4, w - 0.4, 0.8),
                          layout.wrap_lines(CHART_UNAVAILABLE, w - 0.4, 14), 14, layout.MUTED, align="center")

    def native(self, slide, spec: NativeChart, box: tuple[float, float, float, float]) -> None:  # type: ignore[no-untyped-def]
        """An editable PowerPoint chart of ``spec`` in ``box``."""
        data = CategoryChartData(number_format=spec.number_format)
        data.categories = list(spec.categories)
        for s in spec.series:
            data.add_series(s.name, list(s.values))
        left, top, w, h = box
        frame = slide.shapes.add_chart(CHART_TYPES[spec.kind], Inches(left), Inches(top), Inches(w), Inches(h), data)
        chart = frame.chart
        chart.font.size = Pt(12)
        chart.font.name = self.font
        self._typefaces(chart._chartSpace.find(".//" + qn("a:defRPr")))
        chart.has_title = bool(spec.title)
        if spec.title:
            tf = chart.chart_title.text_frame
            tf.text = spec.title
            for run in tf.paragraphs[0].runs:
                self._font(run, 14, layout.TEXT, True)
        chart.has_legend = spec.legend
        if spec.legend:
            chart.legend.position = XL_LEGEND_POSITION.TOP
            chart.legend.include_in_layout = False
        if spec.kind != "radar":
            axis = chart.value_axis
            axis.has_major_gridlines = True
            axis.tick_labels.number_format = spec.number_format
            axis.tick_labels.number_format_is_linked = False
            if spec.value_range is not None:
                axis.minimum_scale, axis.maximum_scale = spec.value_range
        for i, (plot_series, s) in enumerate(zip(chart.plots[0].series, spec.series, strict=True)):
            base = PALETTE[i % len(PALETTE)]
            fill = plot_series.format.line if spec.kind in ("line", "radar") else plot_series.format.fill
            if spec.kind in ("line", "radar"):
                fill.color.rgb = _rgb((s.colors[0] or "#" + base).lstrip("#").upper()[:6] if s.colors else base)
                fill.width = Pt(2.25)
            else:
                fill.solid()
                fill.fore_color.rgb = _rgb((s.colors[0] or "#" + base).lstrip("#").upper()[:6])
                for j, color in enumerate(s.colors):
                    if color and color != s.colors[0]:
                        point = plot_series.points[j].format.fill
                        point.solid()
                        point.fore_color.rgb = _rgb(color.lstrip("#").upper()[:6])
            if s.labels:
                plot_series.data_labels.show_value = True
                plot_series.data_labels.number_format = spec.number_format
                plot_series.data_labels.number_format_is_linked = False
                plot_series.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END

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
            self._cell(tbl.cell(0, j), col.header, t.header_pt, "FFFFFF", layout.HEADER_FILL,
                       "center", bold=True)
        for i, row in enumerate(t.rows):
            fill = layout.STRIPE_FILL if i % 2 else "FFFFFF"
            for j, (text, col) in enumerate(zip(row, t.columns, strict=True)):
                tone = t.tone(i, j)
                self._cell(tbl.cell(i + 1, j), text, t.pt, layout.TONE_COLORS.get(tone, layout.TEXT),
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


def picture_charts(deck: Deck) -> frozenset[str]:
    """Keys of the charts the PowerPoint deck shows as pictures (no native chart for them)."""
    return frozenset(c.key for c in deck.charts if native_chart(c.figure) is None)


def pptx_bytes(deck: Deck, images: Mapping[str, bytes | None] | None = None, *, font: str = layout.FONT_OFFICE) -> bytes:
    """The deck as a .pptx file's bytes; the images of picture charts are rendered unless given."""
    return _Writer(deck, deck_images(deck, picture_charts(deck)) if images is None else images, font).write()


def write_pptx(deck: Deck, path: str | Path, images: Mapping[str, bytes | None] | None = None) -> Path:
    out = Path(path)
    out.write_bytes(pptx_bytes(deck, images))
    return out
