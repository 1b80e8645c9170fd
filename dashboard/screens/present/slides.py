"""Rendering of the deck's slide model on screen, large, for a projector (汇报模式).

The slides are :mod:`report.slides` objects — the same the PowerPoint and PDF files hold.
Text reaches the page only through :func:`html.escape`; the CSS here holds no user text.
"""

from __future__ import annotations

from html import escape

import plotly.graph_objects as go
import streamlit as st

from dashboard.kit import plots
from report import layout
from report.slides import (
    ChartSlide,
    CoverSlide,
    HeadlineSlide,
    MessageSlide,
    Slide,
    TableSlide,
    headline_delta,
)

TONE = {"good": "#2e7d32", "bad": "#c8161d", "neutral": "#6b7785", "": "#1f2933"}
# Sizes are in the deck's points (report.layout): --pm-pt is one point on screen — 1.2rem per
# 14 pt on the page, and on the projected slide the PowerPoint slide's own scale (a 13.333 in
# slide across the screen's width: 1 pt = 100vw / 960), so a slide paginated for the file fits.
PT_PAGE = "0.0857rem"
PT_PROJECTED = "calc(100vw / 960)"
CSS = """
<style>
.pm-cover {text-align:center; padding:calc(40 * var(--pm-pt)) 1rem calc(28 * var(--pm-pt));
  border-top:calc(10 * var(--pm-pt)) solid #1d4f91; border-bottom:calc(7 * var(--pm-pt)) solid #c8161d;
  background:#fff;}
.pm-cover .pm-title {font-size:calc(38 * var(--pm-pt)); color:#1d4f91; font-weight:700; margin:0 0 1rem;
  padding:0; line-height:1.3;}
.pm-cover .sub {font-size:calc(22 * var(--pm-pt)); color:#1f2933; margin-bottom:1.6rem;}
.pm-cover .period {font-size:calc(20 * var(--pm-pt)); color:#1f2933;}
.pm-cover .date {font-size:calc(15 * var(--pm-pt)); color:#6b7785; margin:.6rem 0 2.2rem;}
.pm-cover .issuer {font-size:calc(19 * var(--pm-pt)); color:#1d4f91; line-height:1.6;}
.pm-cards {display:grid; grid-template-columns:repeat(3, 1fr); gap:calc(20 * var(--pm-pt));}
.pm-card {background:#f2f5f9; border:1px solid #d5dde8; border-left:calc(7 * var(--pm-pt)) solid #1d4f91;
  padding:calc(12 * var(--pm-pt)) calc(18 * var(--pm-pt));}
.pm-card .name {font-size:calc(18 * var(--pm-pt)); color:#1f2933;}
.pm-card .value {font-size:calc(40 * var(--pm-pt)); font-weight:700; color:#1d4f91; line-height:1.25;}
.pm-card .delta {font-size:calc(16 * var(--pm-pt));}
.pm-card .cmp {font-size:calc(13 * var(--pm-pt)); color:#6b7785;}
table.pm-table {width:100%; border-collapse:collapse; table-layout:fixed; line-height:1.3;}
table.pm-table th {background:#1d4f91; color:#fff; padding:calc(3.6 * var(--pm-pt)) calc(5.8 * var(--pm-pt));
  font-weight:600; text-align:center;}
table.pm-table td {padding:calc(3.6 * var(--pm-pt)) calc(5.8 * var(--pm-pt)); border-bottom:1px solid #e6ebf1;
  vertical-align:middle; overflow-wrap:anywhere;}
table.pm-table tr:nth-child(even) td {background:#f2f5f9;}
.pm-message {margin:calc(40 * var(--pm-pt)) auto; max-width:70%; text-align:center; font-size:calc(28 * var(--pm-pt));
  color:#6b7785; background:#f2f5f9; border:1px solid #d5dde8; padding:calc(28 * var(--pm-pt)) 1rem;}
ul.pm-summary {font-size:calc(16 * var(--pm-pt)); color:#1f2933; margin:calc(8 * var(--pm-pt)) 0 0;}
ul.pm-summary li {margin:0; line-height:1.45;}
</style>
"""
CHART_PX_PER_IN = 144  # a 7.5 in slide on a 1080 px high screen
SCREEN_H_PX = 1080


def css(projected: bool = False) -> None:
    """The slides' style; ``projected`` sizes them at the slide's own scale on the screen."""
    st.markdown(f"<style>:root {{--pm-pt: {PT_PROJECTED if projected else PT_PAGE};}}</style>{CSS}",
                unsafe_allow_html=True)


def _summary(s: Slide) -> None:
    if s.summary:
        items = "".join(f"<li>{escape(x)}</li>" for x in s.summary)
        st.markdown(f"<ul class='pm-summary'>{items}</ul>", unsafe_allow_html=True)


def _cover(s: CoverSlide, projected: bool) -> None:
    issuer = "<br>".join(escape(x) for x in s.issuer.split("\n"))
    tag = "h1" if projected else "h2"  # projected, the cover's title is the screen's heading
    st.markdown(
        f"<div class='pm-cover'><{tag} class='pm-title'>{escape(s.title)}</{tag}><div class='sub'>{escape(s.subtitle)}</div>"
        f"<div class='period'>{escape(s.period)}</div><div class='date'>{escape(s.date_line)}</div>"
        f"<div class='issuer'>{issuer}</div></div>",
        unsafe_allow_html=True,
    )


def _headlines(s: HeadlineSlide) -> None:
    cards = "".join(
        f"<div class='pm-card'><div class='name'>{escape(h.name)}</div><div class='value'>{escape(h.value)}</div>"
        f"<div class='delta' style='color:{TONE[h.tone]}'>{escape(headline_delta(h))}</div>"
        f"<div class='cmp'>{escape(h.compare)}</div></div>"
        for h in s.headlines
    )
    st.markdown(f"<div class='pm-cards'>{cards}</div>", unsafe_allow_html=True)


def screen_figure(fig: go.Figure, height: int = 540, font: int = 17) -> go.Figure:
    """A copy of a deck figure with fonts sized for a projector."""
    out = go.Figure(fig)
    out.update_layout(height=height, font={"size": font}, title={"font": {"size": round(font * 1.3)}},
                      clickmode="none")
    for trace in out.data:
        if trace.type == "bar":
            trace.update(constraintext="none")
            cats = trace.y if trace.orientation == "h" else trace.x
            if cats is not None and len(cats) > 0 and isinstance(cats[0], str):
                axis = out.layout.yaxis if trace.orientation == "h" else out.layout.xaxis
                axis.update(tickmode="array", tickvals=list(cats), ticktext=list(cats))
            if trace.orientation == "h":  # room for the value labels right of the longest bar
                out.update_layout(margin={"r": 70})
    return out


def _charts(s: ChartSlide, key: str, projected: bool) -> None:
    # projected: the charts take the slide's body (what the summary leaves), at a 1080 px screen
    height = round(layout.body_height(s.summary) * CHART_PX_PER_IN) - 24 if projected else 540
    font = 22 if projected else 17
    cols = st.columns([c.weight for c in s.charts], gap="medium")
    for col, chart in zip(cols, s.charts, strict=True):
        with col:
            plots.chart(screen_figure(chart.figure, height, font), key=f"{key}_{chart.key}", theme=None)


def _table(s: TableSlide) -> None:
    tbl = s.table
    total = sum(tbl.widths) or 1.0
    cols = "".join(f"<col style='width:{100 * w / total:.1f}%'>" for w in tbl.widths)
    head = "".join(f"<th>{escape(c.header)}</th>" for c in tbl.columns)
    body = []
    for i, row in enumerate(tbl.rows):
        cells = []
        for j, (text, c) in enumerate(zip(row, tbl.columns, strict=True)):
            tone = tbl.tone(i, j)
            weight = "font-weight:700;" if tone == "bad" else ""
            weight += "white-space:nowrap;" if c.max_lines == 1 else ""
            cells.append(f"<td style='text-align:{c.align};color:{TONE.get(tone, TONE[''])};{weight}'>"
                         f"{escape(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    st.markdown(f"<table class='pm-table' style='font-size:calc({tbl.pt:g} * var(--pm-pt))'><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(body)}</tbody></table>", unsafe_allow_html=True)


def _message(s: MessageSlide) -> None:
    st.markdown(f"<div class='pm-message'>{escape(s.message)}</div>", unsafe_allow_html=True)


def slide(s: Slide, key: str, projected: bool = False) -> None:
    """Draw one slide of the model (its title is the page's heading, drawn by the page);
    ``projected``: the charts sized to fill a projector's screen."""
    if isinstance(s, CoverSlide):
        _cover(s, projected)
        return
    if isinstance(s, HeadlineSlide):
        _headlines(s)
    elif isinstance(s, ChartSlide):
        _charts(s, key, projected)
    elif isinstance(s, TableSlide):
        _table(s)
    elif isinstance(s, MessageSlide):
        _message(s)
    _summary(s)
